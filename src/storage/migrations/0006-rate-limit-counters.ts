import { type Kysely, SqliteAdapter, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Rate-limit buckets leave the durable store: they change on every call, and a crash that loses
 * some of them loses nothing anyone needs (a bucket that is gone is a full bucket). On PostgreSQL
 * the table becomes UNLOGGED (no WAL); on SQLite it moves to a database of its own attached as
 * `counters` with `synchronous=OFF` (sqlite-adapter.ts), so a call's token costs no fsync of the
 * store. One row per bucket: the tokens left after the last call, when the current refill period
 * began, and whether the last call was allowed (what `takeToken`'s single upsert reports).
 */
export const rateLimitCounters: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.dropTable('rate_limit_buckets').execute();
    if (db.getExecutor().adapter instanceof SqliteAdapter) return;
    await sql`create unlogged table rate_limit_buckets (
      bucket_key varchar(255) primary key,
      tokens integer not null,
      period_start_ms bigint not null,
      allowed integer not null
    )`.execute(db);
  },
};

/** The SQLite counters database's table (created when the store is opened). */
export const SQLITE_COUNTERS_TABLE = `create table if not exists counters.rate_limit_buckets (
  bucket_key text primary key,
  tokens integer not null,
  period_start_ms integer not null,
  allowed integer not null
)`;
