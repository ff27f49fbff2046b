import type { DomainContext } from '../domain/context.ts';
import { principalForPublicKey, privateKeyFor } from '../domain/api-keys/api-key.service.ts';
import type { Principal } from '../domain/principal.ts';
import { digestChallenge, type NonceCountStore, type NonceService, verifyDigest } from './digest/index.ts';

export type AuthOutcome = { ok: true; principal: Principal } | { ok: false; challenge: string };

/**
 * Turns a request's Authorization header into a Principal, or into the Digest challenge to send
 * back (with stale=true when only the nonce was too old, so clients retry without prompting).
 */
export function createAuthenticator(deps: { ctx: DomainContext; nonces: NonceService; counts: NonceCountStore }) {
  return async function authenticate(method: string, requestUri: string, header: string | undefined): Promise<AuthOutcome> {
    const result = await verifyDigest({
      header,
      method,
      requestUri,
      nonces: deps.nonces,
      counts: deps.counts,
      lookupPassword: (username) => privateKeyFor(deps.ctx, username),
    });
    if (result.ok) {
      const principal = await principalForPublicKey(deps.ctx, result.username);
      if (principal) return { ok: true, principal };
    }
    const stale = !result.ok && result.stale;
    return { ok: false, challenge: digestChallenge(deps.nonces.issue(), stale) };
  };
}
