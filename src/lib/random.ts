import { createHash, createHmac, randomBytes, randomInt, randomUUID } from 'node:crypto';

/**
 * Where every random value that can reach a response comes from (ids, keys, secrets, tokens,
 * nonces): the operating system's CSPRNG, or with `--id-seed` a deterministic stream, so two runs
 * of one scripted suite give the same bytes (ADR 0011).
 */
export interface RandomSource {
  bytes(n: number): Buffer;
  /** A uniform integer in [0, max). */
  int(max: number): number;
  /** An RFC 4122 version 4 UUID. */
  uuid(): string;
  /** An independent stream for one purpose, so the order one consumer draws in cannot shift another's. */
  fork(label: string): RandomSource;
}

export const cryptoRandom: RandomSource = {
  bytes: (n) => randomBytes(n),
  int: (max) => randomInt(max),
  uuid: () => randomUUID(),
  fork: () => cryptoRandom,
};

/** Formats 16 random bytes as a version 4 UUID. */
function uuidFrom(b: Buffer): string {
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * A deterministic stream: HMAC-SHA256(key, counter) blocks, the key derived from the seed and the
 * stream's label. Predictable by design: for test doubles only, never for real secrets.
 */
export function seededRandom(seed: string, label = 'root'): RandomSource {
  const key = createHash('sha256').update(`cloud-invites id seed\0${seed}\0${label}`).digest();
  let counter = 0n;
  let pool = Buffer.alloc(0);
  const bytes = (n: number): Buffer => {
    while (pool.length < n) {
      const block = Buffer.alloc(8);
      block.writeBigUInt64BE(counter++);
      pool = Buffer.concat([pool, createHmac('sha256', key).update(block).digest()]);
    }
    const out = Buffer.from(pool.subarray(0, n));
    pool = pool.subarray(n);
    return out;
  };
  return {
    bytes,
    int(max) {
      if (!Number.isSafeInteger(max) || max < 1 || max > 2 ** 32) throw new RangeError(`max out of range: ${max}`);
      // Rejection sampling: no modulo bias.
      const limit = 2 ** 32 - (2 ** 32 % max);
      for (;;) {
        const v = bytes(4).readUInt32BE(0);
        if (v < limit) return v % max;
      }
    },
    uuid: () => uuidFrom(bytes(16)),
    fork: (child) => seededRandom(seed, `${label}/${child}`),
  };
}
