import type { FastifyRequest } from 'fastify';
import { atlasPath } from '../route-path.ts';

/** What a request is counted and matched under when no route took it (a 404). */
export const UNMATCHED = 'unmatched';

/**
 * The operationId a request is counted and matched under: its route contract's (every API route
 * has one; a v1.0 twin shares its v2 operation's), else the route's path as Atlas writes it
 * (console, OAuth and control-plane routes are not operations of the spec).
 */
export function operationIdOf(request: FastifyRequest): string {
  const config = request.routeOptions.config;
  const contract = config?.contract;
  if (contract) return contract.operationId;
  const url = request.routeOptions.url;
  return url ? atlasPath(url) : UNMATCHED;
}
