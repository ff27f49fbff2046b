import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import { SQLITE_COUNTERS_TABLE } from './migrations/0006-rate-limit-counters.ts';

/** node:sqlite speaks a slightly different dialect of the better-sqlite3 API Kysely expects. */
function toSqlite(values: ReadonlyArray<unknown>): SQLInputValue[] {
  return values.map((v) => {
    if (v === undefined) return null;
    if (typeof v === 'boolean') return v ? 1 : 0;
    return v as SQLInputValue;
  });
}

function wrapStatement(stmt: StatementSync): SqliteStatement {
  return {
    reader: stmt.columns().length > 0,
    all: (params) => stmt.all(...toSqlite(params)),
    run: (params) => {
      const r = stmt.run(...toSqlite(params));
      return { changes: r.changes, lastInsertRowid: r.lastInsertRowid };
    },
    iterate: (params) => stmt.iterate(...toSqlite(params)) as IterableIterator<unknown>,
  };
}

/** Statements kept prepared per connection: the server's queries are a few hundred distinct texts. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Opens a SQLite file (or ':memory:') durably: WAL, synchronous=FULL, foreign keys, busy timeout.
 * Beside it, `counters` (`<name>-counters.sqlite`): rate-limit buckets, which change on every call
 * and need no durability, so their writes never wait for an fsync of the store (synchronous=OFF;
 * WAL, so a killed process still loses nothing it committed).
 */
export function openSqlite(
  path: string,
  countersPath = path === ':memory:' ? ':memory:' : path.replace(/\.sqlite$/, '-counters.sqlite'),
): SqliteDatabase & { raw: DatabaseSync } {
  const raw = new DatabaseSync(path, { timeout: 5000 });
  if (path !== ':memory:') raw.exec('PRAGMA journal_mode = WAL');
  raw.exec('PRAGMA synchronous = FULL');
  raw.exec('PRAGMA foreign_keys = ON');
  raw.prepare('ATTACH DATABASE ? AS counters').run(countersPath);
  if (countersPath !== ':memory:') raw.exec('PRAGMA counters.journal_mode = WAL');
  raw.exec('PRAGMA counters.synchronous = OFF');
  raw.exec(SQLITE_COUNTERS_TABLE);
  // Kysely prepares every query it runs; preparing costs more than running these small ones.
  const statements = new Map<string, SqliteStatement>();
  return {
    raw,
    close: () => raw.close(),
    prepare: (sql) => {
      let stmt = statements.get(sql);
      if (stmt === undefined) {
        stmt = wrapStatement(raw.prepare(sql));
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value as string);
        statements.set(sql, stmt);
      }
      return stmt;
    },
  };
}
