import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthOutcome } from '../../auth/authenticate.ts';
import { normalizeAddress } from '../../domain/access-lists/access-list.ts';
import type { Principal } from '../../domain/principal.ts';
import { atlasError } from '../../errors/atlas-error.ts';
import type { RateLimiter } from '../rate-limiter.ts';
import { atlasPath } from '../route-path.ts';
import { sendChallenge } from '../wire.ts';
import { resolveVersion } from './versioning.ts';

const API_PREFIXES = ['/api/atlas/v2', '/api/public/v1.0'];

function isApiPath(url: string): boolean {
  let path = url.split('?')[0].replace(/\/{2,}/g, '/');
  try {
    path = decodeURIComponent(path);
  } catch {
    return true; // undecodable: treat as API, so it is challenged rather than served
  }
  return API_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
}

/** Every route that declares an API resource authenticates, whatever spelling of the path reached it. */
function needsAuthentication(request: FastifyRequest): boolean {
  return Boolean(request.routeOptions.config?.resource) || isApiPath(request.url);
}

/**
 * The bucket a call draws from. Project and org buckets are shared by the callers of one
 * organization: a caller from another organization (refused anyway) draws from its own, so it
 * cannot drain a tenant's budget with calls it is not allowed to make.
 */
function scopeKey(request: FastifyRequest, scope: 'group' | 'org' | 'user'): string {
  const params = request.params as Record<string, string>;
  const caller = request.principal?.orgId ?? '';
  if (scope === 'group') return `g:${params.groupId ?? ''}:${caller}`;
  if (scope === 'org') return `o:${params.orgId ?? ''}:${caller}`;
  return `u:${request.principal?.id ?? ''}`;
}

/** `api/atlas/v2/groups/{groupId}/invites`: how Atlas names a resource in rate-limit errors. */
function resourceName(request: FastifyRequest): string {
  return atlasPath(request.routeOptions.url ?? request.url).replace(/^\//, '');
}

function rateLimitHeaders(reply: FastifyReply, limit: number, remaining: number): void {
  reply.header('ratelimit-limit', String(limit));
  reply.header('ratelimit-remaining', String(remaining));
}

export interface ApiHookDeps {
  authenticate: (method: string, uri: string, header: string | undefined) => Promise<AuthOutcome>;
  enforceAccessList: (principal: Principal, address: string) => Promise<void>;
  limiter: RateLimiter | null;
}

/**
 * The order Atlas answers in: authenticate (the Digest challenge goes out before the body is
 * read), check the credential's access list, negotiate the version; then, once routed, count the
 * call against its rate-limit bucket.
 */
export function registerApiHooks(app: FastifyInstance, deps: ApiHookDeps): void {
  app.decorateRequest('principal', null);
  app.decorateRequest('apiVersion', null);
  app.decorateRequest('rateLimit', null);
  app.decorateRequest('invitationTokenTaken', false);

  app.addHook('onRequest', async (request, reply) => {
    if (!needsAuthentication(request)) return;
    const outcome = await deps.authenticate(request.method, request.url, request.headers.authorization);
    if (!outcome.ok) return sendChallenge(reply, outcome.challenge);
    request.principal = outcome.principal;
    await deps.enforceAccessList(outcome.principal, request.ip);
    const meta = request.routeOptions.config?.resource;
    if (meta?.surface === 'v2' && meta.versions) {
      request.apiVersion = resolveVersion(request.headers.accept, meta.versions);
    }
  });

  // A NUL (`%00`) in a query value is refused before it can reach the store.
  app.addHook('preValidation', async (request) => {
    if (!needsAuthentication(request)) return;
    for (const [name, value] of Object.entries((request.query ?? {}) as Record<string, unknown>)) {
      const values = Array.isArray(value) ? value : [value];
      if (values.some((v) => typeof v === 'string' && v.includes('\u0000')))
        throw atlasError('INVALID_QUERY_PARAMETER', name);
    }
  });

  app.addHook('preHandler', async (request, reply) => {
    const { limiter } = deps;
    const config = request.routeOptions.config;
    const bucket = config?.resource?.bucket;
    if (!limiter || !bucket) return;
    const r = await limiter.take(bucket.spec.name, scopeKey(request, bucket.scope));
    if (!r.allowed) {
      rateLimitHeaders(reply, r.capacity, 0);
      reply.header('retry-after', String(r.retryAfterSeconds));
      throw atlasError(
        'RATE_LIMITED_TOKEN_BUCKET',
        resourceName(request),
        r.retryAfterSeconds,
        r.capacity,
        r.refill,
        r.periodSeconds,
      );
    }
    request.rateLimit = { limit: r.capacity, remaining: r.remaining };
    if (config.throttleInvitations) {
      // Taken before the invitation is made, atomically, so parallel requests (on any node) cannot
      // all pass a check that each made before the others counted.
      const invitation = await limiter.take('invitations-ip', normalizeAddress(request.ip));
      if (!invitation.allowed)
        throw atlasError('INVITATIONS_RATE_LIMITED_IP', invitation.capacity, invitation.periodSeconds / 60);
      request.invitationTokenTaken = true;
    }
  });

  // Only invitations actually made count against the per-address limit (Atlas: "invitations per
  // minute"): a refused or malformed attempt gets its token back once answered.
  app.addHook('onResponse', async (request, reply) => {
    if (!deps.limiter || !request.invitationTokenTaken || reply.statusCode === 200 || reply.statusCode === 201) return;
    try {
      await deps.limiter.giveBack('invitations-ip', normalizeAddress(request.ip));
    } catch (err) {
      request.log.warn({ err: String(err) }, 'could not give back an invitation-limit token');
    }
  });
}
