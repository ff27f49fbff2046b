import type { FastifyInstance } from 'fastify';

/** The headers Atlas puts on every API response (recorded), minus those describing its own deployment. */
export function registerSecurityHeaders(app: FastifyInstance, serviceVersion: string): void {
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('referrer-policy', 'strict-origin-when-cross-origin');
    reply.header('strict-transport-security', 'max-age=31536000; includeSubdomains;');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('x-mongodb-service-version', serviceVersion);
    reply.header('x-permitted-cross-domain-policies', 'none');
    // Recorded on Cloud Manager v1.0 answers and on the challenge, not on Atlas v2 successes.
    if (request.url.startsWith('/api/public/')) reply.header('vary', 'Accept-Encoding');
    return payload;
  });
}
