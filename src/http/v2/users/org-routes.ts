import type { DomainContext } from '../../../domain/context.ts';
import type { GroupRoleAssignment } from '../../../domain/invitations/invitation.ts';
import * as orgUsers from '../../../domain/users/org-users.service.ts';
import { atlasError } from '../../../errors/atlas-error.ts';
import { isObjectId } from '../../../lib/object-id.ts';
import { readBody } from '../../body-shape.ts';
import { baseUrl } from '../../links.ts';
import { idParam, pageQuery, stringQuery } from '../../params.ts';
import { route, type Surface } from '../../route.ts';
import { sendEntity, sendNoContent } from '../../wire.ts';
import { toCloudAppUser, toOrgUser } from './mapper.ts';
import {
  filterParams,
  isLegacy,
  legacyHeaders,
  ORG_USERS_BOTH,
  ORG_USERS_LEGACY,
  ORG_USERS_V2,
  statusesQuery,
  userIdParam,
  userPageLinks,
} from './shared.ts';

/** OrgUserRolesRequest: `orgRoles` required, `groupRoleAssignments` [{groupId, groupRoles}]. */
const ROLES = { fields: { orgRoles: 'string[]', groupRoleAssignments: 'object[]' }, required: ['orgRoles'] } as const;
const ASSIGNMENT = {
  fields: { groupId: 'string', groupRoles: 'string[]' },
  required: ['groupId', 'groupRoles'],
} as const;
const CREATE = {
  fields: { username: 'string', roles: 'object', teamIds: 'string[]' },
  required: ['username', 'roles'],
} as const;
const UPDATE = { fields: { roles: 'object', teamIds: 'string[]' } } as const;
const UPDATE_ROLES = { fields: { orgRoles: 'string[]', links: 'ignored' }, required: ['orgRoles'] } as const;
const ONE_ROLE = { fields: { orgRole: 'string' }, required: ['orgRole'] } as const;

/** `roles` of a create/update body, its assignments read the request's way ({groupId, groupRoles}). */
function readRoles(value: unknown): { orgRoles: string[]; groupRoleAssignments?: GroupRoleAssignment[] } {
  const roles = readBody(value, ROLES);
  const assignments = roles.groupRoleAssignments?.map((item) => {
    const a = readBody(item, ASSIGNMENT);
    if (!isObjectId(a.groupId)) throw atlasError('INVALID_GROUP_ID', a.groupId);
    return { groupId: a.groupId, roles: a.groupRoles };
  });
  return { orgRoles: roles.orgRoles, ...(assignments ? { groupRoleAssignments: assignments } : {}) };
}

/**
 * The organization operations of the MongoDB Cloud Users API. `:addRole` / `:removeRole` are
 * custom methods on the user's path: find-my-way ends a parameter only at `/`, `-`, `.` or a
 * regexp, so the id gets one (`([^/:]+)`) and the literal colon is written `::`.
 */
export function registerOrgUserRoutes(api: Surface, ctx: DomainContext, publicUrl?: string): void {
  const base = '/orgs/:orgId/users';
  const one = '/orgs/:orgId/users/:userId';
  const member = 'Organization Member';
  const owner = 'Organization Owner';

  route(
    api,
    { operationId: 'listOrgUsers', method: 'GET', path: base, resource: ORG_USERS_BOTH, permission: member },
    async function listOrgUsers(call, reply) {
      const { request } = call;
      const orgId = idParam(call, 'orgId');
      const page = pageQuery(request);
      const legacy = isLegacy(request);
      // "Not supported in deprecated versions": 2023-01-01 lists ACTIVE users and takes no filters.
      const username = legacy ? undefined : stringQuery(request, 'username') || undefined;
      const { statuses, given } = legacy ? { statuses: ['ACTIVE'] as const, given: [] } : statusesQuery(request);
      const result = await orgUsers.listOrgUsers(ctx, call.principal, orgId, { ...page, username, statuses });
      const host = baseUrl(request, publicUrl);
      legacyHeaders(request, reply);
      return sendEntity(request, reply, 200, {
        links: userPageLinks(
          host,
          `/api/atlas/v2/orgs/${orgId}/users`,
          filterParams(username, given),
          page,
          result.total,
        ),
        results: result.items.map((u) => (legacy ? toCloudAppUser(u, orgId, host) : toOrgUser(u))),
        totalCount: page.includeCount ? result.total : 0,
      });
    },
  );

  route(
    api,
    {
      operationId: 'createOrgUser',
      method: 'POST',
      path: base,
      resource: ORG_USERS_V2,
      permission: owner,
      body: CREATE,
      throttleInvitations: true,
    },
    async function createOrgUser(call, reply) {
      const orgId = idParam(call, 'orgId');
      const body = call.body;
      const roles = readRoles(body.roles);
      const user = await orgUsers.createOrgUser(ctx, call.actor, orgId, {
        username: body.username,
        teamIds: body.teamIds,
        ...roles,
      });
      return sendEntity(call.request, reply, 201, toOrgUser(user));
    },
  );

  route(
    api,
    { operationId: 'getOrgUser', method: 'GET', path: one, resource: ORG_USERS_V2, permission: member },
    async function getOrgUser(call, reply) {
      const orgId = idParam(call, 'orgId');
      const userId = userIdParam(call);
      const user = await orgUsers.getOrgUser(ctx, call.principal, orgId, userId, statusesQuery(call.request).statuses);
      return sendEntity(call.request, reply, 200, toOrgUser(user));
    },
  );

  route(
    api,
    {
      operationId: 'updateOrgUser',
      method: 'PATCH',
      path: one,
      resource: ORG_USERS_V2,
      permission: owner,
      body: UPDATE,
    },
    async function updateOrgUser(call, reply) {
      const orgId = idParam(call, 'orgId');
      const userId = userIdParam(call);
      const body = call.body;
      const roles = body.roles === undefined ? {} : readRoles(body.roles);
      const user = await orgUsers.updateOrgUser(ctx, call.actor, orgId, userId, { ...roles, teamIds: body.teamIds });
      return sendEntity(call.request, reply, 200, toOrgUser(user));
    },
  );

  route(
    api,
    { operationId: 'removeOrgUser', method: 'DELETE', path: one, resource: ORG_USERS_BOTH, permission: owner },
    async function removeOrgUser(call, reply) {
      const orgId = idParam(call, 'orgId');
      const userId = userIdParam(call);
      await orgUsers.removeOrgUser(ctx, call.actor, orgId, userId, { activeOnly: isLegacy(call.request) });
      legacyHeaders(call.request, reply);
      return sendNoContent(call.request, reply);
    },
  );

  route(
    api,
    {
      operationId: 'updateOrgUserRoles',
      method: 'PUT',
      path: `${one}/roles`,
      resource: ORG_USERS_LEGACY,
      permission: owner,
      body: UPDATE_ROLES,
    },
    async function updateOrgUserRoles(call, reply) {
      const orgId = idParam(call, 'orgId');
      const userId = userIdParam(call);
      const roles = await orgUsers.updateOrgUserRoles(ctx, call.actor, orgId, userId, call.body.orgRoles);
      legacyHeaders(call.request, reply);
      return sendEntity(call.request, reply, 200, { orgRoles: [...roles] });
    },
  );

  route(
    api,
    {
      operationId: 'addOrgUserRole',
      method: 'POST',
      path: `${base}/:userId([^/:]+)::addRole`,
      resource: ORG_USERS_V2,
      permission: owner,
      body: ONE_ROLE,
    },
    async function addOrgUserRole(call, reply) {
      const orgId = idParam(call, 'orgId');
      const userId = userIdParam(call);
      const user = await orgUsers.addOrgUserRole(ctx, call.actor, orgId, userId, call.body.orgRole);
      return sendEntity(call.request, reply, 200, toOrgUser(user));
    },
  );

  route(
    api,
    {
      operationId: 'removeOrgUserRole',
      method: 'POST',
      path: `${base}/:userId([^/:]+)::removeRole`,
      resource: ORG_USERS_V2,
      permission: owner,
      body: ONE_ROLE,
    },
    async function removeOrgUserRole(call, reply) {
      const orgId = idParam(call, 'orgId');
      const userId = userIdParam(call);
      const user = await orgUsers.removeOrgUserRole(ctx, call.actor, orgId, userId, call.body.orgRole);
      return sendEntity(call.request, reply, 200, toOrgUser(user));
    },
  );
}
