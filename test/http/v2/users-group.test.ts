import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { principalForPublicKey } from '../../../src/domain/api-keys/api-key.service.ts';
import { createGroupInvite } from '../../../src/domain/invitations/invitation.service.ts';
import type { Principal } from '../../../src/domain/principal.ts';
import * as invitations from '../../../src/storage/repositories/invitations.repository.ts';
import { findProjectMembership } from '../../../src/storage/repositories/memberships.repository.ts';
import { type TestWorld, testWorld } from '../../helpers/app.ts';
import { expectAtlasError, expectUserUnauthorized, HOST } from '../expect.ts';
import {
  accept,
  activeGroupUser,
  activeOrgUser,
  cloudAppUser,
  DAY,
  decline,
  eventTypes,
  expectError,
  expectLegacy,
  expectV25,
  idOfBody,
  pendingGroupUser,
  pendingOrgUser,
  V23,
  V25,
} from './users-fixtures.ts';

/** The project half of the MongoDB Cloud Users API. A fresh store for every test. */
let w: TestWorld;
let inviter: string;
beforeEach(async () => {
  w = await testWorld();
  inviter = w.owner.publicKey;
});
afterEach(() => w.close());

const users = (groupId = w.groupId) => `/api/atlas/v2/groups/${groupId}/users`;
const orgUsers = () => `/api/atlas/v2/orgs/${w.orgId}/users`;
const v25 = { accept: V25, 'content-type': V25 };
const add = (username: string, roles: string[] = ['GROUP_READ_ONLY'], api = w.api, groupId = w.groupId) =>
  api({ method: 'POST', url: users(groupId), headers: v25, body: { username, roles } });
const get = (id: string, query = '') => w.api({ url: `${users()}/${id}${query}`, headers: v25 });
const list = (query = '') => w.api({ url: `${users()}${query}`, headers: v25 });
const FLAGS = 'flattenTeams=false&includeCount=true&includeOrgUsers=false';
const selfLink = (query = `${FLAGS}&pageNum=1&itemsPerPage=100`, groupId = w.groupId) => ({
  href: `${HOST}${users(groupId)}?${query}`,
  rel: 'self',
});

/** An active org member (createOrgUser + accept) in no project; returns the user id. */
async function orgMember(username: string, orgRoles = ['ORG_MEMBER']): Promise<string> {
  const res = await w.api({ method: 'POST', url: orgUsers(), headers: v25, body: { username, roles: { orgRoles } } });
  assert.equal(res.statusCode, 201, res.body);
  await accept(w, username);
  return idOfBody(res);
}

test('addGroupUsers for a newcomer: 201 PENDING, an organization invitation (source users, Organization Member) assigning the project', async () => {
  const res = await add('new@example.com', ['GROUP_DATA_ACCESS_READ_ONLY', 'GROUP_READ_ONLY']);
  const id = idOfBody(res);
  const body = pendingGroupUser({
    id,
    username: 'new@example.com',
    roles: ['GROUP_DATA_ACCESS_READ_ONLY', 'GROUP_READ_ONLY'],
    inviter,
  });
  expectV25(res, 201, body, '1200');
  const inv = await invitations.findInvitationByUsername(w.deps.ctx.db, 'org', w.orgId, 'new@example.com');
  assert.equal(inv?.source, 'users');
  assert.deepEqual(inv?.roles, ['ORG_MEMBER']);
  assert.deepEqual(inv?.groupRoleAssignments, [
    { groupId: w.groupId, roles: ['GROUP_DATA_ACCESS_READ_ONLY', 'GROUP_READ_ONLY'] },
  ]);
  expectV25(await get(id), 200, body, '1200');
  expectV25(await list(), 200, { links: [selfLink()], results: [body], totalCount: 1 }, '1200');
  expectV25(
    await w.api({ url: `${orgUsers()}/${id}`, headers: v25 }),
    200,
    pendingOrgUser({
      id,
      username: 'new@example.com',
      orgRoles: ['ORG_MEMBER'],
      groupRoleAssignments: [{ groupId: w.groupId, groupRoles: ['GROUP_DATA_ACCESS_READ_ONLY', 'GROUP_READ_ONLY'] }],
      inviter,
    }),
    '500',
  );
  // Pending with this project already: a conflict.
  expectAtlasError(
    await add('new@example.com'),
    409,
    'USER_ALREADY_EXISTS',
    'A user with username new@example.com already exists.',
    ['new@example.com'],
  );
  // Accepting the mailed invitation: an active member of the organization and the project.
  await accept(w, 'new@example.com');
  const active = activeGroupUser({
    id,
    username: 'new@example.com',
    roles: ['GROUP_DATA_ACCESS_READ_ONLY', 'GROUP_READ_ONLY'],
  });
  expectV25(await get(id), 200, active, '1200');
  expectV25(await list(), 200, { links: [selfLink()], results: [active], totalCount: 1 }, '1200');
});

test('addGroupUsers for an active org member: 201 ACTIVE at once, JOINED_GROUP; again: 409', async () => {
  const id = await orgMember('m@example.com');
  const res = await add('m@example.com', ['GROUP_OWNER']);
  expectV25(res, 201, activeGroupUser({ id, username: 'm@example.com', roles: ['GROUP_OWNER'] }), '1200');
  assert.deepEqual((await findProjectMembership(w.deps.ctx.db, w.groupId, id))?.roles, ['GROUP_OWNER']);
  assert.deepEqual(await eventTypes(w, { projectId: w.groupId }), ['JOINED_GROUP']);
  expectAtlasError(
    await add('M@example.com'),
    409,
    'USER_ALREADY_EXISTS',
    'A user with username M@example.com already exists.',
    ['M@example.com'],
  );
});

test('addGroupUsers for a PENDING org user: the invitation gains the project; for a declined or expired one: a new invitation', async () => {
  const pending = await w.api({
    method: 'POST',
    url: orgUsers(),
    headers: v25,
    body: { username: 'p@example.com', roles: { orgRoles: ['ORG_BILLING_ADMIN'] } },
  });
  const id = idOfBody(pending);
  const project2 = await w.newProject(w.orgId, 'second');
  expectV25(
    await add('p@example.com', ['GROUP_READ_ONLY'], w.api, project2),
    201,
    pendingGroupUser({ id, username: 'p@example.com', roles: ['GROUP_READ_ONLY'], inviter }),
    '1200',
  );
  const inv = await invitations.findInvitationByUsername(w.deps.ctx.db, 'org', w.orgId, 'p@example.com');
  assert.deepEqual(inv?.roles, ['ORG_BILLING_ADMIN'], 'the org roles stay');
  assert.deepEqual(inv?.groupRoleAssignments, [{ groupId: project2, roles: ['GROUP_READ_ONLY'] }]);

  await add('no@example.com');
  await decline(w, 'no@example.com');
  const noId = (await invitations.findInvitationByUsername(w.deps.ctx.db, 'org', w.orgId, 'no@example.com'))
    ?.userId as string;
  expectV25(
    await list('?orgMembershipStatuses=INVITATION_REJECTED'),
    200,
    {
      links: [selfLink(`${FLAGS}&orgMembershipStatuses=INVITATION_REJECTED&pageNum=1&itemsPerPage=100`)],
      results: [
        pendingGroupUser({
          id: noId,
          username: 'no@example.com',
          roles: ['GROUP_READ_ONLY'],
          status: 'INVITATION_REJECTED',
          expiresAt: null,
          inviter,
        }),
      ],
      totalCount: 1,
    },
    '1200',
  );
  // "Replaces INVITATION_EXPIRED and INVITATION_REJECTED user with the same email."
  expectV25(
    await add('no@example.com', ['GROUP_OWNER']),
    201,
    pendingGroupUser({ id: noId, username: 'no@example.com', roles: ['GROUP_OWNER'], inviter }),
    '1200',
  );
  w.clock.advance(31 * DAY);
  expectV25(
    await w.api({ url: `${users(project2)}/${id}?orgMembershipStatuses=INVITATION_EXPIRED`, headers: v25 }),
    200,
    pendingGroupUser({
      id,
      username: 'p@example.com',
      roles: ['GROUP_READ_ONLY'],
      status: 'INVITATION_EXPIRED',
      inviter,
    }),
    '1200',
  );
  expectV25(
    await add('p@example.com'),
    201,
    pendingGroupUser({
      id,
      username: 'p@example.com',
      roles: ['GROUP_READ_ONLY'],
      createdAt: '2026-09-10T03:04:53Z',
      expiresAt: '2026-10-10T03:04:53Z',
      inviter,
    }),
    '1200',
  );
  const replaced = await invitations.findInvitationByUsername(w.deps.ctx.db, 'org', w.orgId, 'p@example.com');
  assert.deepEqual(
    [replaced?.roles, replaced?.groupRoleAssignments],
    [['ORG_MEMBER'], [{ groupId: w.groupId, roles: ['GROUP_READ_ONLY'] }]],
  );
});

test('removeGroupUser: an active member leaves the project (REMOVED_FROM_GROUP); a pending user loses it from the invitation', async () => {
  const id = await orgMember('m@example.com');
  await add('m@example.com');
  expectV25(await w.api({ method: 'DELETE', url: `${users()}/${id}`, headers: v25 }), 204, undefined, '1200');
  assert.equal(await findProjectMembership(w.deps.ctx.db, w.groupId, id), undefined);
  assert.deepEqual(await eventTypes(w, { projectId: w.groupId }), ['JOINED_GROUP', 'REMOVED_FROM_GROUP']);
  expectAtlasError(await get(id), 404, 'USER_NOT_IN_GROUP', `User ${id} is not in group ${w.groupId}.`, [
    id,
    w.groupId,
  ]);
  // Still a member of the organization.
  assert.equal(
    JSON.parse((await w.api({ url: `${orgUsers()}/${id}`, headers: v25 })).body).orgMembershipStatus,
    'ACTIVE',
  );

  const pendingId = idOfBody(await add('p@example.com'));
  // 2023-01-01 removes active members only.
  expectAtlasError(
    await w.api({ method: 'DELETE', url: `${users()}/${pendingId}`, headers: { accept: V23 } }),
    404,
    'USER_NOT_IN_GROUP',
    `User ${pendingId} is not in group ${w.groupId}.`,
    [pendingId, w.groupId],
  );
  expectV25(await w.api({ method: 'DELETE', url: `${users()}/${pendingId}`, headers: v25 }), 204, undefined, '1200');
  expectV25(
    await w.api({ url: `${orgUsers()}/${pendingId}`, headers: v25 }),
    200,
    pendingOrgUser({ id: pendingId, username: 'p@example.com', orgRoles: ['ORG_MEMBER'], inviter }),
    '500',
  );
  // 2023-01-01 removes an active member, with Deprecation and Sunset.
  await add('m@example.com');
  expectLegacy(
    await w.api({ method: 'DELETE', url: `${users()}/${id}`, headers: { accept: V23 } }),
    204,
    undefined,
    '1200',
  );
});

test('addGroupUserRole / removeGroupUserRole: active members (USER_ROLES_CHANGED_AUDIT) and pending users; never the last role', async () => {
  const id = await orgMember('m@example.com');
  await add('m@example.com', ['GROUP_READ_ONLY']);
  const added = await w.api({
    method: 'POST',
    url: `${users()}/${id}:addRole`,
    headers: v25,
    body: { groupRole: 'GROUP_CLUSTER_MANAGER' },
  });
  expectV25(
    added,
    200,
    activeGroupUser({ id, username: 'm@example.com', roles: ['GROUP_READ_ONLY', 'GROUP_CLUSTER_MANAGER'] }),
    '1200',
  );
  expectV25(
    await w.api({
      method: 'POST',
      url: `${users()}/${id}:removeRole`,
      headers: v25,
      body: { groupRole: 'GROUP_READ_ONLY' },
    }),
    200,
    activeGroupUser({ id, username: 'm@example.com', roles: ['GROUP_CLUSTER_MANAGER'] }),
    '1200',
  );
  assert.deepEqual(await eventTypes(w, { projectId: w.groupId }), [
    'JOINED_GROUP',
    'USER_ROLES_CHANGED_AUDIT',
    'USER_ROLES_CHANGED_AUDIT',
  ]);
  expectError(
    await w.api({
      method: 'POST',
      url: `${users()}/${id}:removeRole`,
      headers: v25,
      body: { groupRole: 'GROUP_CLUSTER_MANAGER' },
    }),
    403,
    'CANNOT_REMOVE_ALL_USER_ROLES',
    'You cannot remove all roles from a user. Specify at least one role.',
  );
  expectAtlasError(
    await w.api({ method: 'POST', url: `${users()}/${id}:addRole`, headers: v25, body: { groupRole: 'ORG_OWNER' } }),
    400,
    'INVALID_ROLE_FOR_GROUP',
    `Role ORG_OWNER is invalid for group ${w.groupId}.`,
    ['ORG_OWNER', w.groupId],
  );
  const pendingId = idOfBody(await add('p@example.com'));
  expectV25(
    await w.api({
      method: 'POST',
      url: `${users()}/${pendingId}:addRole`,
      headers: v25,
      body: { groupRole: 'GROUP_OWNER' },
    }),
    200,
    pendingGroupUser({ id: pendingId, username: 'p@example.com', roles: ['GROUP_READ_ONLY', 'GROUP_OWNER'], inviter }),
    '1200',
  );
  assert.deepEqual(
    (await invitations.findInvitationByUsername(w.deps.ctx.db, 'org', w.orgId, 'p@example.com'))?.groupRoleAssignments,
    [{ groupId: w.groupId, roles: ['GROUP_READ_ONLY', 'GROUP_OWNER'] }],
  );
  // An org member outside the project has no project roles to change.
  const outsider = await orgMember('o@example.com');
  expectAtlasError(
    await w.api({
      method: 'POST',
      url: `${users()}/${outsider}:addRole`,
      headers: v25,
      body: { groupRole: 'GROUP_OWNER' },
    }),
    404,
    'USER_NOT_IN_GROUP',
    `User ${outsider} is not in group ${w.groupId}.`,
    [outsider, w.groupId],
  );
});

test("updateGroupUserRoles (deprecated, 2023-01-01): replaces an active member's roles, with Deprecation and Sunset", async () => {
  const id = await orgMember('m@example.com');
  await add('m@example.com');
  const res = await w.api({
    method: 'PUT',
    url: `${users()}/${id}/roles`,
    headers: { accept: V23 },
    body: { groupRoles: ['GROUP_OWNER', 'GROUP_READ_ONLY'] },
  });
  expectLegacy(res, 200, { groupRoles: ['GROUP_OWNER', 'GROUP_READ_ONLY'] }, '1200');
  assert.deepEqual((await findProjectMembership(w.deps.ctx.db, w.groupId, id))?.roles, [
    'GROUP_OWNER',
    'GROUP_READ_ONLY',
  ]);
  assert.deepEqual(await eventTypes(w, { projectId: w.groupId }), ['JOINED_GROUP', 'USER_ROLES_CHANGED_AUDIT']);
  expectError(
    await w.api({ method: 'PUT', url: `${users()}/${id}/roles`, body: { groupRoles: [] } }),
    403,
    'CANNOT_REMOVE_ALL_USER_ROLES',
    'You cannot remove all roles from a user. Specify at least one role.',
  );
  const pendingId = idOfBody(await add('p@example.com'));
  expectAtlasError(
    await w.api({ method: 'PUT', url: `${users()}/${pendingId}/roles`, body: { groupRoles: ['GROUP_OWNER'] } }),
    404,
    'USER_NOT_IN_GROUP',
    `User ${pendingId} is not in group ${w.groupId}.`,
    [pendingId, w.groupId],
  );
});

test('listGroupUsers: links carry flattenTeams and includeOrgUsers; includeOrgUsers adds owners/read-only members; the 2023-01-01 list', async () => {
  const owner = await orgMember('boss@example.com', ['ORG_OWNER']);
  const id = await orgMember('m@example.com');
  await add('m@example.com', ['GROUP_OWNER']);
  const pendingId = idOfBody(await add('p@example.com'));
  const m = activeGroupUser({ id, username: 'm@example.com', roles: ['GROUP_OWNER'] });
  const p = pendingGroupUser({ id: pendingId, username: 'p@example.com', roles: ['GROUP_READ_ONLY'], inviter });
  expectV25(await list(), 200, { links: [selfLink()], results: [m, p], totalCount: 2 }, '1200');
  expectV25(
    await list('?includeOrgUsers=true'),
    200,
    {
      links: [selfLink('flattenTeams=false&includeCount=true&includeOrgUsers=true&pageNum=1&itemsPerPage=100')],
      results: [activeGroupUser({ id: owner, username: 'boss@example.com', roles: ['GROUP_OWNER'] }), m, p],
      totalCount: 3,
    },
    '1200',
  );
  const page2 = JSON.parse(
    (await list('?itemsPerPage=1&pageNum=2&username=P@example.com&orgMembershipStatuses=PENDING')).body,
  );
  assert.deepEqual(page2, {
    links: [
      {
        href: `${HOST}${users()}?${FLAGS}&itemsPerPage=1&orgMembershipStatuses=PENDING&pageNum=1&username=P@example.com`,
        rel: 'previous',
      },
      selfLink(`${FLAGS}&orgMembershipStatuses=PENDING&username=P@example.com&pageNum=2&itemsPerPage=1`),
    ],
    results: [],
    totalCount: 1,
  });
  expectLegacy(
    await w.api({ url: users(), headers: { accept: V23 } }),
    200,
    {
      links: [selfLink()],
      results: [
        cloudAppUser({
          id,
          username: 'm@example.com',
          roles: [
            { groupId: w.groupId, roleName: 'GROUP_OWNER' },
            { orgId: w.orgId, roleName: 'ORG_MEMBER' },
          ],
        }),
      ],
      totalCount: 1,
    },
    '1200',
  );
});

test("Atlas's blind spot: a deprecated project invitation's invitee is not a user of the project; after accepting, they are", async () => {
  const actor = {
    principal: (await principalForPublicKey(w.deps.ctx, w.owner.publicKey)) as Principal,
    remoteAddress: '127.0.0.1',
  };
  const inv = await createGroupInvite(w.deps.ctx, actor, { required: 'GROUP_OWNER', catalogue: 'atlas' }, w.groupId, {
    username: 'old-way@example.com',
    roles: ['GROUP_READ_ONLY'],
  });
  const userId = inv.userId as string;
  const all =
    '?orgMembershipStatuses=ACTIVE&orgMembershipStatuses=PENDING&orgMembershipStatuses=INVITATION_EXPIRED&orgMembershipStatuses=INVITATION_REJECTED';
  assert.deepEqual(JSON.parse((await list(all)).body).results, []);
  expectAtlasError(await get(userId), 404, 'USER_NOT_IN_GROUP', `User ${userId} is not in group ${w.groupId}.`, [
    userId,
    w.groupId,
  ]);
  expectAtlasError(
    await w.api({ method: 'DELETE', url: `${users()}/${userId}`, headers: v25 }),
    404,
    'USER_NOT_IN_GROUP',
    `User ${userId} is not in group ${w.groupId}.`,
    [userId, w.groupId],
  );
  await accept(w, 'old-way@example.com');
  expectV25(
    await get(userId),
    200,
    activeGroupUser({ id: userId, username: 'old-way@example.com', roles: ['GROUP_READ_ONLY'] }),
    '1200',
  );
  expectV25(
    await w.api({ url: `${orgUsers()}/${userId}`, headers: v25 }),
    200,
    activeOrgUser({
      id: userId,
      username: 'old-way@example.com',
      orgRoles: ['ORG_MEMBER'],
      groupRoleAssignments: [{ groupId: w.groupId, groupRoles: ['GROUP_READ_ONLY'] }],
    }),
    '500',
  );
});

test('role boundaries: Project Read Only reads; changes need Project Owner (or Organization Owner); other orgs; unknown projects', async () => {
  const id = idOfBody(await add('p@example.com'));
  const reader = w.as(await w.key(['ORG_MEMBER'], { [w.groupId]: ['GROUP_READ_ONLY'] }));
  assert.equal((await reader({ url: users(), headers: v25 })).statusCode, 200);
  assert.equal((await reader({ url: `${users()}/${id}`, headers: v25 })).statusCode, 200);
  expectUserUnauthorized(await add('x@example.com', ['GROUP_READ_ONLY'], reader));
  expectUserUnauthorized(await reader({ method: 'DELETE', url: `${users()}/${id}`, headers: v25 }));
  expectUserUnauthorized(
    await reader({ method: 'POST', url: `${users()}/${id}:addRole`, headers: v25, body: { groupRole: 'GROUP_OWNER' } }),
  );
  expectUserUnauthorized(
    await reader({
      method: 'POST',
      url: `${users()}/${id}:removeRole`,
      headers: v25,
      body: { groupRole: 'GROUP_READ_ONLY' },
    }),
  );
  expectUserUnauthorized(
    await reader({ method: 'PUT', url: `${users()}/${id}/roles`, body: { groupRoles: ['GROUP_OWNER'] } }),
  );
  const outsider = w.as(await w.key(['ORG_MEMBER']));
  expectUserUnauthorized(await outsider({ url: users(), headers: v25 }));
  // A Project Owner who is no Organization Owner may add a newcomer (an organization invitation follows).
  const projectOwner = w.as(await w.key(['ORG_MEMBER'], { [w.groupId]: ['GROUP_OWNER'] }));
  assert.equal((await add('y@example.com', ['GROUP_READ_ONLY'], projectOwner)).statusCode, 201);
  const otherOrg = await w.newOrg('Other');
  const stranger = w.as(await w.key(['ORG_OWNER'], {}, otherOrg));
  expectUserUnauthorized(await stranger({ url: users(), headers: v25 }));
  const nowhere = 'aaaaaaaaaaaaaaaaaaaaaaaa';
  expectAtlasError(
    await w.api({ url: users(nowhere), headers: v25 }),
    404,
    'GROUP_NOT_FOUND',
    `No group with ID ${nowhere} exists.`,
    [nowhere],
  );
  expectAtlasError(
    await w.api({ url: users('nope'), headers: v25 }),
    404,
    'INVALID_GROUP_ID',
    'An invalid group ID nope was specified.',
    ['nope'],
  );
});

test('bad input: bodies, roles, ids and versions', async () => {
  const bad = (body: unknown) => w.api({ method: 'POST', url: users(), headers: v25, body });
  expectAtlasError(
    await bad({ roles: ['GROUP_OWNER'] }),
    400,
    'MISSING_ATTRIBUTE',
    'The required attribute username was not specified.',
    ['username'],
  );
  expectAtlasError(
    await bad({ username: 'x@example.com' }),
    400,
    'MISSING_ATTRIBUTE',
    'The required attribute roles was not specified.',
    ['roles'],
  );
  expectAtlasError(
    await bad({ username: 'x@example.com', roles: 'GROUP_OWNER' }),
    400,
    'INVALID_JSON_ATTRIBUTE',
    'Received JSON for the roles attribute does not match expected format.',
    ['roles'],
  );
  expectAtlasError(
    await bad({ username: 'x@example.com', roles: [], teamIds: [] }),
    400,
    'INVALID_ATTRIBUTE',
    'Invalid attribute teamIds specified.',
    ['teamIds'],
  );
  expectAtlasError(
    await bad({ username: 'x', roles: ['GROUP_OWNER'] }),
    400,
    'INVALID_USERNAME',
    'The specified username is not a valid email address.',
  );
  expectAtlasError(
    await bad({ username: 'x@example.com', roles: [] }),
    400,
    'VALIDATION_ERROR',
    'The request content produced the validation error: roles must contain at least one role.',
    ['roles must contain at least one role'],
  );
  expectAtlasError(
    await bad({ username: 'x@example.com', roles: ['ORG_OWNER'] }),
    400,
    'INVALID_ROLE_FOR_GROUP',
    `Role ORG_OWNER is invalid for group ${w.groupId}.`,
    ['ORG_OWNER', w.groupId],
  );
  expectAtlasError(
    await bad({ username: 'x@example.com', roles: ['GROUP_AUTOMATION_ADMIN'] }),
    400,
    'INVALID_ROLE_FOR_GROUP',
    `Role GROUP_AUTOMATION_ADMIN is invalid for group ${w.groupId}.`,
    ['GROUP_AUTOMATION_ADMIN', w.groupId],
  );
  expectAtlasError(
    await w.api({ url: `${users()}/xyz`, headers: v25 }),
    404,
    'INVALID_USER_ID',
    'An invalid user ID xyz was specified.',
    ['xyz'],
  );
  const nobody = 'cccccccccccccccccccccccc';
  expectAtlasError(await get(nobody), 404, 'USER_NOT_FOUND', `No user with ID ${nobody} exists.`, [nobody]);
  expectAtlasError(
    await w.api({
      method: 'POST',
      url: users(),
      headers: { accept: V23 },
      body: { username: 'x@example.com', roles: ['GROUP_OWNER'] },
    }),
    406,
    'INVALID_VERSION_DATE',
    'Invalid accept header or version date.',
  );
  expectAtlasError(
    await w.api({ method: 'POST', url: `${users()}/${nobody}:addRole`, headers: v25, body: { groupRole: 5 } }),
    400,
    'INVALID_JSON_ATTRIBUTE',
    'Received JSON for the groupRole attribute does not match expected format.',
    ['groupRole'],
  );
  expectAtlasError(
    await list('?orgMembershipStatuses=ACTIVE,NOPE'),
    400,
    'INVALID_QUERY_PARAMETER',
    'Invalid query parameter orgMembershipStatuses specified.',
    ['orgMembershipStatuses'],
  );
});
