/**
 * A token bucket as Atlas describes one: `capacity` tokens, and `refill` tokens poured in at the
 * end of each `periodMs`, counted from the bucket's first use. The buckets themselves live in the
 * store, shared by every node (src/storage/repositories/rate-limits.repository.ts).
 */
export interface BucketSpec {
  readonly name: string;
  readonly capacity: number;
  readonly refill: number;
  readonly periodMs: number;
}
