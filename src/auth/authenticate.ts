import { credentialFor } from '../domain/api-keys/api-key.service.ts';
import type { DomainContext } from '../domain/context.ts';
import type { Principal } from '../domain/principal.ts';
import { SealError } from '../lib/secret-box.ts';
import { findServiceAccount, principalForServiceAccount } from '../domain/service-accounts/service-account.service.ts';
import { digestChallenge, type NonceCountStore, type NonceService, verifyDigest } from './digest/index.ts';
import type { TokenService } from './oauth/tokens.ts';

/** Why a request got the challenge. */
export type AuthFailureKind = 'no_credentials' | 'stale_nonce' | 'bad_digest' | 'bad_bearer';

export type AuthOutcome = { ok: true; principal: Principal } | { ok: false; challenge: string };

/**
 * Turns a request's Authorization header into a Principal: a service account's Bearer token, or
 * an API key's Digest response. Anything else gets the Digest challenge (stale=true when only the
 * nonce was too old, so clients retry without prompting).
 */
export function createAuthenticator(deps: {
  ctx: DomainContext;
  nonces: NonceService;
  counts: NonceCountStore;
  tokens: TokenService;
  /** Told why a request got the challenge (metrics). */
  onFailure?: (kind: AuthFailureKind) => void;
  /** A stored private key that no longer opens (the secret key was rotated under a running node). */
  onSealError?: (publicKey: string, err: unknown) => void;
}) {
  const challenge = (stale: boolean): AuthOutcome => ({
    ok: false,
    challenge: digestChallenge(deps.nonces.issue(), stale),
  });

  async function bearer(token: string): Promise<AuthOutcome> {
    const clientId = await deps.tokens.verify(token);
    const sa = clientId ? await findServiceAccount(deps.ctx, clientId) : null;
    if (sa) return { ok: true, principal: principalForServiceAccount(sa) };
    deps.onFailure?.('bad_bearer');
    return challenge(false);
  }

  return async function authenticate(
    method: string,
    requestUri: string,
    header: string | undefined,
  ): Promise<AuthOutcome> {
    // No credentials: the challenge, with no lookup. Otherwise the first thing the request does:
    // what the access cache holds is as of now from here on.
    if (header === undefined) {
      deps.onFailure?.('no_credentials');
      return challenge(false);
    }
    await deps.ctx.cache.refresh();
    const bearerMatch = /^Bearer +(\S+)\s*$/i.exec(header ?? '');
    if (bearerMatch) return bearer(bearerMatch[1]);
    // One lookup per request: the key that verifies the response is the key that acts.
    let principal: Principal | null = null;
    const result = await verifyDigest({
      header,
      method,
      requestUri,
      nonces: deps.nonces,
      counts: deps.counts,
      lookupPassword: async (username) => {
        let credential: Awaited<ReturnType<typeof credentialFor>>;
        try {
          credential = await credentialFor(deps.ctx, username);
        } catch (err) {
          if (!(err instanceof SealError)) throw err;
          // Answered like a wrong key (401), not a 500 that would also reveal the key exists.
          deps.onSealError?.(username, err);
          return null;
        }
        principal = credential?.principal ?? null;
        return credential?.privateKey ?? null;
      },
    });
    if (result.ok && principal) return { ok: true, principal };
    const stale = !result.ok && result.stale;
    deps.onFailure?.(stale ? 'stale_nonce' : 'bad_digest');
    return challenge(stale);
  };
}
