import { createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';
import { cached, type DomainContext } from '../../domain/context.ts';
import {
  isTokenRevoked,
  pruneRevokedTokens,
  revokeToken,
} from '../../storage/repositories/revoked-tokens.repository.ts';

/** Atlas: "a Bearer token that is reusable and valid for 1 hour (3600 seconds)". */
const TOKEN_LIFETIME_SECONDS = 3600;
const ISSUER = 'cloud-invites';
/** The protected header of every token: HS256 JWTs (RFC 7519), as jose wrote them before. */
const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

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
 * Signed and checked with node:crypto directly (the tests check them against jose, a JWT library).
 */
export function createTokenService(ctx: DomainContext, key: Uint8Array): TokenService {
  const nowSeconds = () => Math.floor(ctx.clock.now().getTime() / 1000);
  const hmacKey = createSecretKey(Buffer.from(key));
  let issued = 0;
  /**
   * Checks a token on every Bearer request, synchronously: only the HS256 JWTs this server signs
   * (jose's verify goes through WebCrypto's job queue, which cost more than the rest of a request).
   * Same rules as before: our issuer, HS256 only, a valid signature, not expired (no tolerance).
   */
  async function decode(token: string) {
    const parts = token.split('.');
    if (parts.length !== 3) return null;
    const [head, body, signature] = parts;
    const header = parseSegment(head);
    if (!header || header.alg !== 'HS256' || 'crit' in header) return null;
    const expected = createHmac('sha256', hmacKey).update(`${head}.${body}`).digest();
    const given = Buffer.from(signature, 'base64url');
    if (
      given.length !== expected.length ||
      given.toString('base64url') !== signature ||
      !timingSafeEqual(given, expected)
    )
      return null;
    const payload = parseSegment(body);
    if (!payload || payload.iss !== ISSUER) return null;
    if (typeof payload.sub !== 'string' || typeof payload.jti !== 'string' || typeof payload.exp !== 'number')
      return null;
    if (payload.iat !== undefined && typeof payload.iat !== 'number') return null;
    if (payload.nbf !== undefined && (typeof payload.nbf !== 'number' || payload.nbf > nowSeconds())) return null;
    if (payload.exp <= nowSeconds()) return null;
    return { clientId: payload.sub, jti: payload.jti, exp: payload.exp };
  }
  return {
    async issue(clientId) {
      // Revocations outlive their tokens by no more than an hour's worth of issues.
      if (++issued % 100 === 0) await pruneRevokedTokens(ctx.db, ctx.clock.now());
      const iat = nowSeconds();
      const claims = {
        iss: ISSUER,
        sub: clientId,
        jti: ctx.random.bytes(16).toString('hex'),
        iat,
        exp: iat + TOKEN_LIFETIME_SECONDS,
      };
      const signingInput = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
      const signature = createHmac('sha256', hmacKey).update(signingInput).digest('base64url');
      return { accessToken: `${signingInput}.${signature}`, expiresIn: TOKEN_LIFETIME_SECONDS };
    },
    async verify(token) {
      const claims = await decode(token);
      if (!claims || (await cached(ctx, `revoked:${claims.jti}`, () => isTokenRevoked(ctx.db, claims.jti))))
        return null;
      return claims.clientId;
    },
    async revoke(token, clientId) {
      const claims = await decode(token);
      if (claims && claims.clientId === clientId) await revokeToken(ctx.db, claims.jti, new Date(claims.exp * 1000));
    },
  };
}

/** A JWT segment's JSON object, or null. */
function parseSegment(segment: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
