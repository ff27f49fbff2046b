/**
 * Replay protection for Digest nonce counts. Requests sharing one nonce may
 * travel over several connections and arrive out of order, so the store keeps
 * the SET of nc values used with each nonce rather than a high-water mark.
 */
export interface NonceCountStore {
  /**
   * Records that `nc` was used with `nonce`. Resolves false when it was used
   * before (replay) or cannot be tracked (then the client needs a fresh nonce).
   * `expiresAtMs` is when the nonce stops being accepted anyway.
   */
  markUsed(nonce: string, nc: number, expiresAtMs: number): Promise<boolean>;
  /** True when the nonce has had MAX_COUNTS_PER_NONCE counts: the client should get a fresh one. */
  exhausted(nonce: string): Promise<boolean>;
}

export type MemoryNonceCountStoreOptions = {
  now: () => number;
  /** Most nonces tracked at once; default 100_000. The oldest is evicted beyond that. */
  maxNonces?: number;
};

/** Most nc values remembered per nonce; further new values are refused. */
export const MAX_COUNTS_PER_NONCE = 1024;
const MAX_NC = 0xffff_ffff;

type Entry = { expiresAt: number; counts: Set<number> };

/**
 * In-process store for a single node (or for tests). Memory is bounded: at
 * most `maxNonces` entries × MAX_COUNTS_PER_NONCE numbers.
 */
export function createMemoryNonceCountStore(opts: MemoryNonceCountStoreOptions): NonceCountStore {
  const maxNonces = opts.maxNonces ?? 100_000;
  if (!Number.isSafeInteger(maxNonces) || maxNonces < 1) throw new RangeError('maxNonces must be >= 1');

  // Map iteration order is insertion order, i.e. order of first use.
  const entries = new Map<string, Entry>();
  // Evicting an unexpired nonce forgets which counts it used. To keep replay
  // protection sound, any untracked nonce expiring no later than the latest
  // such eviction is refused from then on (its client just gets a new nonce).
  let evictedUntil = Number.NEGATIVE_INFINITY;

  const pruneExpired = (now: number): void => {
    // Entries are roughly in expiry order; stop at the first live one (amortised O(1)).
    for (const [nonce, entry] of entries) {
      if (entry.expiresAt > now) break;
      entries.delete(nonce);
    }
  };

  const markUsedSync = (nonce: string, nc: number, expiresAtMs: number): boolean => {
    if (typeof nonce !== 'string' || !Number.isInteger(nc) || nc < 0 || nc > MAX_NC) return false;
    const now = opts.now();
    pruneExpired(now);
    if (!(expiresAtMs > now)) return false; // expired (or NaN): nothing may be accepted

    let entry = entries.get(nonce);
    if (entry !== undefined && entry.expiresAt <= now) {
      entries.delete(nonce);
      return false;
    }
    if (entry === undefined) {
      if (expiresAtMs <= evictedUntil) return false;
      while (entries.size >= maxNonces) {
        const oldest = entries.entries().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest[0]);
        if (oldest[1].expiresAt > now) evictedUntil = Math.max(evictedUntil, oldest[1].expiresAt);
      }
      entry = { expiresAt: expiresAtMs, counts: new Set() };
      entries.set(nonce, entry);
    }
    if (entry.counts.has(nc)) return false;
    if (entry.counts.size >= MAX_COUNTS_PER_NONCE) return false;
    entry.counts.add(nc);
    return true;
  };

  return {
    markUsed(nonce: string, nc: number, expiresAtMs: number): Promise<boolean> {
      return Promise.resolve(markUsedSync(nonce, nc, expiresAtMs));
    },
    exhausted(nonce: string): Promise<boolean> {
      return Promise.resolve((entries.get(nonce)?.counts.size ?? 0) >= MAX_COUNTS_PER_NONCE);
    },
  };
}
