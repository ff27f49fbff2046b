import type { Config } from '../config/config.ts';
import type { Clock } from '../lib/clock.ts';
import type { DomainContext } from '../domain/context.ts';
import { pruneIdleBuckets, returnToken, takeToken } from '../storage/repositories/rate-limits.repository.ts';
import { BUCKETS } from './resources.ts';

export interface RateLimitResult {
  allowed: boolean;
  remaining: number;
  retryAfterSeconds: number;
  capacity: number;
  refill: number;
  periodSeconds: number;
}

export interface RateLimiter {
  take(bucket: string, scope: string): Promise<RateLimitResult>;
  /** Gives back a token `take` took for a call that does not count after all. */
  giveBack(bucket: string, scope: string): Promise<void>;
  /** The effective buckets, with overrides applied (for listRateLimits). */
  specs(): ReadonlyArray<{ name: string; capacity: number; refill: number; periodMs: number }>;
}

/** Atlas's token buckets over the shared database; null when `--rate-limits off`. */
export function createRateLimiter(ctx: DomainContext, clock: Clock, config: Config): RateLimiter | null {
  if (config.rateLimits === 'off') return null;
  const specs = Object.values(BUCKETS).map((b) => ({ ...b, ...config.rateLimitOverrides[b.name] }));
  let calls = 0;
  const byName = new Map<string, (typeof specs)[number]>(specs.map((s) => [s.name, s]));
  const specOf = (bucket: string) => {
    const spec = byName.get(bucket);
    if (!spec) throw new Error(`unknown rate-limit bucket ${bucket}`);
    return spec;
  };
  return {
    specs: () => specs,
    async giveBack(bucket, scope) {
      await returnToken(ctx.db, `${bucket}:${scope}`, specOf(bucket));
    },
    async take(bucket, scope) {
      const spec = specOf(bucket);
      if (++calls % 1000 === 0) await pruneIdleBuckets(ctx.db, clock.now().getTime());
      const r = await takeToken(ctx.db, `${bucket}:${scope}`, spec, clock.now().getTime());
      return { ...r, capacity: spec.capacity, refill: spec.refill, periodSeconds: spec.periodMs / 1000 };
    },
  };
}
