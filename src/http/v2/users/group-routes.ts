import type { DomainContext } from '../../../domain/context.ts';
import * as groupUsers from '../../../domain/users/group-users.service.ts';
import { baseUrl } from '../../links.ts';
import { idParam, pageQuery, stringQuery } from '../../params.ts';
import { route, type Surface } from '../../route.ts';
import { queryFlag, sendEntity, sendNoContent } from '../../wire.ts';
import { toCloudAppUser, toGroupUser } from './mapper.ts';
import {
  filterParams,
  GROUP_USERS_BOTH,
  GROUP_USERS_LEGACY,
  GROUP_USERS_V2,
  isLegacy,
  legacyHeaders,
  statusesQuery,
  userIdParam,
  userPageLinks,
} from './shared.ts';

const ADD = { fields: { username: 'string', roles: 'string[]' }, required: ['username', 'roles'] } as const;
const UPDATE_ROLES = { fields: { groupRoles: 'string[]', links: 'ignored' }, required: ['groupRoles'] } as const;
const ONE_ROLE = { fields: { groupRole: 'string' }, required: ['groupRole'] } as const;

/** The project operations of the MongoDB Cloud Users API (see org-routes.ts for the `::addRole` paths). */
export function registerGroupUserRoutes(api: Surface, ctx: DomainContext, publicUrl?: string): void {
  const base = '/groups/:groupId/users';
  const one = '/groups/:groupId/users/:userId';
  const readOnly = 'Project Read Only';
  const accessManager = 'Project Access Manager';

  route(
    api,
    { operationId: 'listGroupUsers', method: 'GET', path: base, resource: GROUP_USERS_BOTH, permission: readOnly },
    async function listGroupUsers(call, reply) {
      const { request } = call;
      const groupId = idParam(call, 'groupId');
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
        const result = await groupUsers.listGroupMembers(ctx, call.principal, groupId, { ...page, includeOrgUsers });
        legacyHeaders(request, reply);
        return sendEntity(request, reply, 200, {
          links: userPageLinks(host, path, flags, page, result.total),
          results: result.items.map((u) => toCloudAppUser(u, result.orgId, host)),
          totalCount: page.includeCount ? result.total : 0,
        });
      }
      const username = stringQuery(request, 'username') || undefined;
      const { statuses, given } = statusesQuery(request);
      const result = await groupUsers.listGroupUsers(ctx, call.principal, groupId, {
        ...page,
        username,
        statuses,
        includeOrgUsers,
      });
      return sendEntity(request, reply, 200, {
        links: userPageLinks(host, path, [...flags, ...filterParams(username, given)], page, result.total),
        results: result.items.map(toGroupUser),
        totalCount: page.includeCount ? result.total : 0,
      });
    },
  );

  route(
    api,
    {
      operationId: 'addGroupUsers',
      method: 'POST',
      path: base,
      resource: GROUP_USERS_V2,
      permission: accessManager,
      body: ADD,
      throttleInvitations: true,
    },
    async function addGroupUsers(call, reply) {
      const groupId = idParam(call, 'groupId');
      const user = await groupUsers.addGroupUsers(ctx, call.actor, groupId, call.body);
      return sendEntity(call.request, reply, 201, toGroupUser(user));
    },
  );

  route(
    api,
    { operationId: 'getGroupUser', method: 'GET', path: one, resource: GROUP_USERS_V2, permission: readOnly },
    async function getGroupUser(call, reply) {
      const groupId = idParam(call, 'groupId');
      const userId = userIdParam(call);
      const user = await groupUsers.getGroupUser(
        ctx,
        call.principal,
        groupId,
        userId,
        statusesQuery(call.request).statuses,
      );
      return sendEntity(call.request, reply, 200, toGroupUser(user));
    },
  );

  route(
    api,
    {
      operationId: 'removeGroupUser',
      method: 'DELETE',
      path: one,
      resource: GROUP_USERS_BOTH,
      permission: accessManager,
    },
    async function removeGroupUser(call, reply) {
      const groupId = idParam(call, 'groupId');
      const userId = userIdParam(call);
      await groupUsers.removeGroupUser(ctx, call.actor, groupId, userId, { activeOnly: isLegacy(call.request) });
      legacyHeaders(call.request, reply);
      return sendNoContent(call.request, reply);
    },
  );

  route(
    api,
    {
      operationId: 'updateGroupUserRoles',
      method: 'PUT',
      path: `${one}/roles`,
      resource: GROUP_USERS_LEGACY,
      permission: 'Project Owner',
      body: UPDATE_ROLES,
    },
    async function updateGroupUserRoles(call, reply) {
      const groupId = idParam(call, 'groupId');
      const userId = userIdParam(call);
      const roles = await groupUsers.updateGroupUserRoles(ctx, call.actor, groupId, userId, call.body.groupRoles);
      legacyHeaders(call.request, reply);
      return sendEntity(call.request, reply, 200, { groupRoles: [...roles] });
    },
  );

  route(
    api,
    {
      operationId: 'addGroupUserRole',
      method: 'POST',
      path: `${base}/:userId([^/:]+)::addRole`,
      resource: GROUP_USERS_V2,
      permission: accessManager,
      body: ONE_ROLE,
    },
    async function addGroupUserRole(call, reply) {
      const groupId = idParam(call, 'groupId');
      const userId = userIdParam(call);
      const user = await groupUsers.addGroupUserRole(ctx, call.actor, groupId, userId, call.body.groupRole);
      return sendEntity(call.request, reply, 200, toGroupUser(user));
    },
  );

  route(
    api,
    {
      operationId: 'removeGroupUserRole',
      method: 'POST',
      path: `${base}/:userId([^/:]+)::removeRole`,
      resource: GROUP_USERS_V2,
      permission: accessManager,
      body: ONE_ROLE,
    },
    async function removeGroupUserRole(call, reply) {
      const groupId = idParam(call, 'groupId');
      const userId = userIdParam(call);
      const user = await groupUsers.removeGroupUserRole(ctx, call.actor, groupId, userId, call.body.groupRole);
      return sendEntity(call.request, reply, 200, toGroupUser(user));
    },
  );
}
