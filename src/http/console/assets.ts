import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

/** The console's only static files, read once and served from here (no third-party host is ever asked). */
const FILES: Record<string, { type: string; body: Buffer }> = Object.fromEntries(
  [
    ['console.css', 'text/css; charset=utf-8'],
    ['console.js', 'text/javascript; charset=utf-8'],
    ['favicon.svg', 'image/svg+xml'],
  ].map(([name, type]) => [name, { type, body: readFileSync(new URL(`./assets/${name}`, import.meta.url)) }]),
);

export function registerAssetRoutes(scope: FastifyInstance): void {
  scope.get('/assets/:name', async (request, reply) => {
    const file = FILES[(request.params as { name: string }).name];
    if (!file) return reply.callNotFound();
    return reply.header('content-type', file.type).header('cache-control', 'public, max-age=3600').send(file.body);
  });
}
