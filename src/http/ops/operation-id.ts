import type { FastifyRequest } from 'fastify';
import { atlasPath } from '../route-path.ts';
import { SPEC_OPERATIONS } from './spec-operations.ts';

/** What a request is counted and matched under when its route has no operationId (a 404). */
export const UNMATCHED = 'unmatched';

const V1 = '/api/public/v1.0/';
const V2 = '/api/atlas/v2/';

/**
 * The operationId a route serves: `config.operationId` where the route declares it, else the spec's
 * operationId for its method and path (a v1.0 twin takes its v2 operation's), else the route's path
 * as Atlas writes it (console, OAuth and control-plane routes are not in the spec).
 */
export function lookupOperationId(method: string, routeUrl: string | undefined): string {
  if (!routeUrl) return UNMATCHED;
  const path = atlasPath(routeUrl);
  const v2Path = path.startsWith(V1) ? V2 + path.slice(V1.length) : path;
  const specMethod = method === 'HEAD' ? 'GET' : method;
  return SPEC_OPERATIONS[`${specMethod} ${v2Path}`] ?? path;
}

type RouteConfig = { operationId?: string; url?: string };

/** Resolved once per route and method: the route's config object is the same for all its requests. */
const resolved = new WeakMap<object, Record<string, string>>();

export function operationIdOf(request: FastifyRequest): string {
  const config = request.routeOptions.config as RouteConfig | undefined;
  if (!config) return UNMATCHED;
  if (config.operationId) return config.operationId;
  let byMethod = resolved.get(config);
  if (!byMethod) {
    byMethod = {};
    resolved.set(config, byMethod);
  }
  let id = byMethod[request.method];
  if (id === undefined) {
    id = lookupOperationId(request.method, config.url);
    byMethod[request.method] = id;
  }
  return id;
}
