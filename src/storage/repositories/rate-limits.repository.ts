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
 * that would not fit, or that holds a control character (PostgreSQL text refuses NUL), is replaced
 * by its bucket name and a hash, so PostgreSQL never refuses it.
 */
export function storedBucketKey(key: string): string {
  if (key.length <= 200 && !/[\u0000-\u001f]/.test(key)) return key;
  return `${key.slice(0, key.indexOf(':') + 1).slice(0, 64)}sha256:${createHash('sha256').update(key).digest('hex')}`;
}

/** A bucket as it stands at `nowMs`: the refills due since its period began poured in. */
function refilled(row: { tokens: number | string; updated_at_ms: number | string }, p: BucketParams, nowMs: number) {
  const periodStart = Number(row.updated_at_ms);
  const periods = Math.max(0, Math.floor((nowMs - periodStart) / p.periodMs));
  return {
    tokens: Math.min(p.capacity, Number(row.tokens) + periods * p.refill),
    periodStart: periodStart + periods * p.periodMs,
  };
}

/**
 * Takes one token from the bucket `key`, in one transaction (the row locked on PostgreSQL) so every
 * node sharing the database draws from the same bucket. As on Atlas, `refill` tokens are poured in
 * at the end of each period, counted from the bucket's first use (`updated_at_ms` is when the
 * current period began), not continuously: RateLimit-Remaining counts down one per call. Returns
 * the tokens left, or `allowed: false` with the seconds until the next refill.
 */
export async function takeToken(
  db: Kysely<Database>,
  bucketKey: string,
  p: BucketParams,
  nowMs: number,
): Promise<{ allowed: boolean; remaining: number; retryAfterSeconds: number }> {
  const key = storedBucketKey(bucketKey);
  return db.transaction().execute(async (trx) => {
    const row = await lockBucket(trx, key, p, nowMs);
    const { tokens, periodStart } = refilled(row, p, nowMs);
    const allowed = tokens >= 1;
    const next = allowed ? tokens - 1 : tokens;
    await trx.updateTable('rate_limit_buckets').set({ tokens: next, updated_at_ms: periodStart }).where('bucket_key', '=', key).execute();
    const retryAfterSeconds = allowed ? 0 : Math.max(1, Math.ceil((periodStart + p.periodMs - nowMs) / 1000));
    return { allowed, remaining: Math.floor(next), retryAfterSeconds };
  });
}

/** Gives back a token taken for a call that, in the end, did not count (up to the capacity). */
export async function returnToken(db: Kysely<Database>, bucketKey: string, p: BucketParams, nowMs: number): Promise<void> {
  const key = storedBucketKey(bucketKey);
  await db.transaction().execute(async (trx) => {
    const row = await lockBucket(trx, key, p, nowMs);
    const { tokens, periodStart } = refilled(row, p, nowMs);
    await trx
      .updateTable('rate_limit_buckets')
      .set({ tokens: Math.min(p.capacity, tokens + 1), updated_at_ms: periodStart })
      .where('bucket_key', '=', key)
      .execute();
  });
}

/** Creates the bucket full on first use, then locks its row (PostgreSQL) for the rest of `trx`. */
async function lockBucket(trx: Kysely<Database>, key: string, p: BucketParams, nowMs: number) {
  await trx
    .insertInto('rate_limit_buckets')
    .values({ bucket_key: key, tokens: p.capacity, updated_at_ms: nowMs })
    .onConflict((oc) => oc.column('bucket_key').doNothing())
    .execute();
  return trx
    .updateTable('rate_limit_buckets')
    .set((eb) => ({ tokens: eb.ref('tokens') }))
    .where('bucket_key', '=', key)
    .returning(['tokens', 'updated_at_ms'])
    .executeTakeFirstOrThrow();
}

/**
 * Drops buckets untouched for an hour: every bucket refills completely within minutes, so a
 * missing row (a full bucket) says the same thing, and ids callers make up do not pile up.
 */
export async function pruneIdleBuckets(db: Kysely<Database>, nowMs: number, idleMs = 3_600_000): Promise<void> {
  await db.deleteFrom('rate_limit_buckets').where('updated_at_ms', '<', nowMs - idleMs).execute();
}
