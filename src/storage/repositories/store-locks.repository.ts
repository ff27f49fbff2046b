import { sql, type Transaction } from 'kysely';
import type { Database } from '../schema.ts';

/**
 * Locks the named store-wide row until the transaction `trx` ends, on both dialects: PostgreSQL
 * holds the row lock (a racing insert of the first-ever row waits for ours to commit); SQLite
 * write transactions already run one at a time (`BEGIN IMMEDIATE`).
 */
export async function lockStore(trx: Transaction<Database>, name: string): Promise<void> {
  if (!trx.isTransaction) throw new Error('lockStore needs a transaction');
  await trx
    .insertInto('store_locks')
    .values({ name })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  await trx
    .updateTable('store_locks')
    .set({ name: sql<string>`name` })
    .where('name', '=', name)
    .execute();
}
