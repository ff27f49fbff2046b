import { createHmac, createSecretKey, randomBytes, timingSafeEqual } from 'node:crypto';

export type NonceStatus = 'valid' | 'stale' | 'invalid';

export interface NonceService {
  /** A fresh nonce: 32 base64 characters (24 bytes), like the ones Atlas sends. */
  issue(): string;
  /**
   * 'invalid' = not issued with our secret; 'stale' = authentic but expired (or from the future),
   * or issued by another node (or by this node before a restart), whose used counts we cannot see.
   */
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
  /** 4 bytes naming this node (this process); default random, so a restart is a new node. */
  nodeId?: Uint8Array;
  /** Where the node id (when not given) and the sequence's start come from; default the CSPRNG. */
  random?: { bytes(n: number): Buffer };
};

const TIME_BYTES = 6;
const NODE_BYTES = 4;
// A per-node sequence (from a random start): two clients given nonces in the same millisecond
// never share one, or the second one's nc=1 would look like a replay.
const SEQUENCE_BYTES = 4;
const PAYLOAD_BYTES = TIME_BYTES + NODE_BYTES + SEQUENCE_BYTES;
const MAC_BYTES = 10;
const NONCE_BYTES = PAYLOAD_BYTES + MAC_BYTES; // 24 bytes → 32 base64 chars, no padding
const NONCE_SHAPE = /^[A-Za-z0-9+/]{32}$/;
/** Clock skew tolerated between server nodes. */
const MAX_FUTURE_MS = 5_000;

/**
 * Nonces: `base64(issueTimeMs[6, big-endian] ‖ nodeId[4] ‖ sequence[4] ‖ HMAC-SHA256(secret, first 14 bytes)[0..10])`.
 * Any node holding the secret can tell an authentic nonce, but only the node that issued it
 * accepts it: that node alone holds its used nonce counts, so a request captured on one node and
 * replayed to another is answered `stale=true` there (ADR 0002).
 */
export function createNonceService(opts: NonceServiceOptions): NonceService {
  if (!(opts.secret instanceof Uint8Array) || opts.secret.length < 16) {
    throw new RangeError('nonce secret must be at least 16 bytes');
  }
  // A key object made once (a private copy: later mutation by the caller has no effect); making one
  // from bytes on every HMAC costs more than the HMAC.
  const secret = createSecretKey(Buffer.from(opts.secret));
  const maxAgeMs = opts.maxAgeMs ?? 300_000;
  if (!Number.isFinite(maxAgeMs) || maxAgeMs <= 0) throw new RangeError('maxAgeMs must be > 0');
  const now = (): number => Math.floor(opts.now());
  const random = opts.random ?? { bytes: randomBytes };
  const nodeId = Buffer.from(opts.nodeId ?? random.bytes(NODE_BYTES));
  if (nodeId.length !== NODE_BYTES) throw new RangeError(`nodeId must be ${NODE_BYTES} bytes`);
  let sequence = random.bytes(SEQUENCE_BYTES).readUInt32BE(0);

  const mac = (payload: Buffer): Buffer => createHmac('sha256', secret).update(payload).digest().subarray(0, MAC_BYTES);

  /** Issue time and issuing node of an authentic nonce, null if malformed or forged. */
  const authentic = (nonce: string): { issued: number; ours: boolean } | null => {
    if (typeof nonce !== 'string' || !NONCE_SHAPE.test(nonce)) return null;
    const raw = Buffer.from(nonce, 'base64');
    if (raw.length !== NONCE_BYTES) return null;
    const payload = raw.subarray(0, PAYLOAD_BYTES);
    if (!timingSafeEqual(mac(payload), raw.subarray(PAYLOAD_BYTES))) return null;
    return {
      issued: payload.readUIntBE(0, TIME_BYTES),
      ours: nodeId.equals(payload.subarray(TIME_BYTES, TIME_BYTES + NODE_BYTES)),
    };
  };

  return {
    issue(): string {
      const t = now();
      if (!Number.isSafeInteger(t) || t < 0 || t >= 2 ** (8 * TIME_BYTES)) {
        throw new RangeError(`clock value out of range: ${t}`);
      }
      const payload = Buffer.alloc(PAYLOAD_BYTES);
      payload.writeUIntBE(t, 0, TIME_BYTES);
      nodeId.copy(payload, TIME_BYTES);
      sequence = (sequence + 1) >>> 0;
      payload.writeUInt32BE(sequence, TIME_BYTES + NODE_BYTES);
      return Buffer.concat([payload, mac(payload)]).toString('base64');
    },

    check(nonce: string): NonceStatus {
      const found = authentic(nonce);
      if (found === null) return 'invalid';
      if (!found.ours) return 'stale';
      const age = now() - found.issued;
      // Written so that a NaN clock reading yields 'stale', never 'valid'.
      return age <= maxAgeMs && age >= -MAX_FUTURE_MS ? 'valid' : 'stale';
    },

    expiresAt(nonce: string): number | null {
      const found = authentic(nonce);
      return found === null ? null : found.issued + maxAgeMs;
    },
  };
}
