import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DomainContext } from '../../../domain/context.ts';
import type { Principal } from '../../../domain/principal.ts';
import * as projects from '../../../domain/projects/project.service.ts';
import { atlasError } from '../../../errors/atlas-error.ts';
import { readBody } from '../../body-shape.ts';
import { baseUrl, pageBody } from '../../links.ts';
import { idParam, pageQuery, stringQuery } from '../../params.ts';
import { GROUP_V2, GROUPS_V2 } from '../../resources.ts';
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

const principalOf = (request: FastifyRequest): Principal => request.principal as Principal;

export function registerGroupRoutes(app: FastifyInstance, ctx: DomainContext, publicUrl?: string): void {
  app.get('/api/atlas/v2/groups', { config: { resource: GROUPS_V2 } }, async function listGroups(request, reply) {
    const page = pageQuery(request);
    const result = await projects.listProjectsFor(ctx, principalOf(request), page);
    const base = baseUrl(request, publicUrl);
    return sendEntity(request, reply, 200, pageBody(request, publicUrl, '/api/atlas/v2/groups', page, result, (p) => toGroup(p, base, false)));
  });

  app.post('/api/atlas/v2/groups', { config: { resource: GROUPS_V2 } }, async function createGroup(request, reply) {
    const body = readBody(
      request.body,
      CREATE,
    );
    if (!/^[a-f0-9]{24}$/.test(body.orgId)) throw atlasError('INVALID_ORG_ID', body.orgId);
    const ownerId = stringQuery(request, 'projectOwnerId');
    if (ownerId !== undefined && !/^[a-f0-9]{24}$/.test(ownerId)) throw atlasError('INVALID_QUERY_PARAMETER', 'projectOwnerId');
    const project = await projects.createProject(ctx, principalOf(request), {
      name: body.name,
      orgId: body.orgId,
      withDefaultAlertsSettings: body.withDefaultAlertsSettings,
      tags: body.tags,
    });
    const base = baseUrl(request, publicUrl);
    // Atlas answers 201 (its spec says 200) with this odd Location, recorded verbatim.
    reply.header('location', `${base}//api/atlas/v1.0`);
    return sendEntity(request, reply, 201, toGroup(project, base, true));
  });

  app.get('/api/atlas/v2/groups/:groupId', { config: { resource: GROUP_V2 } }, async function getGroup(request, reply) {
    const project = await projects.getProjectFor(ctx, principalOf(request), idParam(request, 'groupId'), 'GROUP_READ_ONLY');
    return sendEntity(request, reply, 200, toGroup(project, baseUrl(request, publicUrl), true));
  });

  app.patch('/api/atlas/v2/groups/:groupId', { config: { resource: GROUP_V2 } }, async function updateGroup(request, reply) {
    const groupId = idParam(request, 'groupId');
    const body = readBody(request.body, UPDATE);
    const project = await projects.updateProject(ctx, principalOf(request), groupId, body);
    return sendEntity(request, reply, 200, toGroup(project, baseUrl(request, publicUrl), true));
  });

  app.delete('/api/atlas/v2/groups/:groupId', { config: { resource: GROUP_V2 } }, async function deleteGroup(request, reply) {
    await projects.deleteProject(ctx, principalOf(request), idParam(request, 'groupId'));
    // Atlas answers 202 with `{}` (its spec says 204).
    return sendEntity(request, reply, 202, {});
  });
}
