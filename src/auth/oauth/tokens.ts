import { randomBytes } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import type { DomainContext } from '../../domain/context.ts';
import { isTokenRevoked, revokeToken } from '../../storage/repositories/revoked-tokens.repository.ts';

/** Atlas: "a Bearer token that is reusable and valid for 1 hour (3600 seconds)". */
export const TOKEN_LIFETIME_SECONDS = 3600;
const ISSUER = 'cloud-invites';

export interface TokenService {
  issue(clientId: string): Promise<{ accessToken: string; expiresIn: number }>;
  /** The client id the token was issued to, or null when it is malformed, forged, expired or revoked. */
  verify(token: string): Promise<string | null>;
  /** Revokes the token if it was issued to `clientId`; anything else is silently ignored (RFC 7009). */
  revoke(token: string, clientId: string): Promise<void>;
}

/**
 * Access tokens are JWTs (HS256) signed with a key every node reads from the database, so any node
 * can check any token; revocations are rows in the same database. Time comes from the injected clock.
 */
export function createTokenService(ctx: DomainContext, key: Uint8Array): TokenService {
  const nowSeconds = () => Math.floor(ctx.clock.now().getTime() / 1000);
  async function decode(token: string) {
    try {
      const { payload } = await jwtVerify(token, key, {
        issuer: ISSUER,
        algorithms: ['HS256'],
        currentDate: ctx.clock.now(),
        clockTolerance: 0,
      });
      if (typeof payload.sub !== 'string' || typeof payload.jti !== 'string' || typeof payload.exp !== 'number') return null;
      return { clientId: payload.sub, jti: payload.jti, exp: payload.exp };
    } catch (err) {
      if (err instanceof errors.JOSEError || err instanceof TypeError) return null;
      throw err;
    }
  }
  return {
    async issue(clientId) {
      const iat = nowSeconds();
      const accessToken = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuer(ISSUER)
        .setSubject(clientId)
        .setJti(randomBytes(16).toString('hex'))
        .setIssuedAt(iat)
        .setExpirationTime(iat + TOKEN_LIFETIME_SECONDS)
        .sign(key);
      return { accessToken, expiresIn: TOKEN_LIFETIME_SECONDS };
    },
    async verify(token) {
      const claims = await decode(token);
      if (!claims || (await isTokenRevoked(ctx.db, claims.jti))) return null;
      return claims.clientId;
    },
    async revoke(token, clientId) {
      const claims = await decode(token);
      if (claims && claims.clientId === clientId) await revokeToken(ctx.db, claims.jti, new Date(claims.exp * 1000));
    },
  };
}
