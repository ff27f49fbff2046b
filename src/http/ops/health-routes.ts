import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { storeReadiness } from '../../domain/store-readiness.ts';
import { AtlasError, atlasError } from '../../errors/atlas-error.ts';
import type { Database } from '../../storage/schema.ts';
import { sendError } from '../wire.ts';
import { noStoreReply } from '../json-reply.ts';
import type { Metrics } from './metrics.ts';

/** Served without credentials, with or without the control plane (the control token does not guard them). */
export const OPEN_PATHS: ReadonlySet<string> = new Set([
  '/_cloud-invites/health',
  '/_cloud-invites/ready',
  '/_cloud-invites/metrics',
]);

/** Liveness (the process answers) and readiness (the store answers and is migrated). */
export async function healthRoutes(scope: FastifyInstance, db: Kysely<Database>): Promise<void> {
  scope.get('/_cloud-invites/health', async (_request, reply) => noStoreReply(reply, 200, { status: 'ok' }));
  scope.get('/_cloud-invites/ready', async (request, reply) => {
    const r = await storeReadiness(db);
    if (r.ready) return noStoreReply(reply, 200, { status: 'ok', migration: r.migration });
    request.log.warn({ reason: r.reason }, 'not ready');
    reply.header('cache-control', 'no-store');
    return sendError(request, reply, Object.assign(new AtlasError('UNEXPECTED_ERROR', r.reason), { status: 503 }));
  });
}

/** Prometheus text format; with a metrics token, only for `Authorization: Bearer <token>`. */
export async function metricsRoute(scope: FastifyInstance, deps: { metrics: Metrics; token?: string }): Promise<void> {
  const expected = deps.token ? Buffer.from(deps.token) : null;
  scope.get('/_cloud-invites/metrics', async (request, reply) => {
    if (expected) {
      const given = Buffer.from(/^Bearer +(\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        reply.header('www-authenticate', 'Bearer realm="cloud-invites metrics"');
        throw atlasError('USER_UNAUTHORIZED');
      }
    }
    const text = await deps.metrics.registry.metrics();
    return reply.code(200).header('content-type', deps.metrics.registry.contentType).send(text);
  });
}
