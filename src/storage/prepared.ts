import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import type { Database } from './schema.ts';

/**
 * Queries that run on every request, built and compiled by Kysely once (per dialect and shape)
 * instead of on every call: building and compiling a query costs more than SQLite takes to run it.
 * `build` gets `param(name)`, a stand-in for a value; each call substitutes the real values.
 * `shape` names everything that changes the SQL text (which optional filters, how many items in
 * an `in` list), so each shape compiles once.
 */
export async function runPrepared<Row>(
  db: Kysely<Database>,
  name: string,
  shape: string,
  build: (param: (key: string) => never) => Compilable<Row>,
  values: Record<string, unknown>,
): Promise<Row[]> {
  const key = `${db.getExecutor().adapter.constructor.name}|${name}|${shape}`;
  let entry = compiled.get(key);
  if (entry === undefined) {
    const query = build((k) => `${MARK}${k}${MARK}` as never).compile();
    const slots = query.parameters.map((v) =>
      typeof v === 'string' && v.startsWith(MARK) && v.endsWith(MARK) ? v.slice(1, -1) : null,
    );
    entry = { query, slots };
    compiled.set(key, entry);
  }
  const { query, slots } = entry;
  const parameters = query.parameters.map((v, i) => {
    const slot = slots[i];
    if (slot === null) return v;
    if (!(slot in values)) throw new Error(`${name}: no value for ${slot}`);
    return values[slot];
  });
  return (await db.executeQuery<Row>({ ...query, parameters })).rows;
}

const MARK = '\u0001';
const compiled = new Map<string, { query: CompiledQuery<unknown>; slots: Array<string | null> }>();
