/**
 * Token buckets as Atlas describes them: a capacity, and `refill` tokens added every `periodMs`
 * (added continuously, pro rata). Used for the RateLimit-* headers.
 */
export interface BucketSpec {
  readonly name: string;
  readonly capacity: number;
  readonly refill: number;
  readonly periodMs: number;
}

export interface BucketState {
  tokens: number;
  updatedAt: number;
}

export function take(spec: BucketSpec, state: BucketState | undefined, now: number): { state: BucketState; allowed: boolean; remaining: number } {
  const current = state ?? { tokens: spec.capacity, updatedAt: now };
  const elapsed = Math.max(0, now - current.updatedAt);
  const tokens = Math.min(spec.capacity, current.tokens + (elapsed * spec.refill) / spec.periodMs);
  if (tokens < 1) return { state: { tokens, updatedAt: now }, allowed: false, remaining: 0 };
  const next = { tokens: tokens - 1, updatedAt: now };
  return { state: next, allowed: true, remaining: Math.floor(next.tokens) };
}

/** In-process bucket store, bounded: the least recently used scopes are dropped first. */
export function memoryBuckets(maxEntries = 100_000) {
  const states = new Map<string, BucketState>();
  return {
    take(spec: BucketSpec, scope: string, now: number) {
      const key = `${spec.name}:${scope}`;
      const r = take(spec, states.get(key), now);
      states.delete(key);
      states.set(key, r.state);
      if (states.size > maxEntries) states.delete(states.keys().next().value as string);
      return r;
    },
  };
}
