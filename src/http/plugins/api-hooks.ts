import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthOutcome } from '../../auth/authenticate.ts';
import type { Clock } from '../../lib/clock.ts';
import { memoryBuckets } from '../../lib/token-bucket.ts';
import { sendChallenge } from '../wire.ts';
import { resolveVersion } from './versioning.ts';

export const API_PREFIXES = ['/api/atlas/v2', '/api/public/v1.0'];

export function isApiPath(url: string): boolean {
  const path = url.split('?')[0];
  return API_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
}

function scopeKey(request: FastifyRequest, scope: 'group' | 'org' | 'user'): string {
  const params = request.params as Record<string, string>;
  if (scope === 'group') return `g:${params.groupId ?? ''}`;
  if (scope === 'org') return `o:${params.orgId ?? ''}`;
  return `u:${request.principal?.id ?? ''}`;
}

/**
 * The order Atlas answers in: authenticate (the Digest challenge goes out before the body is
 * read), then negotiate the version, then count the call against its rate-limit bucket.
 */
export function registerApiHooks(
  app: FastifyInstance,
  deps: { authenticate: (method: string, uri: string, header: string | undefined) => Promise<AuthOutcome>; clock: Clock },
): void {
  const buckets = memoryBuckets();
  app.decorateRequest('principal', null);
  app.decorateRequest('apiVersion', null);
  app.decorateRequest('rateLimit', null);

  app.addHook('onRequest', async (request, reply) => {
    if (!isApiPath(request.url)) return;
    const outcome = await deps.authenticate(request.method, request.url, request.headers.authorization);
    if (!outcome.ok) return sendChallenge(reply, outcome.challenge);
    request.principal = outcome.principal;
    const meta = request.routeOptions.config?.resource;
    if (meta?.surface === 'v2' && meta.versions) {
      request.apiVersion = resolveVersion(request.headers.accept, meta.versions);
    }
  });

  app.addHook('preHandler', async (request) => {
    const bucket = request.routeOptions.config?.resource?.bucket;
    if (!bucket) return;
    const r = buckets.take(bucket.spec, scopeKey(request, bucket.scope), deps.clock.now().getTime());
    request.rateLimit = { limit: bucket.spec.capacity, remaining: r.remaining };
  });
}
