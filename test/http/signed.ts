import type { LightMyRequestResponse } from 'fastify';
import type { Credentials, TestWorld } from '../helpers/app.ts';
import { digestAuthorization } from '../helpers/digest-signer.ts';

/** A fresh Digest challenge (an unauthenticated request to the API root). */
export async function freshChallenge(w: TestWorld): Promise<string> {
  const res = await w.app.inject({ method: 'GET', url: '/api/atlas/v2' });
  const www = res.headers['www-authenticate'];
  if (res.statusCode !== 401 || typeof www !== 'string') throw new Error(`no challenge: ${res.statusCode}`);
  return www;
}

/**
 * One Digest-signed request with exactly the headers given (unlike `w.api`, which always adds an
 * Accept and a Content-Type): for tests of missing or unusual headers.
 */
export async function signedRequest(
  w: TestWorld,
  creds: Credentials,
  opts: { method?: string; url: string; headers?: Record<string, string>; payload?: string },
): Promise<LightMyRequestResponse> {
  const method = opts.method ?? 'GET';
  const authorization = digestAuthorization({
    username: creds.publicKey,
    password: creds.privateKey,
    method,
    uri: opts.url,
    challenge: await freshChallenge(w),
    nc: 1,
  });
  return w.app.inject({
    method: method as 'GET',
    url: opts.url,
    headers: { ...opts.headers, authorization },
    payload: opts.payload,
  });
}
