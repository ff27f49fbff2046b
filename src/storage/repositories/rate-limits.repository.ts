import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

export interface BucketParams {
  capacity: number;
  refill: number;
  periodMs: number;
}

/**
 * `bucket_key` is varchar(255), and scopes come from the request (a path id, a client id): a key
 * that would not fit is replaced by its bucket name and a hash, so PostgreSQL never refuses it.
 */
export function storedBucketKey(key: string): string {
  if (key.length <= 200) return key;
  return `${key.slice(0, key.indexOf(':') + 1).slice(0, 64)}sha256:${createHash('sha256').update(key).digest('hex')}`;
}

/**
 * Takes one token from the bucket `key`, refilled continuously at `refill` per `periodMs`, in one
 * transaction so every node sharing the database draws from the same bucket. Returns the tokens
 * left (whole), or `allowed: false` with the seconds until one token is back.
 */
export async function takeToken(
  db: Kysely<Database>,
  bucketKey: string,
  p: BucketParams,
  nowMs: number,
): Promise<{ allowed: boolean; remaining: number; retryAfterSeconds: number }> {
  const key = storedBucketKey(bucketKey);
  return db.transaction().execute(async (trx) => {
    // Create the bucket full on first use; then lock the row (PostgreSQL) while we read and write it.
    await trx
      .insertInto('rate_limit_buckets')
      .values({ bucket_key: key, tokens: p.capacity, updated_at_ms: nowMs })
      .onConflict((oc) => oc.column('bucket_key').doNothing())
      .execute();
    const row = await trx
      .updateTable('rate_limit_buckets')
      .set((eb) => ({ tokens: eb.ref('tokens') }))
      .where('bucket_key', '=', key)
      .returning(['tokens', 'updated_at_ms'])
      .executeTakeFirstOrThrow();
    const elapsed = Math.max(0, nowMs - Number(row.updated_at_ms));
    const tokens = Math.min(p.capacity, Number(row.tokens) + (elapsed * p.refill) / p.periodMs);
    const allowed = tokens >= 1;
    const next = allowed ? tokens - 1 : tokens;
    await trx
      .updateTable('rate_limit_buckets')
      .set({ tokens: next, updated_at_ms: nowMs })
      .where('bucket_key', '=', key)
      .execute();
    const retryAfterSeconds = allowed ? 0 : Math.max(1, Math.ceil(((1 - tokens) * p.periodMs) / p.refill / 1000));
    return { allowed, remaining: Math.floor(next), retryAfterSeconds };
  });
}

/** The whole tokens left in a bucket now, without taking one (a full bucket when it was never used). */
export async function peekTokens(db: Kysely<Database>, key: string, p: BucketParams, nowMs: number): Promise<number> {
  const row = await db.selectFrom('rate_limit_buckets').select(['tokens', 'updated_at_ms']).where('bucket_key', '=', key).executeTakeFirst();
  if (!row) return p.capacity;
  const elapsed = Math.max(0, nowMs - Number(row.updated_at_ms));
  return Math.floor(Math.min(p.capacity, Number(row.tokens) + (elapsed * p.refill) / p.periodMs));
}

/**
 * Drops buckets untouched for an hour: every bucket refills completely within minutes, so a
 * missing row (a full bucket) says the same thing, and ids callers make up do not pile up.
 */
export async function pruneIdleBuckets(db: Kysely<Database>, nowMs: number, idleMs = 3_600_000): Promise<void> {
  await db.deleteFrom('rate_limit_buckets').where('updated_at_ms', '<', nowMs - idleMs).execute();
}
