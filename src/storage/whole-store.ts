import { type Kysely, SqliteAdapter } from 'kysely';
import type { Database } from './schema.ts';
import { CLOSE_STORE_GATE } from './pg-store-gate.ts';

const isSqlite = (db: Kysely<Database>) => db.getExecutor().adapter instanceof SqliteAdapter;
// deadlock_detected: two nodes replacing the store at once both wait to close the gate; one gives way and retries.
const MAX_ATTEMPTS = 20;

/**
 * A transaction that reads the whole store as of one instant (a snapshot's copy). SQLite: every
 * transaction does (`BEGIN IMMEDIATE`, one writer at a time). PostgreSQL: REPEATABLE READ, so a
 * write committed between reading two tables is not half seen; requests go on meanwhile.
 */
export async function readWholeStore<T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  const tx = isSqlite(db) ? db.transaction() : db.transaction().setIsolationLevel('repeatable read');
  return tx.execute(fn);
}

/**
 * A transaction that replaces the whole store (reset, restore), seen by every other transaction
 * entirely or not at all. SQLite: writers already run one at a time and readers see the last
 * commit. PostgreSQL: it closes the store gate first (src/storage/pg-store-gate.ts), so it starts
 * once the transactions in flight have ended and none begins before it commits.
 */
export async function replaceWholeStore<T>(
  db: Kysely<Database>,
  fn: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(async (trx) => {
        if (!isSqlite(trx)) await trx.executeQuery(CLOSE_STORE_GATE);
        return fn(trx);
      });
    } catch (err) {
      if (attempt >= MAX_ATTEMPTS || (err as { code?: unknown }).code !== '40P01') throw err;
    }
  }
}
