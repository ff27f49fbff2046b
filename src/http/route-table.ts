import type { FastifyContextConfig, FastifyInstance } from 'fastify';

/** One registered route: what the router serves and the contract it declared, if any. */
export interface RouteEntry {
  readonly method: string;
  readonly url: string;
  readonly config: FastifyContextConfig;
}

/**
 * Records every route as it is registered (call it before any route is added). The rate-limit
 * introspection lists its endpoint sets from it, and the conformance walk checks it against the
 * spec: an operation cannot be served without its contract, nor declared without being served.
 */
export function recordRoutes(app: FastifyInstance): readonly RouteEntry[] {
  const table: RouteEntry[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods)
      table.push({ method, url: route.url, config: (route.config ?? {}) as FastifyContextConfig });
  });
  app.decorate('routeTable', table);
  return table;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered so far, in order (see recordRoutes). */
    readonly routeTable: readonly RouteEntry[];
  }
}
