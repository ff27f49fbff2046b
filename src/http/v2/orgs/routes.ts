import type { DomainContext } from '../../../domain/context.ts';
import { SPEC_ORG_ROLE } from '../../../domain/roles/permissions.ts';
import { getOrgFor, listOrgsForPrincipal, updateOrg } from '../../../domain/orgs/org.service.ts';
import { listOrgProjects } from '../../../domain/projects/project.service.ts';
import { baseUrl, pageBody, pageLinks } from '../../links.ts';
import { idParam, pageQuery, stringQuery } from '../../params.ts';
import { ORG_V2, ORGS_V2 } from '../../resources.ts';
import { route, type Surface } from '../../route.ts';
import { sendEntity } from '../../wire.ts';
import { toGroup } from '../groups/mapper.ts';
import { toOrganization } from './mapper.ts';

/**
 * AtlasOrganization as a request: `name` is what changes; the read-only fields a client echoes
 * from a GET are accepted and dropped. `skipDefaultAlertsSettings` applies at creation only.
 */
const UPDATE = {
  fields: {
    name: 'string',
    skipDefaultAlertsSettings: 'boolean',
    id: 'ignored',
    isDeleted: 'ignored',
    links: 'ignored',
  },
  required: ['name'],
} as const;

export function registerOrgRoutes(api: Surface, ctx: DomainContext, publicUrl?: string): void {
  route(
    api,
    { operationId: 'listOrgs', method: 'GET', path: '/orgs', resource: ORGS_V2, permission: 'Any caller' },
    async function listOrgs(call, reply) {
      const { request } = call;
      const page = pageQuery(request);
      const name = stringQuery(request, 'name') ?? '';
      const all = await listOrgsForPrincipal(ctx, call.principal, name);
      const items = all.slice((page.pageNum - 1) * page.itemsPerPage, page.pageNum * page.itemsPerPage);
      const base = baseUrl(request, publicUrl);
      return sendEntity(request, reply, 200, {
        links: pageLinks({
          base,
          path: '/api/atlas/v2/orgs',
          extra: `name=${encodeURIComponent(name)}`,
          ...page,
          total: all.length,
        }),
        results: items.map((o) => toOrganization(o, base, false)),
        totalCount: page.includeCount ? all.length : 0,
      });
    },
  );

  route(
    api,
    { operationId: 'getOrg', method: 'GET', path: '/orgs/:orgId', resource: ORG_V2, permission: 'Organization Member' },
    async function getOrg(call, reply) {
      const org = await getOrgFor(ctx, call.principal, idParam(call, 'orgId'), SPEC_ORG_ROLE[call.contract.permission]);
      return sendEntity(call.request, reply, 200, toOrganization(org, baseUrl(call.request, publicUrl), true));
    },
  );

  route(
    api,
    {
      operationId: 'updateOrg',
      method: 'PATCH',
      path: '/orgs/:orgId',
      resource: ORG_V2,
      permission: 'Organization Owner',
      body: UPDATE,
    },
    async function updateOrgRoute(call, reply) {
      const orgId = idParam(call, 'orgId');
      const org = await updateOrg(ctx, call.principal, orgId, { name: call.body.name });
      return sendEntity(call.request, reply, 200, toOrganization(org, baseUrl(call.request, publicUrl), true));
    },
  );

  route(
    api,
    {
      operationId: 'getOrgGroups',
      method: 'GET',
      path: '/orgs/:orgId/groups',
      resource: ORG_V2,
      permission: 'Organization Member',
    },
    async function getOrgGroups(call, reply) {
      const { request } = call;
      const orgId = idParam(call, 'orgId');
      const page = pageQuery(request);
      const result = await listOrgProjects(ctx, call.principal, orgId, page, stringQuery(request, 'name'));
      const base = baseUrl(request, publicUrl);
      return sendEntity(
        request,
        reply,
        200,
        pageBody(request, publicUrl, `/api/atlas/v2/orgs/${orgId}/groups`, page, result, (p) =>
          toGroup(p, base, false),
        ),
      );
    },
  );
}
