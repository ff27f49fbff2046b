/**
 * The SQL a request runs, and each statement's plan, for the scale benchmark: statements are
 * caught where the drivers run them (node:sqlite's StatementSync, pg's Client.query), with their
 * values, then explained on the same store: EXPLAIN QUERY PLAN (SQLite) or EXPLAIN (PostgreSQL).
 */
import { DatabaseSync, StatementSync } from 'node:sqlite';
import pg from 'pg';

export interface Caught {
  sql: string;
  values: unknown[];
}

let sink: Caught[] | null = null;

/** Starts catching statements (once per process); `collect` gathers those run inside `fn`. */
export function installCatcher(): void {
  for (const m of ['all', 'run', 'get', 'iterate'] as const) {
    const orig = StatementSync.prototype[m] as (...a: unknown[]) => unknown;
    (StatementSync.prototype as unknown as Record<string, unknown>)[m] = function (
      this: StatementSync,
      ...args: unknown[]
    ) {
      sink?.push({ sql: this.sourceSQL, values: args });
      return orig.apply(this, args);
    };
  }
  const query = pg.Client.prototype.query as (...a: unknown[]) => unknown;
  (pg.Client.prototype as unknown as Record<string, unknown>).query = function (this: pg.Client, ...args: unknown[]) {
    const [text, values] = args;
    if (typeof text === 'string') sink?.push({ sql: text, values: Array.isArray(values) ? values : [] });
    return query.apply(this, args);
  };
}

export async function collect(fn: () => Promise<unknown>): Promise<Caught[]> {
  sink = [];
  try {
    await fn();
    return sink;
  } finally {
    sink = null;
  }
}

const EXPLAINABLE = /^\s*(select|insert|update|delete|with)\b/i;

/** Distinct data statements (not transaction control, not pragmas), in the order first run. */
export function distinct(caught: readonly Caught[]): Caught[] {
  const seen = new Set<string>();
  return caught.filter((c) => EXPLAINABLE.test(c.sql) && !seen.has(c.sql) && seen.add(c.sql) !== undefined);
}

/** SQLite: the plan as an indented tree. */
export function explainSqlite(file: string, c: Caught): string[] {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    db.exec(`attach database '${file.replace(/\.sqlite$/, '-counters.sqlite')}' as counters`);
    const rows = db.prepare(`explain query plan ${c.sql}`).all(...(c.values as never[])) as Array<{
      id: number;
      parent: number;
      detail: string;
    }>;
    const depth = new Map<number, number>([[0, 0]]);
    return rows.map((r) => {
      const d = (depth.get(r.parent) ?? 0) + 1;
      depth.set(r.id, d);
      return `${'  '.repeat(d - 1)}${r.detail}`;
    });
  } finally {
    db.close();
  }
}

/** PostgreSQL: EXPLAIN's lines. */
export async function explainPostgres(url: string, c: Caught): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const r = await client.query(`explain ${c.sql}`, c.values);
    return r.rows.map((row: Record<string, string>) => row['QUERY PLAN']);
  } finally {
    await client.end();
  }
}

/**
 * Lines that read a whole table or index: SQLite `SCAN t` (not `SEARCH`), PostgreSQL `Seq Scan`
 * or an index scan without a condition. Small fixed tables (store_generation) are expected.
 */
export function fullScans(plan: readonly string[]): string[] {
  return plan.filter((l) => /^\s*SCAN\b/.test(l.replace(/^\s*(->\s*)?/, '')) || /Seq Scan/.test(l));
}
