import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DomainContext } from '../../../domain/context.ts';
import { getOrgFor, listOrgsForPrincipal } from '../../../domain/orgs/org.service.ts';
import type { Principal } from '../../../domain/principal.ts';
import { listOrgProjects } from '../../../domain/projects/project.service.ts';
import { baseUrl, pageBody, pageLinks } from '../../links.ts';
import { idParam, pageQuery, stringQuery } from '../../params.ts';
import { ORG_V2, ORGS_V2 } from '../../resources.ts';
import { sendEntity } from '../../wire.ts';
import { toGroup } from '../groups/mapper.ts';
import { toOrganization } from './mapper.ts';

const principalOf = (request: FastifyRequest): Principal => request.principal as Principal;

export function registerOrgRoutes(app: FastifyInstance, ctx: DomainContext, publicUrl?: string): void {
  app.get('/api/atlas/v2/orgs', { config: { resource: ORGS_V2 } }, async function listOrgs(request, reply) {
    const page = pageQuery(request);
    const name = stringQuery(request, 'name') ?? '';
    const all = await listOrgsForPrincipal(ctx, principalOf(request), name);
    const items = all.slice((page.pageNum - 1) * page.itemsPerPage, page.pageNum * page.itemsPerPage);
    const base = baseUrl(request, publicUrl);
    return sendEntity(request, reply, 200, {
      links: pageLinks({ base, path: '/api/atlas/v2/orgs', extra: `name=${encodeURIComponent(name)}`, ...page, total: all.length }),
      results: items.map((o) => toOrganization(o, base, false)),
      totalCount: page.includeCount ? all.length : 0,
    });
  });

  app.get('/api/atlas/v2/orgs/:orgId', { config: { resource: ORG_V2 } }, async function getOrg(request, reply) {
    const org = await getOrgFor(ctx, principalOf(request), idParam(request, 'orgId'), 'ORG_MEMBER');
    return sendEntity(request, reply, 200, toOrganization(org, baseUrl(request, publicUrl), true));
  });

  app.get('/api/atlas/v2/orgs/:orgId/groups', { config: { resource: ORG_V2 } }, async function getOrgGroups(request, reply) {
    const orgId = idParam(request, 'orgId');
    const page = pageQuery(request);
    const result = await listOrgProjects(ctx, principalOf(request), orgId, page, stringQuery(request, 'name'));
    const base = baseUrl(request, publicUrl);
    return sendEntity(request, reply, 200, pageBody(request, publicUrl, `/api/atlas/v2/orgs/${orgId}/groups`, page, result, (p) => toGroup(p, base, false)));
  });
}
