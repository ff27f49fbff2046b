import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { type TestWorld, testWorld } from '../../helpers/app.ts';
import { DEPRECATION, expectAtlasError, expectV2Invite, idOf, invitation, SUNSET } from '../expect.ts';

/** The six Atlas v2 project-invitation operations, each against a fresh store. */
let w: TestWorld;
let base: string;
beforeEach(async () => {
  w = await testWorld();
  base = `/api/atlas/v2/groups/${w.groupId}/invites`;
});
afterEach(() => w.close());

const DAY = 24 * 60 * 60 * 1000;

async function invite(username: string, roles: string[]) {
  const res = await w.api({ method: 'POST', url: base, body: { roles, username } });
  return { res, id: idOf(res) };
}
const mine = (id: string, username: string, roles: string[], dates: { createdAt?: string; expiresAt?: string } = {}) =>
  invitation({ id, groupId: w.groupId, inviter: w.owner.publicKey, username, roles, ...dates });

test('createGroupInvite answers 200 with the invitation, expiring 30 days after creation', async () => {
  const { res, id } = await invite('test-738@mongodb.com', ['GROUP_READ_ONLY']);
  expectV2Invite(res, 200, mine(id, 'test-738@mongodb.com', ['GROUP_READ_ONLY']));
  // expiresAt is createdAt + exactly 30 days, also off the recorded instant
  w.clock.advance(DAY + 1_500);
  const later = await invite('b@example.com', ['GROUP_OWNER', 'GROUP_CLUSTER_MANAGER']);
  expectV2Invite(
    later.res,
    200,
    mine(later.id, 'b@example.com', ['GROUP_OWNER', 'GROUP_CLUSTER_MANAGER'], {
      createdAt: '2026-08-11T03:04:54Z',
      expiresAt: '2026-09-10T03:04:54Z',
    }),
  );
  assert.notEqual(later.id, id);
});

test('a second POST for the same username re-sends the same invitation with new roles and fresh dates', async () => {
  const first = await invite('jane@example.com', ['GROUP_READ_ONLY']);
  const other = await invite('joe@example.com', ['GROUP_READ_ONLY']);
  w.clock.advance(2 * DAY);
  const again = await w.api({
    method: 'POST',
    url: base,
    body: { roles: ['GROUP_OWNER'], username: 'jane@example.com' },
  });
  const refreshed = mine(first.id, 'jane@example.com', ['GROUP_OWNER'], {
    createdAt: '2026-08-12T03:04:53Z',
    expiresAt: '2026-09-11T03:04:53Z',
  });
  expectV2Invite(again, 200, refreshed);
  expectV2Invite(await w.api({ url: base }), 200, [mine(other.id, 'joe@example.com', ['GROUP_READ_ONLY']), refreshed]);
});

test('listGroupInvites returns a bare array; ?username= filters by exact address, ignoring case', async () => {
  expectV2Invite(await w.api({ url: base }), 200, []);
  const a = await invite('Alice@Example.com', ['GROUP_READ_ONLY']);
  const b = await invite('alice@example.community', ['GROUP_OWNER']);
  const all = [
    mine(a.id, 'Alice@Example.com', ['GROUP_READ_ONLY']),
    mine(b.id, 'alice@example.community', ['GROUP_OWNER']),
  ];
  expectV2Invite(await w.api({ url: base }), 200, all);
  expectV2Invite(await w.api({ url: `${base}?username=alice@EXAMPLE.COM` }), 200, [all[0]]);
  expectV2Invite(await w.api({ url: `${base}?username=ALICE@example.community` }), 200, [all[1]]);
  // exact, not a prefix or substring match
  expectV2Invite(await w.api({ url: `${base}?username=alice` }), 200, []);
  expectV2Invite(await w.api({ url: `${base}?username=alice@example.co` }), 200, []);
  expectV2Invite(await w.api({ url: `${base}?username=nobody@example.com` }), 200, []);
  // empty value = no filter
  expectV2Invite(await w.api({ url: `${base}?username=` }), 200, all);
});

test('getGroupInvite returns one invitation; an unknown id is 404 INVALID_INVITATION_ID', async () => {
  const { id } = await invite('test-738@mongodb.com', ['GROUP_READ_ONLY']);
  expectV2Invite(await w.api({ url: `${base}/${id}` }), 200, mine(id, 'test-738@mongodb.com', ['GROUP_READ_ONLY']));
  const unknown = '0123456789abcdef01234567';
  expectAtlasError(
    await w.api({ url: `${base}/${unknown}` }),
    404,
    'INVALID_INVITATION_ID',
    `An invalid invitation ID ${unknown} was specified.`,
    [unknown],
  );
});

test('updateGroupInvites (by username) replaces the roles and keeps createdAt/expiresAt', async () => {
  const { id } = await invite('test-738@mongodb.com', ['GROUP_READ_ONLY']);
  w.clock.advance(12_000);
  const roles = ['GROUP_READ_ONLY', 'GROUP_DATA_ACCESS_READ_ONLY'];
  const res = await w.api({ method: 'PATCH', url: base, body: { roles, username: 'test-738@mongodb.com' } });
  expectV2Invite(res, 200, mine(id, 'test-738@mongodb.com', roles));
  expectV2Invite(await w.api({ url: `${base}/${id}` }), 200, mine(id, 'test-738@mongodb.com', roles));
  // replace, not merge
  const again = await w.api({
    method: 'PATCH',
    url: base,
    body: { roles: ['GROUP_OWNER'], username: 'test-738@mongodb.com' },
  });
  expectV2Invite(again, 200, mine(id, 'test-738@mongodb.com', ['GROUP_OWNER']));
});

test('updateGroupInvites for a username without an invitation is 404 RESOURCE_NOT_FOUND and writes nothing', async () => {
  const { id } = await invite('test-738@mongodb.com', ['GROUP_READ_ONLY']);
  const res = await w.api({
    method: 'PATCH',
    url: base,
    body: { roles: ['GROUP_OWNER'], username: 'someone@example.com' },
  });
  expectAtlasError(res, 404, 'RESOURCE_NOT_FOUND', 'Cannot find resource invitation for someone@example.com.', [
    'invitation for someone@example.com',
  ]);
  expectV2Invite(await w.api({ url: base }), 200, [mine(id, 'test-738@mongodb.com', ['GROUP_READ_ONLY'])]);
});

test('updateGroupInviteById replaces the roles and keeps the dates; unknown id is 404', async () => {
  const { id } = await invite('test-738@mongodb.com', ['GROUP_READ_ONLY']);
  w.clock.advance(3 * DAY);
  const res = await w.api({ method: 'PATCH', url: `${base}/${id}`, body: { roles: ['GROUP_BACKUP_MANAGER'] } });
  const expected = mine(id, 'test-738@mongodb.com', ['GROUP_BACKUP_MANAGER']);
  expectV2Invite(res, 200, expected);
  expectV2Invite(await w.api({ url: base }), 200, [expected]);
  const unknown = 'ffffffffffffffffffffffff';
  const miss = await w.api({ method: 'PATCH', url: `${base}/${unknown}`, body: { roles: ['GROUP_OWNER'] } });
  expectAtlasError(miss, 404, 'INVALID_INVITATION_ID', `An invalid invitation ID ${unknown} was specified.`, [unknown]);
});

test('deleteGroupInvite answers 204 with the versioned headers; a second delete is 400, GET is 404', async () => {
  const keep = await invite('keep@example.com', ['GROUP_READ_ONLY']);
  const { id } = await invite('test-738@mongodb.com', ['GROUP_READ_ONLY']);
  const res = await w.api({ method: 'DELETE', url: `${base}/${id}` });
  assert.equal(res.statusCode, 204);
  assert.equal(res.body, '');
  assert.equal(res.headers['content-type'], 'application/vnd.atlas.2023-01-01+json;charset=utf-8');
  assert.equal(res.headers.deprecation, DEPRECATION);
  assert.equal(res.headers.sunset, SUNSET);
  assert.equal(res.headers['ratelimit-limit'], '1200');

  const again = await w.api({ method: 'DELETE', url: `${base}/${id}` });
  expectAtlasError(
    again,
    400,
    'INVALID_INVITATION_ID',
    'The invitation you tried to delete does not exist or has already been accepted.',
    [id],
  );
  expectAtlasError(
    await w.api({ url: `${base}/${id}` }),
    404,
    'INVALID_INVITATION_ID',
    `An invalid invitation ID ${id} was specified.`,
    [id],
  );
  expectV2Invite(await w.api({ url: base }), 200, [mine(keep.id, 'keep@example.com', ['GROUP_READ_ONLY'])]);
});

test('an invitation to another project is invisible through this project', async () => {
  const otherId = await w.newProject(w.orgId, 'other-project');
  const otherBase = `/api/atlas/v2/groups/${otherId}/invites`;
  const created = await w.api({
    method: 'POST',
    url: otherBase,
    body: { roles: ['GROUP_OWNER'], username: 'x@example.com' },
  });
  const id = idOf(created);
  const theirs = invitation({
    id,
    groupId: otherId,
    groupName: 'other-project',
    inviter: w.owner.publicKey,
    username: 'x@example.com',
    roles: ['GROUP_OWNER'],
  });
  expectV2Invite(created, 200, theirs);

  const notFound = `An invalid invitation ID ${id} was specified.`;
  expectAtlasError(await w.api({ url: `${base}/${id}` }), 404, 'INVALID_INVITATION_ID', notFound, [id]);
  expectAtlasError(
    await w.api({ method: 'PATCH', url: `${base}/${id}`, body: { roles: ['GROUP_READ_ONLY'] } }),
    404,
    'INVALID_INVITATION_ID',
    notFound,
    [id],
  );
  const del = await w.api({ method: 'DELETE', url: `${base}/${id}` });
  expectAtlasError(
    del,
    400,
    'INVALID_INVITATION_ID',
    'The invitation you tried to delete does not exist or has already been accepted.',
    [id],
  );
  const byName = await w.api({
    method: 'PATCH',
    url: base,
    body: { roles: ['GROUP_READ_ONLY'], username: 'x@example.com' },
  });
  expectAtlasError(byName, 404, 'RESOURCE_NOT_FOUND', 'Cannot find resource invitation for x@example.com.', [
    'invitation for x@example.com',
  ]);
  expectV2Invite(await w.api({ url: base }), 200, []);
  expectV2Invite(await w.api({ url: `${base}?username=x@example.com` }), 200, []);
  // untouched in its own project
  expectV2Invite(await w.api({ url: otherBase }), 200, [theirs]);
});

test('the same username may be invited to two projects: two invitations, two ids', async () => {
  const otherId = await w.newProject(w.orgId, 'second');
  const a = await invite('dup@example.com', ['GROUP_READ_ONLY']);
  const b = await w.api({
    method: 'POST',
    url: `/api/atlas/v2/groups/${otherId}/invites`,
    body: { roles: ['GROUP_OWNER'], username: 'dup@example.com' },
  });
  assert.notEqual(idOf(b), a.id);
  expectV2Invite(await w.api({ url: base }), 200, [mine(a.id, 'dup@example.com', ['GROUP_READ_ONLY'])]);
});

test('concurrent POSTs for one username converge on one invitation', async () => {
  const post = (roles: string[]) =>
    w.as(w.owner)({ method: 'POST', url: base, body: { roles, username: 'race@example.com' } });
  const results = await Promise.all([
    post(['GROUP_OWNER']),
    post(['GROUP_READ_ONLY']),
    post(['GROUP_OWNER']),
    post(['GROUP_READ_ONLY']),
  ]);
  const ids = new Set(results.map((r) => idOf(r)));
  assert.equal(ids.size, 1);
  const list = JSON.parse((await w.api({ url: base })).body) as Array<{ id: string; roles: string[] }>;
  assert.equal(list.length, 1);
  assert.equal(list[0].id, [...ids][0]);
  assert.ok(['GROUP_OWNER', 'GROUP_READ_ONLY'].includes(list[0].roles[0]));
});
