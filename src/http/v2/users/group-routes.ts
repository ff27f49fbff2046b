import type { FastifyInstance } from 'fastify';
import type { DomainContext } from '../../../domain/context.ts';
import * as groupUsers from '../../../domain/users/group-users.service.ts';
import { readBody } from '../../body-shape.ts';
import { baseUrl } from '../../links.ts';
import { idParam, pageQuery, stringQuery } from '../../params.ts';
import { queryFlag, sendEntity, sendNoContent } from '../../wire.ts';
import { toCloudAppUser, toGroupUser } from './mapper.ts';
import {
  actorOf,
  filterParams,
  GROUP_USERS_BOTH,
  GROUP_USERS_LEGACY,
  GROUP_USERS_V2,
  isLegacy,
  legacyHeaders,
  principalOf,
  statusesQuery,
  userIdParam,
  userPageLinks,
} from './shared.ts';

const ADD = { fields: { username: 'string', roles: 'string[]' }, required: ['username', 'roles'] } as const;
const UPDATE_ROLES = { fields: { groupRoles: 'string[]', links: 'ignored' }, required: ['groupRoles'] } as const;
const ONE_ROLE = { fields: { groupRole: 'string' }, required: ['groupRole'] } as const;

/** The project operations of the MongoDB Cloud Users API (see org-routes.ts for the `::addRole` paths). */
export function registerGroupUserRoutes(app: FastifyInstance, ctx: DomainContext, publicUrl?: string): void {
  const base = '/api/atlas/v2/groups/:groupId/users';

  app.get(base, { config: { resource: GROUP_USERS_BOTH } }, async function listGroupUsers(request, reply) {
    const groupId = idParam(request, 'groupId');
    const page = pageQuery(request);
    const flattenTeams = queryFlag(request, 'flattenTeams');
    const includeOrgUsers = queryFlag(request, 'includeOrgUsers');
    // Recorded: the links always carry flattenTeams and includeOrgUsers. No teams exist, so flattenTeams changes nothing.
    const flags: Array<[string, string]> = [
      ['flattenTeams', String(flattenTeams)],
      ['includeOrgUsers', String(includeOrgUsers)],
    ];
    const host = baseUrl(request, publicUrl);
    const path = `/api/atlas/v2/groups/${groupId}/users`;
    if (isLegacy(request)) {
      const result = await groupUsers.listGroupMembers(ctx, principalOf(request), groupId, { ...page, includeOrgUsers });
      legacyHeaders(request, reply);
      return sendEntity(request, reply, 200, {
        links: userPageLinks(host, path, flags, page, result.total),
        results: result.items.map((u) => toCloudAppUser(u, result.orgId, host)),
        totalCount: page.includeCount ? result.total : 0,
      });
    }
    const username = stringQuery(request, 'username') || undefined;
    const { statuses, given } = statusesQuery(request);
    const result = await groupUsers.listGroupUsers(ctx, principalOf(request), groupId, { ...page, username, statuses, includeOrgUsers });
    return sendEntity(request, reply, 200, {
      links: userPageLinks(host, path, [...flags, ...filterParams(username, given)], page, result.total),
      results: result.items.map(toGroupUser),
      totalCount: page.includeCount ? result.total : 0,
    });
  });

  app.post(base, { config: { resource: GROUP_USERS_V2, throttleInvitations: true } }, async function addGroupUsers(request, reply) {
    const groupId = idParam(request, 'groupId');
    const body = readBody(request.body, ADD);
    const user = await groupUsers.addGroupUsers(ctx, actorOf(request), groupId, body);
    return sendEntity(request, reply, 201, toGroupUser(user));
  });

  app.get(`${base}/:userId`, { config: { resource: GROUP_USERS_V2 } }, async function getGroupUser(request, reply) {
    const groupId = idParam(request, 'groupId');
    const userId = userIdParam(request);
    const user = await groupUsers.getGroupUser(ctx, principalOf(request), groupId, userId, statusesQuery(request).statuses);
    return sendEntity(request, reply, 200, toGroupUser(user));
  });

  app.delete(`${base}/:userId`, { config: { resource: GROUP_USERS_BOTH } }, async function removeGroupUser(request, reply) {
    const groupId = idParam(request, 'groupId');
    const userId = userIdParam(request);
    await groupUsers.removeGroupUser(ctx, actorOf(request), groupId, userId, { activeOnly: isLegacy(request) });
    legacyHeaders(request, reply);
    return sendNoContent(request, reply);
  });

  app.put(`${base}/:userId/roles`, { config: { resource: GROUP_USERS_LEGACY } }, async function updateGroupUserRoles(request, reply) {
    const groupId = idParam(request, 'groupId');
    const userId = userIdParam(request);
    const body = readBody(request.body, UPDATE_ROLES);
    const roles = await groupUsers.updateGroupUserRoles(ctx, actorOf(request), groupId, userId, body.groupRoles);
    legacyHeaders(request, reply);
    return sendEntity(request, reply, 200, { groupRoles: [...roles] });
  });

  app.post(`${base}/:userId([^/:]+)::addRole`, { config: { resource: GROUP_USERS_V2 } }, async function addGroupUserRole(request, reply) {
    const groupId = idParam(request, 'groupId');
    const userId = userIdParam(request);
    const body = readBody(request.body, ONE_ROLE);
    const user = await groupUsers.addGroupUserRole(ctx, actorOf(request), groupId, userId, body.groupRole);
    return sendEntity(request, reply, 200, toGroupUser(user));
  });

  app.post(`${base}/:userId([^/:]+)::removeRole`, { config: { resource: GROUP_USERS_V2 } }, async function removeGroupUserRole(request, reply) {
    const groupId = idParam(request, 'groupId');
    const userId = userIdParam(request);
    const body = readBody(request.body, ONE_ROLE);
    const user = await groupUsers.removeGroupUserRole(ctx, actorOf(request), groupId, userId, body.groupRole);
    return sendEntity(request, reply, 200, toGroupUser(user));
  });
}
