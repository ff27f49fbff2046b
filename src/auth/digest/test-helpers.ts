// Shared fixtures for the verify*.test.ts files (not a test file itself).
import { createMemoryNonceCountStore } from './nonce-counts.ts';
import { createNonceService } from './nonce.ts';
import { type DigestAlgorithm, digestHa1With, expectedDigestResponse } from './verify.ts';

export const USER = 'xjwqkfhp';
const PASSWORD = '5e1b7c3a-9f0d-4e2b-8a6c-1d2e3f4a5b6c';
export const URI = '/api/atlas/v2/groups/65f1c0ffee0123456789abcd/invites?pageNum=1&itemsPerPage=100';
export const T0 = 1_700_000_000_000;

export function setup() {
  const clock = { t: T0 };
  const now = () => clock.t;
  const nonces = createNonceService({ secret: Buffer.alloc(32, 7), now });
  const counts = createMemoryNonceCountStore({ now });
  const lookups: string[] = [];
  const lookupPassword = async (u: string) => {
    lookups.push(u);
    return u === USER ? PASSWORD : null;
  };
  return { clock, nonces, counts, lookups, lookupPassword };
}

export type H = {
  nonce: string;
  nc?: string;
  cnonce?: string | null;
  /** null = no qop (RFC 2069 style) */
  qop?: string | null;
  user?: string;
  password?: string;
  uri?: string;
  method?: string;
  realm?: string;
  /** null = no algorithm parameter */
  algorithm?: string | null;
};

/** A curl-style header whose response is what a correct client computes for these parameters. */
export function header(h: H): string {
  const realm = h.realm ?? 'MMS Public API';
  const alg = h.algorithm === null ? undefined : (h.algorithm ?? 'MD5');
  const user = h.user ?? USER;
  const uri = h.uri ?? URI;
  const cnonce = h.cnonce === null ? undefined : (h.cnonce ?? 'MzJlNWYwNjBjZjJkMWFhZjE3ZTc4N2QyYTVmNjYzNzY=');
  const nc = h.nc ?? '00000001';
  const qop = h.qop === null ? undefined : (h.qop ?? 'auth');
  const ha1 = digestHa1With((alg ?? 'MD5').toUpperCase() as DigestAlgorithm, user, realm, h.password ?? PASSWORD);
  // A client sending qop=auth-int would hash differently; computing it as for "auth" is enough here.
  const hashQop = qop === undefined ? undefined : qop.toLowerCase() === 'auth' ? qop : 'auth';
  const response = expectedDigestResponse({
    ha1,
    method: h.method ?? 'GET',
    uri,
    nonce: h.nonce,
    algorithm: alg,
    ...(hashQop === undefined ? {} : { qop: hashQop, nc, cnonce: cnonce ?? '' }),
  });
  const parts = [`username="${user}"`, `realm="${realm}"`, `nonce="${h.nonce}"`, `uri="${uri}"`];
  if (cnonce !== undefined && qop !== undefined) parts.push(`cnonce="${cnonce}"`);
  if (qop !== undefined) parts.push(`nc=${nc}`, `qop=${qop}`);
  parts.push(`response="${response}"`);
  if (alg !== undefined) parts.push(`algorithm=${alg}`);
  return `Digest ${parts.join(', ')}`;
}
