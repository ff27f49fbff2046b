import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { flag, integer } from '../codec.ts';
import { runPrepared } from '../prepared.ts';
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
function storedBucketKey(key: string): string {
  if (key.length <= 200 && !/[\u0000-\u001f]/.test(key)) return key;
  return `${key.slice(0, key.indexOf(':') + 1).slice(0, 64)}sha256:${createHash('sha256').update(key).digest('hex')}`;
}

/**
 * Takes one token from the bucket `key` in one upsert, atomic on both dialects, so every node
 * sharing the store draws from the same bucket. As on Atlas, `refill` tokens are poured in at the
 * end of each period counted from the bucket's first use (`period_start_ms`), not continuously:
 * RateLimit-Remaining counts down one per call. Returns the tokens left, or `allowed: false` with
 * the seconds until the next refill. Every value is cast: node:sqlite binds numbers as REAL.
 */
export async function takeToken(
  db: Kysely<Database>,
  bucketKey: string,
  p: BucketParams,
  nowMs: number,
): Promise<{ allowed: boolean; remaining: number; retryAfterSeconds: number }> {
  const rows = await runPrepared(
    db,
    'takeToken',
    '',
    (param) => {
      const now = sql<number>`cast(${param('now')} as bigint)`;
      const period = sql`cast(${param('period')} as bigint)`;
      const capacity = sql`cast(${param('capacity')} as bigint)`;
      const start = sql.ref('rate_limit_buckets.period_start_ms');
      const periods = sql`(case when ${now} > ${start} then cast((${now} - ${start}) / ${period} as bigint) else 0 end)`;
      const poured = sql`(rate_limit_buckets.tokens + ${periods} * cast(${param('refill')} as bigint))`;
      const refilled = sql`(case when ${poured} > ${capacity} then ${capacity} else ${poured} end)`;
      return db
        .insertInto('rate_limit_buckets')
        .values({
          bucket_key: param('key'),
          tokens: sql`cast(${param('first')} as integer)`,
          period_start_ms: now,
          allowed: 1,
        })
        .onConflict((oc) =>
          oc.column('bucket_key').doUpdateSet({
            tokens: sql`case when ${refilled} >= 1 then ${refilled} - 1 else ${refilled} end`,
            period_start_ms: sql`${start} + ${periods} * ${period}`,
            allowed: sql`case when ${refilled} >= 1 then 1 else 0 end`,
          }),
        )
        .returning(['tokens', 'period_start_ms', 'allowed']);
    },
    {
      key: storedBucketKey(bucketKey),
      now: nowMs,
      period: p.periodMs,
      capacity: p.capacity,
      refill: p.refill,
      first: p.capacity - 1,
    },
  );
  const row = rows[0];
  const allowed = flag.decode(row.allowed);
  const retryAfterSeconds = allowed
    ? 0
    : Math.max(1, Math.ceil((integer.decode(row.period_start_ms) + p.periodMs - nowMs) / 1000));
  return { allowed, remaining: integer.decode(row.tokens), retryAfterSeconds };
}

/** Gives back a token taken for a call that, in the end, did not count (up to the capacity). */
export async function returnToken(db: Kysely<Database>, bucketKey: string, p: BucketParams): Promise<void> {
  await db
    .updateTable('rate_limit_buckets')
    .set((eb) => ({
      tokens: eb
        .case()
        .when('tokens', '<', p.capacity)
        .then(eb('tokens', '+', 1))
        .else(eb.ref('tokens'))
        .end(),
    }))
    .where('bucket_key', '=', storedBucketKey(bucketKey))
    .execute();
}

/**
 * Drops buckets untouched for an hour: every bucket refills completely within minutes, so a
 * missing row (a full bucket) says the same thing, and ids callers make up do not pile up.
 */
export async function pruneIdleBuckets(db: Kysely<Database>, nowMs: number, idleMs = 3_600_000): Promise<void> {
  await db
    .deleteFrom('rate_limit_buckets')
    .where('period_start_ms', '<', nowMs - idleMs)
    .execute();
}
