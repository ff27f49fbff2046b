import type { DomainContext } from '../../../domain/context.ts';
import { SPEC_PROJECT_ROLE } from '../../../domain/roles/permissions.ts';
import * as projects from '../../../domain/projects/project.service.ts';
import { atlasError } from '../../../errors/atlas-error.ts';
import { baseUrl, pageBody } from '../../links.ts';
import { idParam, pageQuery, stringQuery } from '../../params.ts';
import { GROUP_V2, GROUPS_V2 } from '../../resources.ts';
import { route, type Surface } from '../../route.ts';
import { sendEntity } from '../../wire.ts';
import { toGroup } from './mapper.ts';

const CREATE = {
  fields: {
    name: 'string',
    orgId: 'string',
    withDefaultAlertsSettings: 'boolean',
    tags: 'tags',
    id: 'ignored',
    created: 'ignored',
    clusterCount: 'ignored',
    links: 'ignored',
  },
  required: ['name', 'orgId'],
} as const;
const UPDATE = { fields: { name: 'string', tags: 'tags', withDefaultAlertsSettings: 'boolean' } } as const;

export function registerGroupRoutes(api: Surface, ctx: DomainContext, publicUrl?: string): void {
  const one = '/groups/:groupId';

  route(
    api,
    { operationId: 'listGroups', method: 'GET', path: '/groups', resource: GROUPS_V2, permission: 'Any caller' },
    async function listGroups(call, reply) {
      const { request } = call;
      const page = pageQuery(request);
      const result = await projects.listProjectsFor(ctx, call.principal, page);
      const base = baseUrl(request, publicUrl);
      return sendEntity(
        request,
        reply,
        200,
        pageBody(request, publicUrl, '/api/atlas/v2/groups', page, result, (p) => toGroup(p, base, false)),
      );
    },
  );

  route(
    api,
    {
      operationId: 'createGroup',
      method: 'POST',
      path: '/groups',
      resource: GROUPS_V2,
      permission: 'Any caller',
      body: CREATE,
    },
    async function createGroup(call, reply) {
      const { request } = call;
      const body = call.body;
      if (!/^[a-f0-9]{24}$/.test(body.orgId)) throw atlasError('INVALID_ORG_ID', body.orgId);
      const ownerId = stringQuery(request, 'projectOwnerId');
      if (ownerId !== undefined && !/^[a-f0-9]{24}$/.test(ownerId))
        throw atlasError('INVALID_QUERY_PARAMETER', 'projectOwnerId');
      const project = await projects.createProject(ctx, call.principal, {
        name: body.name,
        orgId: body.orgId,
        withDefaultAlertsSettings: body.withDefaultAlertsSettings,
        tags: body.tags,
      });
      const base = baseUrl(request, publicUrl);
      // Atlas answers 201 (its spec says 200) with this odd Location, recorded verbatim.
      reply.header('location', `${base}//api/atlas/v1.0`);
      return sendEntity(request, reply, 201, toGroup(project, base, true));
    },
  );

  route(
    api,
    { operationId: 'getGroup', method: 'GET', path: one, resource: GROUP_V2, permission: 'Project Read Only' },
    async function getGroup(call, reply) {
      const required = SPEC_PROJECT_ROLE[call.contract.permission];
      const project = await projects.getProjectFor(ctx, call.principal, idParam(call, 'groupId'), required);
      return sendEntity(call.request, reply, 200, toGroup(project, baseUrl(call.request, publicUrl), true));
    },
  );

  route(
    api,
    {
      operationId: 'updateGroup',
      method: 'PATCH',
      path: one,
      resource: GROUP_V2,
      permission: 'Project Owner',
      body: UPDATE,
    },
    async function updateGroup(call, reply) {
      const groupId = idParam(call, 'groupId');
      const project = await projects.updateProject(ctx, call.principal, groupId, call.body);
      return sendEntity(call.request, reply, 200, toGroup(project, baseUrl(call.request, publicUrl), true));
    },
  );

  route(
    api,
    { operationId: 'deleteGroup', method: 'DELETE', path: one, resource: GROUP_V2, permission: 'Project Owner' },
    async function deleteGroup(call, reply) {
      await projects.deleteProject(ctx, call.principal, idParam(call, 'groupId'));
      // Atlas answers 202 with `{}` (its spec says 204).
      return sendEntity(call.request, reply, 202, {});
    },
  );
}
