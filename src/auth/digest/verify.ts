import { hash, timingSafeEqual } from 'node:crypto';
import { DIGEST_REALM } from './challenge.ts';
import type { NonceCountStore } from './nonce-counts.ts';
import type { NonceService } from './nonce.ts';
import { parseDigestAuthorization } from './parse.ts';

export type DigestAlgorithm = 'MD5' | 'SHA-256';

export type DigestResult = { ok: true; username: string } | { ok: false; stale: boolean };

export type VerifyDigestArgs = {
  header: string | undefined;
  method: string;
  /** Path + query exactly as on the request line. */
  requestUri: string;
  nonces: NonceService;
  counts: NonceCountStore;
  lookupPassword: (username: string) => Promise<string | null>;
};

/** 'MD5' (also when absent) or 'SHA-256', case-insensitively; null for anything else. */
export function normalizeDigestAlgorithm(algorithm: string | undefined): DigestAlgorithm | null {
  if (algorithm === undefined) return 'MD5';
  const upper = algorithm.toUpperCase();
  return upper === 'MD5' || upper === 'SHA-256' ? upper : null;
}

function hashHex(alg: DigestAlgorithm, data: string): string {
  return hash(alg === 'MD5' ? 'md5' : 'sha256', data, 'hex');
}

/** H(username:realm:password) for the given algorithm (RFC 7616 §3.4.2). */
export function digestHa1With(alg: DigestAlgorithm, username: string, realm: string, password: string): string {
  const normalized = normalizeDigestAlgorithm(alg);
  if (normalized === null) throw new RangeError(`unsupported digest algorithm: ${alg}`);
  return hashHex(normalized, `${username}:${realm}:${password}`);
}

/** MD5(username:realm:password), hex. */
export function digestHa1(username: string, realm: string, password: string): string {
  return digestHa1With('MD5', username, realm, password);
}

/**
 * The `response` a client must send. `ha1` must come from `digestHa1With`
 * with the same algorithm. Supports qop "auth" and absent qop (RFC 2069).
 * Throws RangeError for unsupported algorithms (e.g. *-sess) and qops (e.g.
 * auth-int), or qop=auth without nc/cnonce; callers treat that as failure.
 */
export function expectedDigestResponse(args: {
  ha1: string;
  method: string;
  uri: string;
  nonce: string;
  nc?: string;
  cnonce?: string;
  qop?: string;
  algorithm?: string;
}): string {
  const alg = normalizeDigestAlgorithm(args.algorithm);
  if (alg === null) throw new RangeError(`unsupported digest algorithm: ${args.algorithm}`);
  const ha2 = hashHex(alg, `${args.method}:${args.uri}`);
  if (args.qop === undefined) return hashHex(alg, `${args.ha1}:${args.nonce}:${ha2}`);
  if (args.qop.toLowerCase() !== 'auth') throw new RangeError(`unsupported qop: ${args.qop}`);
  if (args.nc === undefined || args.cnonce === undefined) throw new RangeError('qop=auth needs nc and cnonce');
  return hashHex(alg, `${args.ha1}:${args.nonce}:${args.nc}:${args.cnonce}:${args.qop}:${ha2}`);
}

/** Path + query of an absolute-form URI (`http://host/p?q` → `/p?q`), else null. */
function absoluteUriPath(uri: string): string | null {
  const m = /^https?:\/\/[^/?#]*(\/[^#]*)?$/i.exec(uri);
  return m === null ? null : (m[1] ?? '/');
}

function constantTimeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  // Length is not secret (always 32 or 64 hex digits for a well-formed response).
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

const fail = (): DigestResult => ({ ok: false, stale: false });
/** Hashed when the username is unknown, so that case costs the same as a wrong password. */
const DUMMY_PASSWORD = '00000000-0000-0000-0000-000000000000';

/**
 * Checks an Authorization header against the request. Malformed input never
 * throws; errors from `lookupPassword` or `counts` (e.g. database down) do
 * propagate, since they are not authentication failures.
 */
export async function verifyDigest(args: VerifyDigestArgs): Promise<DigestResult> {
  if (typeof args.header !== 'string') return fail();
  const creds = parseDigestAuthorization(args.header);
  if (creds === null || creds.realm !== DIGEST_REALM) return fail();
  if (creds.uri !== args.requestUri && absoluteUriPath(creds.uri) !== args.requestUri) return fail();

  const alg = normalizeDigestAlgorithm(creds.algorithm);
  if (alg === null) return fail();
  let nc = 0; // without qop (RFC 2069) there is no nc: such a nonce is usable once
  if (creds.qop !== undefined) {
    if (creds.qop.toLowerCase() !== 'auth') return fail();
    if (creds.nc === undefined || !/^[0-9A-Fa-f]{8}$/.test(creds.nc)) return fail();
    if (creds.cnonce === undefined || creds.cnonce === '') return fail();
    nc = Number.parseInt(creds.nc, 16);
  }

  const nonceStatus = args.nonces.check(creds.nonce);
  if (nonceStatus === 'invalid') return fail();

  const password = await args.lookupPassword(creds.username);
  const ha1 = digestHa1With(alg, creds.username, creds.realm, password ?? DUMMY_PASSWORD);
  let expected: string;
  try {
    expected = expectedDigestResponse({ ...creds, ha1, method: args.method });
  } catch {
    return fail();
  }
  const matches = constantTimeEqual(expected, creds.response.toLowerCase());
  if (password === null || !matches) return fail();
  if (nonceStatus === 'stale') return { ok: false, stale: true };

  const expiresAt = args.nonces.expiresAt(creds.nonce);
  if (expiresAt === null) return fail();
  if (!(await args.counts.markUsed(creds.nonce, nc, expiresAt))) {
    // A nonce is good for MAX_COUNTS_PER_NONCE requests (Jetty's maxNonceCount); a used-up one
    // answers stale=true so the client carries on with a fresh nonce instead of failing.
    return (await args.counts.exhausted(creds.nonce)) ? { ok: false, stale: true } : fail();
  }
  return { ok: true, username: creds.username };
}
