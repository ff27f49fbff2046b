import { type Kysely, SqliteAdapter, sql } from 'kysely';
import type { Database } from './schema.ts';
import { SNAPSHOT_TABLES } from './snapshot-tables.ts';

const isSqlite = (db: Kysely<Database>) => db.getExecutor().adapter instanceof SqliteAdapter;
// lock_not_available (our lock_timeout) and deadlock_detected: the attempt is rolled back and retried.
const RETRY_CODES = new Set(['55P03', '40P01']);
const MAX_ATTEMPTS = 50;

/**
 * A transaction that reads the whole store as of one instant (a snapshot's copy). SQLite: every
 * transaction does (`BEGIN IMMEDIATE`, one writer at a time). PostgreSQL: REPEATABLE READ, so a
 * write committed between reading two tables is not half seen; no lock, requests go on.
 */
export async function readWholeStore<T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    if (!isSqlite(trx)) await sql`set transaction isolation level repeatable read`.execute(trx);
    return fn(trx);
  });
}

/**
 * A transaction that replaces the whole store (reset, restore), seen by every other request either
 * entirely or not at all. SQLite: writers already run one at a time and readers see the last
 * commit. PostgreSQL: every data table locked ACCESS EXCLUSIVE first, so no other transaction is
 * half way through them while we write, and none starts before we commit; the wait for that lock is
 * bounded (lock_timeout) and the attempt retried, so this side always gives way in a deadlock with
 * a request's transaction (well before PostgreSQL's 1 s deadlock check picks the request).
 */
export async function replaceWholeStore<T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(async (trx) => {
        if (!isSqlite(trx)) {
          await sql`set local lock_timeout = '200ms'`.execute(trx);
          await sql.raw(`lock table ${SNAPSHOT_TABLES.join(', ')} in access exclusive mode`).execute(trx);
        }
        return fn(trx);
      });
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (attempt >= MAX_ATTEMPTS || typeof code !== 'string' || !RETRY_CODES.has(code)) throw err;
    }
  }
}
