import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TokenService } from '../../auth/oauth/tokens.ts';
import type { DomainContext } from '../../domain/context.ts';
import { verifyClientSecret } from '../../domain/service-accounts/service-account.service.ts';
import type { ServiceAccount } from '../../domain/service-accounts/service-account.ts';
import { atlasError } from '../../errors/atlas-error.ts';
import type { RateLimiter } from '../rate-limiter.ts';

type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'unsupported_grant_type';
const DESCRIPTIONS: Record<OAuthErrorCode, string> = {
  invalid_request: 'The request is missing a required parameter or is otherwise malformed.',
  invalid_client: 'Invalid credentials provided.',
  unsupported_grant_type: 'The authorization grant type is not supported.',
};

/** RFC 6749 §5.2 error body, in the key order Atlas's docs show. */
function oauthError(reply: FastifyReply, status: number, error: OAuthErrorCode): FastifyReply {
  if (error === 'invalid_client') reply.header('www-authenticate', 'Basic realm="MMS Public API"');
  return reply
    .code(status)
    .header('content-type', 'application/json')
    .header('cache-control', 'no-store')
    .send(Buffer.from(JSON.stringify({ error_description: DESCRIPTIONS[error], error })));
}

/** Client id and secret from HTTP Basic (raw, or form-encoded as RFC 6749 §2.3.1 says) or the form. */
function clientCredentials(
  request: FastifyRequest,
  form: Record<string, string>,
): { id: string; secret: string } | null {
  const basic = /^Basic +([A-Za-z0-9+/=]+)\s*$/i.exec(request.headers.authorization ?? '');
  if (basic) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i < 0) return null;
    const unform = (s: string) => {
      try {
        return decodeURIComponent(s.replace(/\+/g, ' '));
      } catch {
        return s;
      }
    };
    return { id: unform(decoded.slice(0, i)), secret: unform(decoded.slice(i + 1)) };
  }
  if (form.client_id && form.client_secret) return { id: form.client_id, secret: form.client_secret };
  return null;
}

/** RFC 6749 forms; anything else reaches the handler as null, which it answers `invalid_request`. */
function registerFormParser(scope: FastifyInstance): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', { parseAs: 'string' }, (request, body, done) => {
    const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    done(
      null,
      type === 'application/x-www-form-urlencoded' ? Object.fromEntries(new URLSearchParams(String(body))) : null,
    );
  });
}

/**
 * The OAuth token endpoints, in their own scope: they read forms and speak RFC 6749 to OAuth
 * clients, even about oversized or unreadable bodies; everything else (rate limits, failures) is
 * answered as the rest of the API answers it (`fallback`).
 */
export function registerOAuthRoutes(
  app: FastifyInstance,
  deps: { ctx: DomainContext; tokens: TokenService; limiter: RateLimiter | null },
  fallback: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => FastifyReply,
): void {
  app.register(async (scope) => {
    registerFormParser(scope);
    scope.setErrorHandler((error: FastifyError, request, reply) => {
      if (!error.code?.startsWith('FST_ERR_CTP_')) return fallback(error, request, reply);
      return reply
        .code(400)
        .header('content-type', 'application/json')
        .header('cache-control', 'no-store')
        .send(
          Buffer.from(
            JSON.stringify({ error_description: 'The request body could not be read.', error: 'invalid_request' }),
          ),
        );
    });
    registerTokenRoutes(scope, deps);
  });
}

function registerTokenRoutes(
  app: FastifyInstance,
  deps: { ctx: DomainContext; tokens: TokenService; limiter: RateLimiter | null },
): void {
  async function authenticateClient(
    request: FastifyRequest,
    form: Record<string, string>,
  ): Promise<ServiceAccount | null> {
    const creds = clientCredentials(request, form);
    return creds ? verifyClientSecret(deps.ctx, creds.id, creds.secret) : null;
  }

  /** The token endpoint's own limit, per address and client, answered in Atlas's ApiError format (observed). */
  async function throttle(request: FastifyRequest, reply: FastifyReply, form: Record<string, string>): Promise<void> {
    if (!deps.limiter) return;
    const client = clientCredentials(request, form)?.id ?? '';
    const r = await deps.limiter.take('oauth-token', `${request.ip}|${client}`);
    if (!r.allowed) {
      reply.header('retry-after', String(r.retryAfterSeconds));
      throw atlasError('RATE_LIMITED', '/api/oauth/token', r.capacity, r.periodSeconds / 60);
    }
  }

  app.post('/api/oauth/token', async function generateToken(request, reply) {
    const form = request.body as Record<string, string> | null;
    if (!form) return oauthError(reply, 400, 'invalid_request');
    await throttle(request, reply, form);
    const sa = await authenticateClient(request, form);
    if (!sa) return oauthError(reply, 401, 'invalid_client');
    if (!form.grant_type) return oauthError(reply, 400, 'invalid_request');
    if (form.grant_type !== 'client_credentials') return oauthError(reply, 400, 'unsupported_grant_type');
    const token = await deps.tokens.issue(sa.clientId);
    return reply
      .code(200)
      .header('content-type', 'application/json')
      .header('cache-control', 'no-store')
      .header('pragma', 'no-cache')
      .send(
        Buffer.from(
          JSON.stringify({ access_token: token.accessToken, expires_in: token.expiresIn, token_type: 'Bearer' }),
        ),
      );
  });

  app.post('/api/oauth/revoke', async function revokeToken(request, reply) {
    const form = request.body as Record<string, string> | null;
    if (!form) return oauthError(reply, 400, 'invalid_request');
    const sa = await authenticateClient(request, form);
    if (!sa) return oauthError(reply, 401, 'invalid_client');
    if (!form.token) return oauthError(reply, 400, 'invalid_request');
    await deps.tokens.revoke(form.token, sa.clientId);
    return reply.code(200).send();
  });
}
