import type { FastifyInstance } from 'fastify';
import type { DomainContext } from '../../../domain/context.ts';
import type { GroupRoleAssignment } from '../../../domain/invitations/invitation.ts';
import * as orgUsers from '../../../domain/users/org-users.service.ts';
import { atlasError } from '../../../errors/atlas-error.ts';
import { isObjectId } from '../../../lib/object-id.ts';
import { readBody } from '../../body-shape.ts';
import { baseUrl } from '../../links.ts';
import { idParam, pageQuery, stringQuery } from '../../params.ts';
import { sendEntity, sendNoContent } from '../../wire.ts';
import { toCloudAppUser, toOrgUser } from './mapper.ts';
import {
  actorOf,
  filterParams,
  isLegacy,
  legacyHeaders,
  ORG_USERS_BOTH,
  ORG_USERS_LEGACY,
  ORG_USERS_V2,
  principalOf,
  statusesQuery,
  userIdParam,
  userPageLinks,
} from './shared.ts';

/** OrgUserRolesRequest: `orgRoles` required, `groupRoleAssignments` [{groupId, groupRoles}]. */
const ROLES = { fields: { orgRoles: 'string[]', groupRoleAssignments: 'object[]' }, required: ['orgRoles'] } as const;
const ASSIGNMENT = { fields: { groupId: 'string', groupRoles: 'string[]' }, required: ['groupId', 'groupRoles'] } as const;
const CREATE = { fields: { username: 'string', roles: 'object', teamIds: 'string[]' }, required: ['username', 'roles'] } as const;
const UPDATE = { fields: { roles: 'object', teamIds: 'string[]' } } as const;
const UPDATE_ROLES = { fields: { orgRoles: 'string[]', links: 'ignored' }, required: ['orgRoles'] } as const;
const ONE_ROLE = { fields: { orgRole: 'string' }, required: ['orgRole'] } as const;

/** `roles` of a create/update body, its assignments read the request's way ({groupId, groupRoles}). */
export function readRoles(value: unknown): { orgRoles: string[]; groupRoleAssignments?: GroupRoleAssignment[] } {
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
export function registerOrgUserRoutes(app: FastifyInstance, ctx: DomainContext, publicUrl?: string): void {
  const base = '/api/atlas/v2/orgs/:orgId/users';

  app.get(base, { config: { resource: ORG_USERS_BOTH } }, async function listOrgUsers(request, reply) {
    const orgId = idParam(request, 'orgId');
    const page = pageQuery(request);
    const legacy = isLegacy(request);
    // "Not supported in deprecated versions": 2023-01-01 lists ACTIVE users and takes no filters.
    const username = legacy ? undefined : stringQuery(request, 'username') || undefined;
    const { statuses, given } = legacy ? { statuses: ['ACTIVE'] as const, given: [] } : statusesQuery(request);
    const result = await orgUsers.listOrgUsers(ctx, principalOf(request), orgId, { ...page, username, statuses });
    const host = baseUrl(request, publicUrl);
    legacyHeaders(request, reply);
    return sendEntity(request, reply, 200, {
      links: userPageLinks(host, `/api/atlas/v2/orgs/${orgId}/users`, filterParams(username, given), page, result.total),
      results: result.items.map((u) => (legacy ? toCloudAppUser(u, orgId, host) : toOrgUser(u))),
      totalCount: page.includeCount ? result.total : 0,
    });
  });

  app.post(base, { config: { resource: ORG_USERS_V2, throttleInvitations: true } }, async function createOrgUser(request, reply) {
    const orgId = idParam(request, 'orgId');
    const body = readBody(request.body, CREATE);
    const roles = readRoles(body.roles);
    const user = await orgUsers.createOrgUser(ctx, actorOf(request), orgId, { username: body.username, teamIds: body.teamIds, ...roles });
    return sendEntity(request, reply, 201, toOrgUser(user));
  });

  app.get(`${base}/:userId`, { config: { resource: ORG_USERS_V2 } }, async function getOrgUser(request, reply) {
    const orgId = idParam(request, 'orgId');
    const userId = userIdParam(request);
    const user = await orgUsers.getOrgUser(ctx, principalOf(request), orgId, userId, statusesQuery(request).statuses);
    return sendEntity(request, reply, 200, toOrgUser(user));
  });

  app.patch(`${base}/:userId`, { config: { resource: ORG_USERS_V2 } }, async function updateOrgUser(request, reply) {
    const orgId = idParam(request, 'orgId');
    const userId = userIdParam(request);
    const body = readBody(request.body, UPDATE);
    const roles = body.roles === undefined ? {} : readRoles(body.roles);
    const user = await orgUsers.updateOrgUser(ctx, actorOf(request), orgId, userId, { ...roles, teamIds: body.teamIds });
    return sendEntity(request, reply, 200, toOrgUser(user));
  });

  app.delete(`${base}/:userId`, { config: { resource: ORG_USERS_BOTH } }, async function removeOrgUser(request, reply) {
    const orgId = idParam(request, 'orgId');
    const userId = userIdParam(request);
    await orgUsers.removeOrgUser(ctx, actorOf(request), orgId, userId, { activeOnly: isLegacy(request) });
    legacyHeaders(request, reply);
    return sendNoContent(request, reply);
  });

  app.put(`${base}/:userId/roles`, { config: { resource: ORG_USERS_LEGACY } }, async function updateOrgUserRoles(request, reply) {
    const orgId = idParam(request, 'orgId');
    const userId = userIdParam(request);
    const body = readBody(request.body, UPDATE_ROLES);
    const roles = await orgUsers.updateOrgUserRoles(ctx, actorOf(request), orgId, userId, body.orgRoles);
    legacyHeaders(request, reply);
    return sendEntity(request, reply, 200, { orgRoles: [...roles] });
  });

  app.post(`${base}/:userId([^/:]+)::addRole`, { config: { resource: ORG_USERS_V2 } }, async function addOrgUserRole(request, reply) {
    const orgId = idParam(request, 'orgId');
    const userId = userIdParam(request);
    const body = readBody(request.body, ONE_ROLE);
    const user = await orgUsers.addOrgUserRole(ctx, actorOf(request), orgId, userId, body.orgRole);
    return sendEntity(request, reply, 200, toOrgUser(user));
  });

  app.post(`${base}/:userId([^/:]+)::removeRole`, { config: { resource: ORG_USERS_V2 } }, async function removeOrgUserRole(request, reply) {
    const orgId = idParam(request, 'orgId');
    const userId = userIdParam(request);
    const body = readBody(request.body, ONE_ROLE);
    const user = await orgUsers.removeOrgUserRole(ctx, actorOf(request), orgId, userId, body.orgRole);
    return sendEntity(request, reply, 200, toOrgUser(user));
  });
}
