import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export type NonceStatus = 'valid' | 'stale' | 'invalid';

export interface NonceService {
  /** A fresh nonce: 32 base64 characters (24 bytes), like the ones Atlas sends. */
  issue(): string;
  /** 'invalid' = not issued with our secret; 'stale' = authentic but expired (or from the future). */
  check(nonce: string): NonceStatus;
  /** Issue time + maxAgeMs (epoch ms) for an authentic nonce, null otherwise. */
  expiresAt(nonce: string): number | null;
}

export type NonceServiceOptions = {
  /** Shared by every server node; at least 16 bytes. */
  secret: Uint8Array;
  /** Current time in epoch milliseconds. */
  now: () => number;
  /** How long a nonce stays valid; default 300_000 (5 minutes). */
  maxAgeMs?: number;
};

const TIME_BYTES = 6;
// 8 random bytes: two clients given nonces in the same millisecond must not share one, or the
// second one's nc=1 would look like a replay. A 10-byte MAC still makes forgery hopeless.
const RANDOM_BYTES = 8;
const PAYLOAD_BYTES = TIME_BYTES + RANDOM_BYTES;
const MAC_BYTES = 10;
const NONCE_BYTES = PAYLOAD_BYTES + MAC_BYTES; // 24 bytes → 32 base64 chars, no padding
const NONCE_SHAPE = /^[A-Za-z0-9+/]{32}$/;
/** Clock skew tolerated between server nodes. */
const MAX_FUTURE_MS = 5_000;

/**
 * Stateless nonces: `base64(issueTimeMs[6, big-endian] ‖ random[8] ‖ HMAC-SHA256(secret, first 14 bytes)[0..10])`.
 * Any node holding the same secret can verify a nonce without shared state.
 */
export function createNonceService(opts: NonceServiceOptions): NonceService {
  if (!(opts.secret instanceof Uint8Array) || opts.secret.length < 16) {
    throw new RangeError('nonce secret must be at least 16 bytes');
  }
  const secret = Buffer.from(opts.secret); // private copy: later mutation by the caller has no effect
  const maxAgeMs = opts.maxAgeMs ?? 300_000;
  if (!Number.isFinite(maxAgeMs) || maxAgeMs <= 0) throw new RangeError('maxAgeMs must be > 0');
  const now = (): number => Math.floor(opts.now());

  const mac = (payload: Buffer): Buffer =>
    createHmac('sha256', secret).update(payload).digest().subarray(0, MAC_BYTES);

  /** Issue time of an authentic nonce, null if malformed or forged. */
  const issuedAt = (nonce: string): number | null => {
    if (typeof nonce !== 'string' || !NONCE_SHAPE.test(nonce)) return null;
    const raw = Buffer.from(nonce, 'base64');
    if (raw.length !== NONCE_BYTES) return null;
    const payload = raw.subarray(0, PAYLOAD_BYTES);
    if (!timingSafeEqual(mac(payload), raw.subarray(PAYLOAD_BYTES))) return null;
    return payload.readUIntBE(0, TIME_BYTES);
  };

  return {
    issue(): string {
      const t = now();
      if (!Number.isSafeInteger(t) || t < 0 || t >= 2 ** (8 * TIME_BYTES)) {
        throw new RangeError(`clock value out of range: ${t}`);
      }
      const payload = Buffer.alloc(PAYLOAD_BYTES);
      payload.writeUIntBE(t, 0, TIME_BYTES);
      randomBytes(RANDOM_BYTES).copy(payload, TIME_BYTES);
      return Buffer.concat([payload, mac(payload)]).toString('base64');
    },

    check(nonce: string): NonceStatus {
      const issued = issuedAt(nonce);
      if (issued === null) return 'invalid';
      const age = now() - issued;
      // Written so that a NaN clock reading yields 'stale', never 'valid'.
      return age <= maxAgeMs && age >= -MAX_FUTURE_MS ? 'valid' : 'stale';
    },

    expiresAt(nonce: string): number | null {
      const issued = issuedAt(nonce);
      return issued === null ? null : issued + maxAgeMs;
    },
  };
}
