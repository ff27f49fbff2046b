import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import { chunksOf } from '../batch.ts';
import { instant, json } from '../codec.ts';
import { DERIVED_TABLES, SNAPSHOT_TABLES, type SnapshotTable } from '../snapshot-tables.ts';

type Executor = Kysely<Database>;
export type Row = Record<string, unknown>;
/** Every data table's rows, as the store holds them. */
export type StoreCopy = Record<SnapshotTable, Row[]>;
/** A snapshot's `data`: every copied table's rows, as one JSON text. */
const storeCopy = json<StoreCopy>();

/** Every data table's rows, each table's in one order whatever order the store returns them in. */
export async function readDataTables(trx: Executor): Promise<StoreCopy> {
  const copy = {} as StoreCopy;
  for (const table of SNAPSHOT_TABLES) {
    const rows = (await trx.selectFrom(table).selectAll().execute()) as Row[];
    const keyed = rows
      .map((row) => [JSON.stringify(row), row] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    copy[table] = keyed.map(([, row]) => row);
  }
  return copy;
}

/** Empties every data table, children first. */
export async function clearDataTables(trx: Executor): Promise<void> {
  for (const table of [...SNAPSHOT_TABLES].reverse()) await trx.deleteFrom(table).execute();
}

/** Fills the (empty) data tables from a copy, parents first. */
export async function writeDataTables(trx: Executor, copy: StoreCopy): Promise<void> {
  for (const table of SNAPSHOT_TABLES) {
    if (DERIVED_TABLES.has(table)) await trx.deleteFrom(table).execute();
    const rows = copy[table] ?? [];
    if (rows.length === 0) continue;
    for (const chunk of chunksOf(rows, Object.keys(rows[0]).length))
      await trx
        .insertInto(table)
        .values(chunk as never)
        .execute();
  }
}

/** Moves the access cache's generation, so every node forgets what it cached. */
export async function bumpStoreGeneration(trx: Executor): Promise<void> {
  await trx
    .updateTable('store_generation')
    .set((eb) => ({ generation: eb('generation', '+', 1) }))
    .where('id', '=', 1)
    .execute();
}

export async function insertSnapshot(db: Executor, s: { id: string; createdAt: Date; copy: StoreCopy }): Promise<void> {
  await db
    .insertInto('snapshots')
    .values({ id: s.id, created_at: instant.encode(s.createdAt), data: storeCopy.encode(s.copy) })
    .execute();
}

export async function listSnapshots(db: Executor): Promise<Array<{ id: string; createdAt: Date }>> {
  const rows = await db.selectFrom('snapshots').select(['id', 'created_at']).orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, createdAt: instant.decode(r.created_at) }));
}

export async function findSnapshotCopy(db: Executor, id: string): Promise<StoreCopy | undefined> {
  const row = await db.selectFrom('snapshots').select('data').where('id', '=', id).executeTakeFirst();
  return row && storeCopy.decode(row.data);
}

export async function deleteSnapshot(db: Executor, id: string): Promise<boolean> {
  const r = await db.deleteFrom('snapshots').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
