import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { principalForPublicKey } from '../../../src/domain/api-keys/api-key.service.ts';
import { createGroupInvite } from '../../../src/domain/invitations/invitation.service.ts';
import type { Principal } from '../../../src/domain/principal.ts';
import * as invitations from '../../../src/storage/repositories/invitations.repository.ts';
import { findProjectMembership, listOrgMemberships } from '../../../src/storage/repositories/memberships.repository.ts';
import { type TestWorld, testWorld } from '../../helpers/app.ts';
import { expectAtlasError, expectUserUnauthorized, HOST } from '../expect.ts';
import {
  accept,
  activeOrgUser,
  AT,
  cloudAppUser,
  DAY,
  decline,
  eventTypes,
  expectError,
  expectLegacy,
  expectV25,
  idOfBody,
  pendingOrgUser,
  V23,
  V25,
} from './users-fixtures.ts';

/** The organization half of the MongoDB Cloud Users API. A fresh store for every test. */
let w: TestWorld;
let inviter: string;
beforeEach(async () => {
  w = await testWorld();
  inviter = w.owner.publicKey;
});
afterEach(() => w.close());

const users = () => `/api/atlas/v2/orgs/${w.orgId}/users`;
const v25 = { accept: V25, 'content-type': V25 };
const create = (username: string, roles: unknown = { orgRoles: ['ORG_READ_ONLY'] }, api = w.api) =>
  api({ method: 'POST', url: users(), headers: v25, body: { username, roles } });
const get = (id: string, query = '') => w.api({ url: `${users()}/${id}${query}`, headers: v25 });
const list = (query = '') => w.api({ url: `${users()}${query}`, headers: v25 });
const selfLink = (query = 'includeCount=true&pageNum=1&itemsPerPage=100') => ({
  href: `${HOST}${users()}?${query}`,
  rel: 'self',
});

/** createOrgUser + accept: an ACTIVE member with these org roles; returns the user id. */
async function member(
  username: string,
  orgRoles: string[],
  groupRoleAssignments: Array<{ groupId: string; groupRoles: string[] }> = [],
) {
  const res = await create(username, { orgRoles, groupRoleAssignments });
  assert.equal(res.statusCode, 201, res.body);
  await accept(w, username);
  return idOfBody(res);
}

test('createOrgUser: 201, a PENDING user whose id is the user id, not the invitation id; INVITED_TO_ORG and a mail', async () => {
  const res = await create('test-file-812@mongodb.com', {
    orgRoles: ['ORG_READ_ONLY'],
    groupRoleAssignments: [{ groupId: w.groupId, groupRoles: ['GROUP_READ_ONLY'] }],
  });
  const id = idOfBody(res);
  const body = pendingOrgUser({
    id,
    username: 'test-file-812@mongodb.com',
    orgRoles: ['ORG_READ_ONLY'],
    groupRoleAssignments: [{ groupId: w.groupId, groupRoles: ['GROUP_READ_ONLY'] }],
    inviter,
  });
  expectV25(res, 201, body, '500');
  const inv = await invitations.findInvitationByUsername(w.deps.ctx.db, 'org', w.orgId, 'test-file-812@mongodb.com');
  assert.equal(inv?.source, 'users');
  assert.equal(inv?.userId, id);
  assert.notEqual(inv?.id, id, 'the id is the user id');
  expectV25(await get(id), 200, body, '500');
  expectV25(await list(), 200, { links: [selfLink()], results: [body], totalCount: 1 }, '500');
  assert.deepEqual(await eventTypes(w, { orgId: w.orgId }), ['INVITED_TO_ORG']);
});

test('accepting the mailed invitation makes the user ACTIVE with the invited roles and "mobileNumber":null', async () => {
  const id = await member(
    'joiner@example.com',
    ['ORG_MEMBER', 'ORG_BILLING_ADMIN'],
    [{ groupId: w.groupId, groupRoles: ['GROUP_OWNER'] }],
  );
  const body = activeOrgUser({
    id,
    username: 'joiner@example.com',
    orgRoles: ['ORG_MEMBER', 'ORG_BILLING_ADMIN'],
    groupRoleAssignments: [{ groupId: w.groupId, groupRoles: ['GROUP_OWNER'] }],
  });
  expectV25(await get(id), 200, body, '500');
  expectV25(await list(), 200, { links: [selfLink()], results: [body], totalCount: 1 }, '500');
  assert.deepEqual((await findProjectMembership(w.deps.ctx.db, w.groupId, id))?.roles, ['GROUP_OWNER']);
  // A member cannot be created again.
  expectAtlasError(
    await create('JOINER@example.com'),
    409,
    'USER_ALREADY_EXISTS',
    'A user with username JOINER@example.com already exists.',
    ['JOINER@example.com'],
  );
});

test('declining: INVITATION_REJECTED, listed only when asked for, invitationExpiresAt null; re-creating replaces it', async () => {
  const id = idOfBody(await create('no@example.com'));
  await decline(w, 'no@example.com');
  expectV25(await list(), 200, { links: [selfLink()], results: [], totalCount: 0 }, '500');
  const rejected = pendingOrgUser({
    id,
    username: 'no@example.com',
    orgRoles: ['ORG_READ_ONLY'],
    status: 'INVITATION_REJECTED',
    expiresAt: null,
    inviter,
  });
  expectV25(
    await list('?orgMembershipStatuses=INVITATION_REJECTED'),
    200,
    {
      links: [selfLink('includeCount=true&orgMembershipStatuses=INVITATION_REJECTED&pageNum=1&itemsPerPage=100')],
      results: [rejected],
      totalCount: 1,
    },
    '500',
  );
  expectAtlasError(await get(id), 404, 'USER_NOT_IN_ORG', `User ${id} is not in organization ${w.orgId}.`, [
    id,
    w.orgId,
  ]);
  expectV25(
    await get(id, '?orgMembershipStatuses=INVITATION_REJECTED&orgMembershipStatuses=ACTIVE'),
    200,
    rejected,
    '500',
  );
  // "Replaces INVITATION_EXPIRED and INVITATION_REJECTED user with the same email."
  w.clock.advance(60_000);
  const again = await create('no@example.com', { orgRoles: ['ORG_MEMBER'] });
  expectV25(
    again,
    201,
    pendingOrgUser({
      id,
      username: 'no@example.com',
      orgRoles: ['ORG_MEMBER'],
      createdAt: '2026-08-10T03:05:53Z',
      expiresAt: '2026-09-09T03:05:53Z',
      inviter,
    }),
    '500',
  );
  // Now PENDING again: a conflict.
  expectAtlasError(
    await create('no@example.com'),
    409,
    'USER_ALREADY_EXISTS',
    'A user with username no@example.com already exists.',
    ['no@example.com'],
  );
});

test('expiry: 31 days on, INVITATION_EXPIRED (only when asked for); re-creating replaces it with fresh dates', async () => {
  const id = idOfBody(await create('late@example.com'));
  w.clock.advance(31 * DAY);
  expectV25(await list(), 200, { links: [selfLink()], results: [], totalCount: 0 }, '500');
  const expired = pendingOrgUser({
    id,
    username: 'late@example.com',
    orgRoles: ['ORG_READ_ONLY'],
    status: 'INVITATION_EXPIRED',
    inviter,
  });
  expectV25(
    await list('?orgMembershipStatuses=INVITATION_EXPIRED,PENDING'),
    200,
    {
      links: [
        selfLink(
          'includeCount=true&orgMembershipStatuses=INVITATION_EXPIRED&orgMembershipStatuses=PENDING&pageNum=1&itemsPerPage=100',
        ),
      ],
      results: [expired],
      totalCount: 1,
    },
    '500',
  );
  expectV25(await get(id, '?orgMembershipStatuses=INVITATION_EXPIRED'), 200, expired, '500');
  const again = await create('late@example.com');
  expectV25(
    again,
    201,
    pendingOrgUser({
      id,
      username: 'late@example.com',
      orgRoles: ['ORG_READ_ONLY'],
      createdAt: '2026-09-10T03:04:53Z',
      expiresAt: '2026-10-10T03:04:53Z',
      inviter,
    }),
    '500',
  );
});

test("Atlas's blind spot: the invitee of a deprecated project invitation is no user of the organization until they accept", async () => {
  const actor = {
    principal: (await principalForPublicKey(w.deps.ctx, w.owner.publicKey)) as Principal,
    remoteAddress: '127.0.0.1',
  };
  const inv = await createGroupInvite(w.deps.ctx, actor, { required: 'GROUP_OWNER', catalogue: 'atlas' }, w.groupId, {
    username: 'old-way@example.com',
    roles: ['GROUP_READ_ONLY'],
  });
  const all =
    '?orgMembershipStatuses=ACTIVE&orgMembershipStatuses=PENDING&orgMembershipStatuses=INVITATION_EXPIRED&orgMembershipStatuses=INVITATION_REJECTED';
  assert.deepEqual(JSON.parse((await list(all)).body).results, []);
  expectAtlasError(
    await get(inv.userId as string),
    404,
    'USER_NOT_IN_ORG',
    `User ${inv.userId} is not in organization ${w.orgId}.`,
    [inv.userId as string, w.orgId],
  );
  // The users API does not see the invitation, so it invites afresh rather than conflicting.
  expectV25(
    await create('old-way@example.com', { orgRoles: ['ORG_MEMBER'] }),
    201,
    pendingOrgUser({ id: inv.userId as string, username: 'old-way@example.com', orgRoles: ['ORG_MEMBER'], inviter }),
    '500',
  );
});

test("updateOrgUser: a pending user's invitation, or an active member's roles, projects and teams, with audit events", async () => {
  const project2 = await w.newProject(w.orgId, 'second');
  const pendingId = idOfBody(await create('p@example.com'));
  const res = await w.api({
    method: 'PATCH',
    url: `${users()}/${pendingId}`,
    headers: v25,
    body: {
      roles: {
        orgRoles: ['ORG_MEMBER'],
        groupRoleAssignments: [{ groupId: project2, groupRoles: ['GROUP_READ_ONLY'] }],
      },
    },
  });
  const pending = pendingOrgUser({
    id: pendingId,
    username: 'p@example.com',
    orgRoles: ['ORG_MEMBER'],
    groupRoleAssignments: [{ groupId: project2, groupRoles: ['GROUP_READ_ONLY'] }],
    inviter,
  });
  expectV25(res, 200, pending, '500');
  expectV25(await get(pendingId), 200, pending, '500');

  const id = await member('a@example.com', ['ORG_MEMBER'], [{ groupId: w.groupId, groupRoles: ['GROUP_OWNER'] }]);
  const before = await eventTypes(w, { orgId: w.orgId });
  const changed = await w.api({
    method: 'PATCH',
    url: `${users()}/${id}`,
    headers: v25,
    body: {
      roles: {
        orgRoles: ['ORG_GROUP_CREATOR'],
        groupRoleAssignments: [{ groupId: project2, groupRoles: ['GROUP_DATA_ACCESS_ADMIN'] }],
      },
      teamIds: [],
    },
  });
  expectV25(
    changed,
    200,
    activeOrgUser({
      id,
      username: 'a@example.com',
      orgRoles: ['ORG_GROUP_CREATOR'],
      groupRoleAssignments: [{ groupId: project2, groupRoles: ['GROUP_DATA_ACCESS_ADMIN'] }],
    }),
    '500',
  );
  assert.deepEqual((await eventTypes(w, { orgId: w.orgId })).slice(before.length), ['USER_ROLES_CHANGED_AUDIT']);
  assert.deepEqual(await eventTypes(w, { projectId: project2 }), ['JOINED_GROUP']);
  assert.deepEqual((await eventTypes(w, { projectId: w.groupId })).slice(-1), ['REMOVED_FROM_GROUP']);
  assert.equal(await findProjectMembership(w.deps.ctx.db, w.groupId, id), undefined);
  // Only teamIds: nothing else moves. A team that does not exist: 404.
  expectV25(
    await w.api({ method: 'PATCH', url: `${users()}/${id}`, headers: v25, body: { teamIds: [] } }),
    200,
    JSON.parse(changed.body),
    '500',
  );
  expectAtlasError(
    await w.api({
      method: 'PATCH',
      url: `${users()}/${id}`,
      headers: v25,
      body: { teamIds: ['aaaaaaaaaaaaaaaaaaaaaaaa'] },
    }),
    404,
    'RESOURCE_NOT_FOUND',
    'Cannot find resource team aaaaaaaaaaaaaaaaaaaaaaaa.',
    ['team aaaaaaaaaaaaaaaaaaaaaaaa'],
  );
});

test("removeOrgUser: a pending user's invitation is deleted; an active member leaves the org and its projects (REMOVED_FROM_ORG)", async () => {
  const pendingId = idOfBody(await create('p@example.com'));
  const gone = await w.api({ method: 'DELETE', url: `${users()}/${pendingId}`, headers: v25 });
  expectV25(gone, 204, undefined, '500');
  assert.equal(await invitations.findInvitationByUsername(w.deps.ctx.db, 'org', w.orgId, 'p@example.com'), undefined);
  expectAtlasError(
    await get(pendingId),
    404,
    'USER_NOT_IN_ORG',
    `User ${pendingId} is not in organization ${w.orgId}.`,
    [pendingId, w.orgId],
  );

  const id = await member('m@example.com', ['ORG_MEMBER'], [{ groupId: w.groupId, groupRoles: ['GROUP_READ_ONLY'] }]);
  expectV25(await w.api({ method: 'DELETE', url: `${users()}/${id}`, headers: v25 }), 204, undefined, '500');
  assert.deepEqual(await listOrgMemberships(w.deps.ctx.db, w.orgId), []);
  assert.equal(await findProjectMembership(w.deps.ctx.db, w.groupId, id), undefined);
  assert.deepEqual(await eventTypes(w, { orgId: w.orgId }), [
    'INVITED_TO_ORG',
    'ORG_INVITATION_DELETED',
    'INVITED_TO_ORG',
    'JOINED_ORG',
    'REMOVED_FROM_ORG',
  ]);
  expectAtlasError(
    await w.api({ method: 'DELETE', url: `${users()}/${id}`, headers: v25 }),
    404,
    'USER_NOT_IN_ORG',
    `User ${id} is not in organization ${w.orgId}.`,
    [id, w.orgId],
  );
});

test('the last Organization Owner can be neither removed nor demoted; with a second owner both work', async () => {
  const first = await member('owner1@example.com', ['ORG_OWNER']);
  expectError(
    await w.api({ method: 'DELETE', url: `${users()}/${first}`, headers: v25 }),
    403,
    'CANNOT_DELETE_LAST_ADMIN',
    'An organization needs to have at least one owner. You cannot demote or remove the last owner.',
  );
  const demote = 'Cannot demote the last owner of the organization.';
  expectError(
    await w.api({
      method: 'POST',
      url: `${users()}/${first}:removeRole`,
      headers: v25,
      body: { orgRole: 'ORG_OWNER' },
    }),
    403,
    'CANNOT_REMOVE_ALL_USER_ROLES',
    'You cannot remove all roles from a user. Specify at least one role.',
  );
  await w.api({ method: 'POST', url: `${users()}/${first}:addRole`, headers: v25, body: { orgRole: 'ORG_MEMBER' } });
  expectError(
    await w.api({
      method: 'POST',
      url: `${users()}/${first}:removeRole`,
      headers: v25,
      body: { orgRole: 'ORG_OWNER' },
    }),
    403,
    'CANNOT_DEMOTE_LAST_ORG_OWNER',
    demote,
  );
  expectError(
    await w.api({
      method: 'PATCH',
      url: `${users()}/${first}`,
      headers: v25,
      body: { roles: { orgRoles: ['ORG_MEMBER'] } },
    }),
    403,
    'CANNOT_DEMOTE_LAST_ORG_OWNER',
    demote,
  );
  const second = await member('owner2@example.com', ['ORG_OWNER']);
  expectV25(
    await w.api({
      method: 'POST',
      url: `${users()}/${first}:removeRole`,
      headers: v25,
      body: { orgRole: 'ORG_OWNER' },
    }),
    200,
    activeOrgUser({ id: first, username: 'owner1@example.com', orgRoles: ['ORG_MEMBER'] }),
    '500',
  );
  expectError(
    await w.api({ method: 'DELETE', url: `${users()}/${second}`, headers: v25 }),
    403,
    'CANNOT_DELETE_LAST_ADMIN',
    'An organization needs to have at least one owner. You cannot demote or remove the last owner.',
  );
  expectV25(await w.api({ method: 'DELETE', url: `${users()}/${first}`, headers: v25 }), 204, undefined, '500');
});

test('addOrgUserRole / removeOrgUserRole: active members (USER_ROLES_CHANGED_AUDIT) and pending users; idempotent; never the last role', async () => {
  const id = await member('m@example.com', ['ORG_MEMBER']);
  const before = (await eventTypes(w, { orgId: w.orgId })).length;
  const added = await w.api({
    method: 'POST',
    url: `${users()}/${id}:addRole`,
    headers: v25,
    body: { orgRole: 'ORG_BILLING_READ_ONLY' },
  });
  expectV25(
    added,
    200,
    activeOrgUser({ id, username: 'm@example.com', orgRoles: ['ORG_MEMBER', 'ORG_BILLING_READ_ONLY'] }),
    '500',
  );
  expectV25(
    await w.api({
      method: 'POST',
      url: `${users()}/${id}:addRole`,
      headers: v25,
      body: { orgRole: 'ORG_BILLING_READ_ONLY' },
    }),
    200,
    JSON.parse(added.body),
    '500',
  );
  expectV25(
    await w.api({ method: 'POST', url: `${users()}/${id}:removeRole`, headers: v25, body: { orgRole: 'ORG_MEMBER' } }),
    200,
    activeOrgUser({ id, username: 'm@example.com', orgRoles: ['ORG_BILLING_READ_ONLY'] }),
    '500',
  );
  assert.deepEqual((await eventTypes(w, { orgId: w.orgId })).slice(before), [
    'USER_ROLES_CHANGED_AUDIT',
    'USER_ROLES_CHANGED_AUDIT',
  ]);
  expectError(
    await w.api({
      method: 'POST',
      url: `${users()}/${id}:removeRole`,
      headers: v25,
      body: { orgRole: 'ORG_BILLING_READ_ONLY' },
    }),
    403,
    'CANNOT_REMOVE_ALL_USER_ROLES',
    'You cannot remove all roles from a user. Specify at least one role.',
  );
  expectAtlasError(
    await w.api({ method: 'POST', url: `${users()}/${id}:addRole`, headers: v25, body: { orgRole: 'GROUP_OWNER' } }),
    400,
    'INVALID_ROLE_FOR_ORG',
    `Role GROUP_OWNER invalid for organization ${w.orgId}.`,
    ['GROUP_OWNER', w.orgId],
  );
  const pendingId = idOfBody(await create('p@example.com'));
  expectV25(
    await w.api({
      method: 'POST',
      url: `${users()}/${pendingId}:addRole`,
      headers: v25,
      body: { orgRole: 'ORG_GROUP_CREATOR' },
    }),
    200,
    pendingOrgUser({
      id: pendingId,
      username: 'p@example.com',
      orgRoles: ['ORG_READ_ONLY', 'ORG_GROUP_CREATOR'],
      inviter,
    }),
    '500',
  );
  assert.deepEqual(
    (await invitations.findInvitationByUsername(w.deps.ctx.db, 'org', w.orgId, 'p@example.com'))?.roles,
    ['ORG_READ_ONLY', 'ORG_GROUP_CREATOR'],
  );
});

test('updateOrgUserRoles (deprecated, 2023-01-01): active members only, with Deprecation and Sunset', async () => {
  const id = await member('m@example.com', ['ORG_MEMBER']);
  const res = await w.api({
    method: 'PUT',
    url: `${users()}/${id}/roles`,
    headers: { accept: V23 },
    body: { orgRoles: ['ORG_READ_ONLY', 'ORG_MEMBER'] },
  });
  expectLegacy(res, 200, { orgRoles: ['ORG_READ_ONLY', 'ORG_MEMBER'] }, '500');
  expectV25(
    await get(id),
    200,
    activeOrgUser({ id, username: 'm@example.com', orgRoles: ['ORG_READ_ONLY', 'ORG_MEMBER'] }),
    '500',
  );
  // Asked in 2025-02-19 terms, the only version there is answers.
  expectLegacy(
    await w.api({ method: 'PUT', url: `${users()}/${id}/roles`, headers: v25, body: { orgRoles: ['ORG_MEMBER'] } }),
    200,
    { orgRoles: ['ORG_MEMBER'] },
    '500',
  );
  expectError(
    await w.api({ method: 'PUT', url: `${users()}/${id}/roles`, body: { orgRoles: [] } }),
    403,
    'CANNOT_REMOVE_ALL_USER_ROLES',
    'You cannot remove all roles from a user. Specify at least one role.',
  );
  const pendingId = idOfBody(await create('p@example.com'));
  expectAtlasError(
    await w.api({ method: 'PUT', url: `${users()}/${pendingId}/roles`, body: { orgRoles: ['ORG_MEMBER'] } }),
    404,
    'USER_NOT_IN_ORG',
    `User ${pendingId} is not in organization ${w.orgId}.`,
    [pendingId, w.orgId],
  );
});

test('listOrgUsers in 2023-01-01: active members only, as CloudAppUser, with Deprecation and Sunset; removeOrgUser in 2023-01-01 removes members only', async () => {
  const id = await member(
    'm@example.com',
    ['ORG_MEMBER'],
    [{ groupId: w.groupId, groupRoles: ['GROUP_READ_ONLY', 'GROUP_OWNER'] }],
  );
  const pendingId = idOfBody(await create('p@example.com'));
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
            { groupId: w.groupId, roleName: 'GROUP_READ_ONLY' },
            { groupId: w.groupId, roleName: 'GROUP_OWNER' },
            { orgId: w.orgId, roleName: 'ORG_MEMBER' },
          ],
        }),
      ],
      totalCount: 1,
    },
    '500',
  );
  expectAtlasError(
    await w.api({ method: 'DELETE', url: `${users()}/${pendingId}`, headers: { accept: V23 } }),
    404,
    'USER_NOT_IN_ORG',
    `User ${pendingId} is not in organization ${w.orgId}.`,
    [pendingId, w.orgId],
  );
  expectLegacy(
    await w.api({ method: 'DELETE', url: `${users()}/${id}`, headers: { accept: V23 } }),
    204,
    undefined,
    '500',
  );
});

test('pagination: pageNum/itemsPerPage with previous/self/next links, includeCount=false, the username filter; ordered by username', async () => {
  for (const u of ['c@example.com', 'a@example.com', 'b@example.com']) await create(u);
  const res = await list('?itemsPerPage=1&pageNum=2');
  const body = JSON.parse(res.body);
  assert.deepEqual(body.links, [
    { href: `${HOST}${users()}?includeCount=true&itemsPerPage=1&pageNum=1`, rel: 'previous' },
    { href: `${HOST}${users()}?includeCount=true&pageNum=2&itemsPerPage=1`, rel: 'self' },
    { href: `${HOST}${users()}?includeCount=true&itemsPerPage=1&pageNum=3`, rel: 'next' },
  ]);
  assert.deepEqual(
    body.results.map((u: { username: string }) => u.username),
    ['b@example.com'],
  );
  assert.equal(body.totalCount, 3);
  assert.equal(JSON.parse((await list('?includeCount=false')).body).totalCount, 0);
  const one = JSON.parse((await list('?username=A@example.com')).body);
  assert.deepEqual(
    one.results.map((u: { username: string }) => u.username),
    ['a@example.com'],
  );
  assert.deepEqual(one.links, [selfLink('includeCount=true&username=A@example.com&pageNum=1&itemsPerPage=100')]);
  expectAtlasError(
    await list('?itemsPerPage=501'),
    400,
    'INVALID_QUERY_PARAMETER',
    'Invalid query parameter itemsPerPage specified.',
    ['itemsPerPage'],
  );
  expectAtlasError(
    await list('?pageNum=0'),
    400,
    'INVALID_QUERY_PARAMETER',
    'Invalid query parameter pageNum specified.',
    ['pageNum'],
  );
});

test('role boundaries: Organization Member reads, only Organization Owner changes; other orgs and unknown orgs', async () => {
  const id = idOfBody(await create('p@example.com'));
  const reader = w.as(await w.key(['ORG_MEMBER']));
  assert.equal((await reader({ url: users(), headers: v25 })).statusCode, 200);
  assert.equal((await reader({ url: `${users()}/${id}`, headers: v25 })).statusCode, 200);
  expectUserUnauthorized(await create('x@example.com', undefined, reader));
  expectUserUnauthorized(
    await reader({ method: 'PATCH', url: `${users()}/${id}`, headers: v25, body: { teamIds: [] } }),
  );
  expectUserUnauthorized(await reader({ method: 'DELETE', url: `${users()}/${id}`, headers: v25 }));
  expectUserUnauthorized(
    await reader({ method: 'POST', url: `${users()}/${id}:addRole`, headers: v25, body: { orgRole: 'ORG_MEMBER' } }),
  );
  expectUserUnauthorized(
    await reader({ method: 'POST', url: `${users()}/${id}:removeRole`, headers: v25, body: { orgRole: 'ORG_MEMBER' } }),
  );
  expectUserUnauthorized(
    await reader({ method: 'PUT', url: `${users()}/${id}/roles`, body: { orgRoles: ['ORG_MEMBER'] } }),
  );
  const billing = w.as(await w.key(['ORG_BILLING_ADMIN'], { [w.groupId]: ['GROUP_OWNER'] }));
  assert.equal((await billing({ url: users(), headers: v25 })).statusCode, 200);
  expectUserUnauthorized(await billing({ method: 'DELETE', url: `${users()}/${id}`, headers: v25 }));
  const otherOrg = await w.newOrg('Other');
  const stranger = w.as(await w.key(['ORG_OWNER'], {}, otherOrg));
  expectUserUnauthorized(await stranger({ url: users(), headers: v25 }));
  expectUserUnauthorized(await stranger({ url: `${users()}/${id}`, headers: v25 }));
  const nowhere = 'aaaaaaaaaaaaaaaaaaaaaaaa';
  expectAtlasError(
    await w.api({ url: `/api/atlas/v2/orgs/${nowhere}/users`, headers: v25 }),
    404,
    'ORG_NOT_FOUND',
    `No organization with ID ${nowhere} exists.`,
    [nowhere],
  );
});

test('bad input: bodies, ids, statuses and versions', async () => {
  const bad = (body: unknown) => w.api({ method: 'POST', url: users(), headers: v25, body });
  expectAtlasError(
    await bad({ roles: { orgRoles: ['ORG_MEMBER'] } }),
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
    await bad({ username: 'x@example.com', roles: {} }),
    400,
    'MISSING_ATTRIBUTE',
    'The required attribute orgRoles was not specified.',
    ['orgRoles'],
  );
  expectAtlasError(
    await bad({ username: 'x@example.com', roles: ['ORG_MEMBER'] }),
    400,
    'INVALID_JSON_ATTRIBUTE',
    'Received JSON for the roles attribute does not match expected format.',
    ['roles'],
  );
  expectAtlasError(
    await bad({ username: 'x@example.com', roles: { orgRoles: ['ORG_MEMBER'] }, country: 'IE' }),
    400,
    'INVALID_ATTRIBUTE',
    'Invalid attribute country specified.',
    ['country'],
  );
  expectAtlasError(
    await bad({ username: 'not-an-address', roles: { orgRoles: ['ORG_MEMBER'] } }),
    400,
    'INVALID_USERNAME',
    'The specified username is not a valid email address.',
  );
  expectAtlasError(
    await bad({ username: 'x@example.com', roles: { orgRoles: [] } }),
    400,
    'VALIDATION_ERROR',
    'The request content produced the validation error: roles must contain at least one role.',
    ['roles must contain at least one role'],
  );
  expectAtlasError(
    await bad({ username: 'x@example.com', roles: { orgRoles: ['GROUP_OWNER'] } }),
    400,
    'INVALID_ROLE_FOR_ORG',
    `Role GROUP_OWNER invalid for organization ${w.orgId}.`,
    ['GROUP_OWNER', w.orgId],
  );
  expectAtlasError(
    await bad({
      username: 'x@example.com',
      roles: { orgRoles: ['ORG_MEMBER'], groupRoleAssignments: [{ groupId: w.groupId, roles: ['GROUP_OWNER'] }] },
    }),
    400,
    'INVALID_ATTRIBUTE',
    'Invalid attribute roles specified.',
    ['roles'],
  );
  const unknownGroup = 'bbbbbbbbbbbbbbbbbbbbbbbb';
  expectAtlasError(
    await bad({
      username: 'x@example.com',
      roles: {
        orgRoles: ['ORG_MEMBER'],
        groupRoleAssignments: [{ groupId: unknownGroup, groupRoles: ['GROUP_OWNER'] }],
      },
    }),
    404,
    'GROUP_NOT_FOUND',
    `No group with ID ${unknownGroup} exists.`,
    [unknownGroup],
  );
  expectAtlasError(
    await w.api({ url: `${users()}/not-an-id`, headers: v25 }),
    404,
    'INVALID_USER_ID',
    'An invalid user ID not-an-id was specified.',
    ['not-an-id'],
  );
  const nobody = 'cccccccccccccccccccccccc';
  expectAtlasError(await get(nobody), 404, 'USER_NOT_FOUND', `No user with ID ${nobody} exists.`, [nobody]);
  expectAtlasError(
    await list('?orgMembershipStatuses=GONE'),
    400,
    'INVALID_QUERY_PARAMETER',
    'Invalid query parameter orgMembershipStatuses specified.',
    ['orgMembershipStatuses'],
  );
  expectAtlasError(
    await list('?orgMembershipStatuses=ACTIVE&orgMembershipStatus=PENDING'),
    400,
    'INVALID_QUERY_PARAMETER',
    'Invalid query parameter orgMembershipStatus specified.',
    ['orgMembershipStatus'],
  );
  // 2025-02-19-only operations refuse an older version; the literal-colon routes exist only for POST.
  expectAtlasError(
    await w.api({ url: `${users()}/${nobody}`, headers: { accept: V23 } }),
    406,
    'INVALID_VERSION_DATE',
    'Invalid accept header or version date.',
  );
  expectAtlasError(
    await w.api({ method: 'POST', url: `${users()}/${nobody}:promote`, headers: v25, body: {} }),
    404,
    'RESOURCE_NOT_FOUND',
    `Cannot find resource ${users()}/${nobody}:promote.`,
    [`${users()}/${nobody}:promote`],
  );
  expectAtlasError(
    await w.api({ method: 'POST', url: `${users()}/${nobody}:addRole`, headers: v25, body: {} }),
    400,
    'MISSING_ATTRIBUTE',
    'The required attribute orgRole was not specified.',
    ['orgRole'],
  );
});

test('a later version date resolves to 2025-02-19; the created user is on the wire at the recorded instant', async () => {
  const res = await w.api({
    method: 'POST',
    url: users(),
    headers: { accept: 'application/vnd.atlas.2026-01-01+json' },
    body: { username: 'later@example.com', roles: { orgRoles: ['ORG_MEMBER'] } },
  });
  assert.equal(res.headers['content-type'], 'application/vnd.atlas.2025-02-19+json;charset=utf-8');
  assert.equal(JSON.parse(res.body).invitationCreatedAt, AT);
});

test("the users endpoints draw from their own buckets, listed with Atlas's paths (custom methods included)", async () => {
  const res = await w.api({
    url: '/api/atlas/v2/rateLimits/users_organization',
    headers: { accept: 'application/vnd.atlas.2025-03-12+json' },
  });
  assert.equal(res.statusCode, 200, res.body);
  const set = JSON.parse(res.body);
  assert.equal(set.scope, 'ORGANIZATION');
  assert.deepEqual(set.capacity, { value: 500 });
  const paths = set.endpoints.map((e: { method: string; path: string }) => `${e.method} ${e.path}`);
  for (const p of [
    'GET /api/atlas/v2/orgs/{orgId}/users',
    'POST /api/atlas/v2/orgs/{orgId}/users',
    'PATCH /api/atlas/v2/orgs/{orgId}/users/{userId}',
    'PUT /api/atlas/v2/orgs/{orgId}/users/{userId}/roles',
    'POST /api/atlas/v2/orgs/{orgId}/users/{userId}:addRole',
    'POST /api/atlas/v2/orgs/{orgId}/users/{userId}:removeRole',
  ]) {
    assert.ok(paths.includes(p), `${p} in ${paths.join(', ')}`);
  }
});
