import type { DomainContext } from '../domain/context.ts';
import { credentialFor } from '../domain/api-keys/api-key.service.ts';
import type { Principal } from '../domain/principal.ts';
import { digestChallenge, type NonceCountStore, type NonceService, verifyDigest } from './digest/index.ts';

export type AuthOutcome = { ok: true; principal: Principal } | { ok: false; challenge: string };

/**
 * Turns a request's Authorization header into a Principal, or into the Digest challenge to send
 * back (with stale=true when only the nonce was too old, so clients retry without prompting).
 */
export function createAuthenticator(deps: { ctx: DomainContext; nonces: NonceService; counts: NonceCountStore }) {
  return async function authenticate(method: string, requestUri: string, header: string | undefined): Promise<AuthOutcome> {
    // One lookup per request: the key that verifies the response is the key that acts.
    let principal: Principal | null = null;
    const result = await verifyDigest({
      header,
      method,
      requestUri,
      nonces: deps.nonces,
      counts: deps.counts,
      lookupPassword: async (username) => {
        const credential = await credentialFor(deps.ctx, username);
        principal = credential?.principal ?? null;
        return credential?.privateKey ?? null;
      },
    });
    if (result.ok && principal) return { ok: true, principal };
    const stale = !result.ok && result.stale;
    return { ok: false, challenge: digestChallenge(deps.nonces.issue(), stale) };
  };
}
