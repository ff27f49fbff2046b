import { BlockList, isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';
import { normalizeAddress } from '../../../domain/access-lists/access-list.ts';
import type { DomainContext } from '../../../domain/context.ts';
import { getOrgFor } from '../../../domain/orgs/org.service.ts';
import { getProjectFor } from '../../../domain/projects/project.service.ts';
import { requireOrgRole } from '../../../domain/roles/permissions.ts';
import { atlasError } from '../../../errors/atlas-error.ts';
import { baseUrl, pageLinks } from '../../links.ts';
import { pageQuery, stringQuery } from '../../params.ts';
import type { RateLimiter } from '../../rate-limiter.ts';
import type { RouteEntry } from '../../route-table.ts';
import { atlasPath } from '../../route-path.ts';
import { BUCKETS, type ResourceMeta } from '../../resources.ts';
import { type Call, route, type Surface } from '../../route.ts';
import { sendEntity } from '../../wire.ts';
import { type EndpointSet, type EndpointSetScope, endpointSetNaming, toRateLimitEndpointSet } from './mapper.ts';

/** listRateLimits / getRateLimit: only `2025-03-12` (the private `preview` media type is not served). Not rate limited themselves. */
const RATE_LIMITS_V2: ResourceMeta = { surface: 'v2', versions: ['2025-03-12'] };

const SCOPE_OF = { group: 'GROUP', org: 'ORGANIZATION', user: 'USER' } as const satisfies Record<
  string,
  EndpointSetScope
>;
const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH']);
const OBJECT_ID = /^([a-f0-9]{24})$/;
const V2_PREFIX = '/api/atlas/v2';

/** Every value of a repeatable query parameter (`?name=A&name=B`), empty ones dropped. */
function listQuery(request: FastifyRequest, name: string): string[] {
  const v = (request.query as Record<string, unknown>)[name];
  const all = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return all.filter((s): s is string => typeof s === 'string' && s !== '');
}

function sameAddress(a: string, b: string): boolean {
  const family = isIP(a);
  if (family === 0 || family !== isIP(b)) return false;
  const list = new BlockList();
  list.addAddress(a, family === 4 ? 'ipv4' : 'ipv6');
  return list.check(b, family === 4 ? 'ipv4' : 'ipv6');
}

const trimSlash = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p);

/**
 * Atlas's rate-limit introspection, answered from the buckets this server enforces: one endpoint
 * set per bucket, listing the v2 routes of the route table that draw from it. With `--rate-limits off` nothing is limited, so
 * there are no endpoint sets: the list is empty and every id is 404.
 */
export function registerRateLimitRoutes(
  api: Surface,
  deps: { ctx: DomainContext; limiter: RateLimiter | null; publicUrl?: string; routes: readonly RouteEntry[] },
): void {
  const { ctx, limiter } = deps;
  const routed = new Map<string, { scope: EndpointSetScope; endpoints: Array<{ method: string; path: string }> }>();
  const add = (bucket: string, scope: EndpointSetScope, methods: string[], path: string) => {
    const entry = routed.get(bucket) ?? { scope, endpoints: [] };
    for (const method of methods) {
      if (!entry.endpoints.some((e) => e.method === method && e.path === path)) entry.endpoints.push({ method, path });
    }
    routed.set(bucket, entry);
  };

  // Built on first use, once every route is registered.
  let indexed = false;
  const index = () => {
    if (indexed) return;
    indexed = true;
    for (const route of deps.routes) {
      if (!METHODS.has(route.method) || (route.url !== V2_PREFIX && !route.url.startsWith(`${V2_PREFIX}/`))) continue;
      const path = atlasPath(route.url);
      const bucket = route.config.resource?.bucket;
      if (bucket) add(bucket.spec.name, SCOPE_OF[bucket.scope], [route.method], path);
      if (route.config.throttleInvitations) add(BUCKETS.invitationsIp.name, 'IP', [route.method], path);
    }
  };

  const defaults = new Map<string, { capacity: number; refill: number; periodMs: number }>(
    Object.values(BUCKETS).map((b) => [b.name, b]),
  );

  function endpointSets(): EndpointSet[] {
    if (!limiter) return [];
    index();
    const sets: EndpointSet[] = [];
    for (const spec of limiter.specs()) {
      const r = routed.get(spec.name);
      if (!r) continue; // e.g. the token endpoint: not a v2 endpoint
      const naming = endpointSetNaming(spec.name, r.scope);
      sets.push({
        ...naming,
        scope: r.scope,
        endpoints: r.endpoints,
        applied: { capacity: spec.capacity, refill: spec.refill, periodMs: spec.periodMs },
        defaults: defaults.get(spec.name) ?? spec,
      });
    }
    return sets.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /**
   * The entity parameters: each must be valid and one the caller may ask about (Project Read Only,
   * Organization Read Only, itself, its own address). Returns the scopes they name.
   */
  async function requestedScopes({
    request,
    principal,
  }: Pick<Call<string, undefined>, 'request' | 'principal'>): Promise<Set<EndpointSetScope>> {
    const scopes = new Set<EndpointSetScope>();
    const groupId = stringQuery(request, 'groupId');
    if (groupId) {
      if (!OBJECT_ID.test(groupId)) throw atlasError('INVALID_QUERY_PARAMETER', 'groupId');
      await getProjectFor(ctx, principal, groupId, 'GROUP_READ_ONLY');
      scopes.add('GROUP');
    }
    const orgId = stringQuery(request, 'orgId');
    if (orgId) {
      if (!OBJECT_ID.test(orgId)) throw atlasError('INVALID_QUERY_PARAMETER', 'orgId');
      await getOrgFor(ctx, principal, orgId, 'ORG_MEMBER');
      requireOrgRole(principal, orgId, 'ORG_READ_ONLY');
      scopes.add('ORGANIZATION');
    }
    const userId = stringQuery(request, 'userId');
    if (userId) {
      if (userId !== principal.username) throw atlasError('USER_UNAUTHORIZED');
      scopes.add('USER');
    }
    const ipAddress = stringQuery(request, 'ipAddress');
    if (ipAddress) {
      const ip = normalizeAddress(ipAddress);
      if (isIP(ip) === 0) throw atlasError('INVALID_QUERY_PARAMETER', 'ipAddress');
      if (!sameAddress(ip, normalizeAddress(request.ip))) throw atlasError('USER_UNAUTHORIZED');
      scopes.add('IP');
    }
    return scopes;
  }

  const resource = RATE_LIMITS_V2;
  route(
    api,
    { operationId: 'listRateLimits', method: 'GET', path: '/rateLimits', resource, permission: 'Any caller' },
    async function listRateLimits(call, reply) {
      const { request } = call;
      const page = pageQuery(request);
      const scopes = await requestedScopes(call);
      const names = listQuery(request, 'name');
      const paths = listQuery(request, 'endpointPath').map(trimSlash);
      const all = endpointSets().filter(
        (s) =>
          (scopes.size === 0 || scopes.has(s.scope)) &&
          (names.length === 0 || names.includes(s.name)) &&
          (paths.length === 0 || s.endpoints.some((e) => paths.includes(e.path))),
      );
      const items = all.slice((page.pageNum - 1) * page.itemsPerPage, page.pageNum * page.itemsPerPage);
      const extra = ['groupId', 'orgId', 'userId', 'ipAddress', 'name', 'endpointPath']
        .flatMap((k) => listQuery(request, k).map((v) => `${k}=${encodeURIComponent(v)}`))
        .join('&');
      const base = baseUrl(request, deps.publicUrl);
      return sendEntity(request, reply, 200, {
        links: pageLinks({ base, path: `${V2_PREFIX}/rateLimits`, extra, ...page, total: all.length }),
        results: items.map(toRateLimitEndpointSet),
        totalCount: page.includeCount ? all.length : 0,
      });
    },
  );

  route(
    api,
    {
      operationId: 'getRateLimit',
      method: 'GET',
      path: '/rateLimits/:endpointSetId',
      resource,
      permission: 'Any caller',
    },
    async function getRateLimit(call, reply) {
      const id = call.params.endpointSetId;
      await requestedScopes(call);
      const set = endpointSets().find((s) => s.id === id);
      if (!set) throw atlasError('RESOURCE_NOT_FOUND', `Rate limit endpoint set with id ${id}`);
      return sendEntity(call.request, reply, 200, toRateLimitEndpointSet(set));
    },
  );
}
