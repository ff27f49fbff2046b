import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { acceptInvitation } from '../../../src/domain/invitations/lifecycle.service.ts';
import { ERRORS } from '../../../src/errors/codes.ts';
import { type Credentials, type TestWorld, testWorld } from '../../helpers/app.ts';
import { expectAtlasError, expectUserUnauthorized, expectV2Invite, invitation } from '../expect.ts';
import {
  DELETE_MISSING,
  expectOrgInvite,
  expectOrgInviteNoContent,
  idOf,
  type OrgInvitationFields,
  orgInvitation,
} from '../org-invites.fixtures.ts';

/** The six Atlas v2 organization-invitation operations, each against a fresh store. */
let w: TestWorld;
let base: string;
beforeEach(async () => {
  w = await testWorld();
  base = `/api/atlas/v2/orgs/${w.orgId}/invites`;
});
afterEach(() => w.close());

const DAY = 24 * 60 * 60 * 1000;
const UNKNOWN = '0123456789abcdef01234567';

async function invite(username: string, roles: string[], extra: Record<string, unknown> = {}) {
  const res = await w.api({ method: 'POST', url: base, body: { roles, username, ...extra } });
  return { res, id: idOf(res) };
}
const mine = (id: string, username: string, roles: string[], more: Partial<OrgInvitationFields> = {}) =>
  orgInvitation({ id, orgId: w.orgId, inviter: w.owner.publicKey, username, roles, ...more });

describe('createOrgInvite', () => {
  test('answers 200 with the invitation as recorded: groupRoleAssignments and teamIds empty, 30 days to accept', async () => {
    const { res, id } = await invite('test-783@mongodb.com', ['ORG_MEMBER']);
    expectOrgInvite(res, 200, mine(id, 'test-783@mongodb.com', ['ORG_MEMBER']));
    // Same shape as the recorded body, byte for byte apart from ids and the inviter.
    assert.equal(
      res.body,
      `{"createdAt":"2026-08-10T03:04:53Z","expiresAt":"2026-09-09T03:04:53Z","groupRoleAssignments":[],"id":"${id}","inviterUsername":"${w.owner.publicKey}","orgId":"${w.orgId}","orgName":"Atlas CLI E2E","roles":["ORG_MEMBER"],"teamIds":[],"username":"test-783@mongodb.com"}`,
    );
    w.clock.advance(DAY + 1_500);
    const later = await invite('b@example.com', ['ORG_GROUP_CREATOR', 'ORG_READ_ONLY']);
    expectOrgInvite(
      later.res,
      200,
      mine(later.id, 'b@example.com', ['ORG_GROUP_CREATOR', 'ORG_READ_ONLY'], {
        createdAt: '2026-08-11T03:04:54Z',
        expiresAt: '2026-09-10T03:04:54Z',
      }),
    );
  });

  test('groupRoleAssignments: {groupId, roles} in, one {groupId, groupRole} per role out', async () => {
    const second = await w.newProject(w.orgId, 'second');
    const { res, id } = await invite('grp@example.com', ['ORG_MEMBER'], {
      groupRoleAssignments: [
        { groupId: w.groupId, roles: ['GROUP_READ_ONLY', 'GROUP_DATA_ACCESS_READ_ONLY'] },
        { groupId: second, roles: ['GROUP_OWNER'] },
      ],
    });
    const expected = mine(id, 'grp@example.com', ['ORG_MEMBER'], {
      groupRoleAssignments: [
        { groupId: w.groupId, groupRole: 'GROUP_READ_ONLY' },
        { groupId: w.groupId, groupRole: 'GROUP_DATA_ACCESS_READ_ONLY' },
        { groupId: second, groupRole: 'GROUP_OWNER' },
      ],
    });
    expectOrgInvite(res, 200, expected);
    expectOrgInvite(await w.api({ url: `${base}/${id}` }), 200, expected);
  });

  test('a second POST for the same username re-sends the same invitation with the new roles and fresh dates', async () => {
    const first = await invite('jane@example.com', ['ORG_MEMBER']);
    const other = await invite('joe@example.com', ['ORG_MEMBER']);
    w.clock.advance(2 * DAY);
    const again = await w.api({
      method: 'POST',
      url: base,
      body: { roles: ['ORG_OWNER'], username: 'JANE@example.com' },
    });
    const refreshed = mine(first.id, 'jane@example.com', ['ORG_OWNER'], {
      createdAt: '2026-08-12T03:04:53Z',
      expiresAt: '2026-09-11T03:04:53Z',
    });
    expectOrgInvite(again, 200, refreshed);
    expectOrgInvite(await w.api({ url: base }), 200, [mine(other.id, 'joe@example.com', ['ORG_MEMBER']), refreshed]);
  });

  test('someone already in the organization → 409 USER_ALREADY_EXISTS', async () => {
    const { id } = await invite('member@example.com', ['ORG_MEMBER']);
    await acceptInvitation(w.deps.ctx, { invitationId: id });
    const res = await w.api({
      method: 'POST',
      url: base,
      body: { roles: ['ORG_MEMBER'], username: 'member@example.com' },
    });
    expectAtlasError(res, 409, 'USER_ALREADY_EXISTS', 'A user with username member@example.com already exists.', [
      'member@example.com',
    ]);
    expectOrgInvite(await w.api({ url: base }), 200, []);
  });

  test('counts against the per-address invitation limit shared with project invitations (10 a minute)', async () => {
    await w.close();
    w = await testWorld({ rateLimitOverrides: '' });
    base = `/api/atlas/v2/orgs/${w.orgId}/invites`;
    for (let i = 1; i <= 5; i++) {
      assert.equal(
        (await w.api({ method: 'POST', url: base, body: { roles: ['ORG_MEMBER'], username: `o${i}@example.com` } }))
          .statusCode,
        200,
      );
      const p = await w.api({
        method: 'POST',
        url: `/api/atlas/v2/groups/${w.groupId}/invites`,
        body: { roles: ['GROUP_READ_ONLY'], username: `p${i}@example.com` },
      });
      assert.equal(p.statusCode, 200, p.body);
    }
    const res = await w.api({
      method: 'POST',
      url: base,
      body: { roles: ['ORG_MEMBER'], username: 'o11@example.com' },
    });
    expectAtlasError(
      res,
      400,
      ERRORS.INVITATIONS_RATE_LIMITED_IP.errorCode,
      'Rate limit of 10 invitations per 1 minutes exceeded.',
      [10, 1],
    );
    const list = JSON.parse((await w.api({ url: `${base}?username=o11@example.com` })).body) as unknown[];
    assert.equal(list.length, 0);
    // reads and updates are not invitations
    const patched = await w.api({
      method: 'PATCH',
      url: base,
      body: { roles: ['ORG_OWNER'], username: 'o1@example.com' },
    });
    assert.equal(patched.statusCode, 200, patched.body);
  });
});

describe('listOrgInvites', () => {
  test('a bare array; ?username= filters by exact address ignoring case; empty means no filter', async () => {
    expectOrgInvite(await w.api({ url: base }), 200, []);
    const a = await invite('Alice@Example.com', ['ORG_MEMBER']);
    const b = await invite('alice@example.community', ['ORG_OWNER']);
    const all = [mine(a.id, 'Alice@Example.com', ['ORG_MEMBER']), mine(b.id, 'alice@example.community', ['ORG_OWNER'])];
    expectOrgInvite(await w.api({ url: base }), 200, all);
    expectOrgInvite(await w.api({ url: `${base}?username=alice@EXAMPLE.COM` }), 200, [all[0]]);
    expectOrgInvite(await w.api({ url: `${base}?username=alice` }), 200, []);
    expectOrgInvite(await w.api({ url: `${base}?username=` }), 200, all);
  });

  test('envelope=true wraps the array; pretty=true prints it Jackson-style', async () => {
    const { id } = await invite('env@example.com', ['ORG_MEMBER']);
    const res = await w.api({ url: `${base}?envelope=true` });
    expectOrgInvite(res, 200, { content: [mine(id, 'env@example.com', ['ORG_MEMBER'])], status: 200 });
    const pretty = await w.api({ url: `${base}/${id}?pretty=true` });
    assert.equal(pretty.statusCode, 200);
    assert.match(
      pretty.body,
      /^\{\n {2}"createdAt" : "2026-08-10T03:04:53Z",\n {2}"expiresAt" : "2026-09-09T03:04:53Z",\n {2}"groupRoleAssignments" : \[ \],/,
    );
  });
});

describe('getOrgInvite', () => {
  test('one invitation; unknown or malformed ids are 404 INVALID_INVITATION_ID', async () => {
    const { id } = await invite('test-783@mongodb.com', ['ORG_MEMBER']);
    expectOrgInvite(await w.api({ url: `${base}/${id}` }), 200, mine(id, 'test-783@mongodb.com', ['ORG_MEMBER']));
    expectAtlasError(
      await w.api({ url: `${base}/${UNKNOWN}` }),
      404,
      'INVALID_INVITATION_ID',
      `An invalid invitation ID ${UNKNOWN} was specified.`,
      [UNKNOWN],
    );
    expectAtlasError(
      await w.api({ url: `${base}/nope` }),
      404,
      'INVALID_INVITATION_ID',
      'An invalid invitation ID nope was specified.',
      ['nope'],
    );
  });

  test("a project invitation's id, or another organization's invitation, is not an invitation of this organization", async () => {
    const project = await w.api({
      method: 'POST',
      url: `/api/atlas/v2/groups/${w.groupId}/invites`,
      body: { roles: ['GROUP_READ_ONLY'], username: 'p@example.com' },
    });
    const pid = JSON.parse(project.body).id as string;
    expectAtlasError(
      await w.api({ url: `${base}/${pid}` }),
      404,
      'INVALID_INVITATION_ID',
      `An invalid invitation ID ${pid} was specified.`,
      [pid],
    );
    const otherOrg = await w.newOrg('Other Org');
    const otherOwner = await w.key(['ORG_OWNER'], {}, otherOrg);
    const theirs = await w.as(otherOwner)({
      method: 'POST',
      url: `/api/atlas/v2/orgs/${otherOrg}/invites`,
      body: { roles: ['ORG_MEMBER'], username: 'x@example.com' },
    });
    const tid = idOf(theirs);
    expectAtlasError(
      await w.api({ url: `${base}/${tid}` }),
      404,
      'INVALID_INVITATION_ID',
      `An invalid invitation ID ${tid} was specified.`,
      [tid],
    );
    expectAtlasError(
      await w.api({ method: 'DELETE', url: `${base}/${tid}` }),
      400,
      'INVALID_INVITATION_ID',
      DELETE_MISSING,
      [tid],
    );
  });
});

describe('updateOrgInvites (by username)', () => {
  test('replaces roles (no merge) and keeps createdAt/expiresAt', async () => {
    const { id } = await invite('test-783@mongodb.com', ['ORG_MEMBER']);
    w.clock.advance(12_000);
    const res = await w.api({
      method: 'PATCH',
      url: base,
      body: { roles: ['ORG_READ_ONLY', 'ORG_BILLING_ADMIN'], username: 'TEST-783@mongodb.com' },
    });
    expectOrgInvite(res, 200, mine(id, 'test-783@mongodb.com', ['ORG_READ_ONLY', 'ORG_BILLING_ADMIN']));
    const again = await w.api({
      method: 'PATCH',
      url: base,
      body: {
        groupRoleAssignments: [{ groupId: w.groupId, roles: ['GROUP_OWNER'] }],
        roles: ['ORG_MEMBER'],
        username: 'test-783@mongodb.com',
      },
    });
    const expected = mine(id, 'test-783@mongodb.com', ['ORG_MEMBER'], {
      groupRoleAssignments: [{ groupId: w.groupId, groupRole: 'GROUP_OWNER' }],
    });
    expectOrgInvite(again, 200, expected);
    expectOrgInvite(await w.api({ url: `${base}/${id}` }), 200, expected);
  });

  test('a username without an invitation → 404 RESOURCE_NOT_FOUND, nothing written', async () => {
    const { id } = await invite('test-783@mongodb.com', ['ORG_MEMBER']);
    const res = await w.api({
      method: 'PATCH',
      url: base,
      body: { roles: ['ORG_OWNER'], username: 'someone@example.com' },
    });
    expectAtlasError(res, 404, 'RESOURCE_NOT_FOUND', 'Cannot find resource invitation for someone@example.com.', [
      'invitation for someone@example.com',
    ]);
    expectOrgInvite(await w.api({ url: base }), 200, [mine(id, 'test-783@mongodb.com', ['ORG_MEMBER'])]);
  });
});

describe('updateOrgInviteById', () => {
  test('replaces what is given, keeps the rest and the dates; an empty body changes nothing', async () => {
    const { id } = await invite('test-783@mongodb.com', ['ORG_MEMBER'], {
      groupRoleAssignments: [{ groupId: w.groupId, roles: ['GROUP_READ_ONLY'] }],
    });
    w.clock.advance(3 * DAY);
    const withProject = { groupRoleAssignments: [{ groupId: w.groupId, groupRole: 'GROUP_READ_ONLY' }] };
    const res = await w.api({ method: 'PATCH', url: `${base}/${id}`, body: { roles: ['ORG_GROUP_CREATOR'] } });
    expectOrgInvite(res, 200, mine(id, 'test-783@mongodb.com', ['ORG_GROUP_CREATOR'], withProject));
    const emptied = await w.api({ method: 'PATCH', url: `${base}/${id}`, body: { groupRoleAssignments: [] } });
    expectOrgInvite(emptied, 200, mine(id, 'test-783@mongodb.com', ['ORG_GROUP_CREATOR']));
    expectOrgInvite(
      await w.api({ method: 'PATCH', url: `${base}/${id}`, body: {} }),
      200,
      mine(id, 'test-783@mongodb.com', ['ORG_GROUP_CREATOR']),
    );
    expectOrgInvite(await w.api({ url: base }), 200, [mine(id, 'test-783@mongodb.com', ['ORG_GROUP_CREATOR'])]);
  });

  test('unknown id → 404 INVALID_INVITATION_ID; username is not an attribute of this body', async () => {
    const { id } = await invite('test-783@mongodb.com', ['ORG_MEMBER']);
    const miss = await w.api({ method: 'PATCH', url: `${base}/${UNKNOWN}`, body: { roles: ['ORG_OWNER'] } });
    expectAtlasError(miss, 404, 'INVALID_INVITATION_ID', `An invalid invitation ID ${UNKNOWN} was specified.`, [
      UNKNOWN,
    ]);
    const named = await w.api({
      method: 'PATCH',
      url: `${base}/${id}`,
      body: { roles: ['ORG_OWNER'], username: 'x@example.com' },
    });
    expectAtlasError(named, 400, 'INVALID_ATTRIBUTE', 'Invalid attribute username specified.', ['username']);
  });
});

describe('deleteOrgInvite', () => {
  test('204 with the deprecated resource headers; then 400 on delete and 404 on GET', async () => {
    const keep = await invite('keep@example.com', ['ORG_MEMBER']);
    const { id } = await invite('test-783@mongodb.com', ['ORG_MEMBER']);
    expectOrgInviteNoContent(await w.api({ method: 'DELETE', url: `${base}/${id}` }));
    expectAtlasError(
      await w.api({ method: 'DELETE', url: `${base}/${id}` }),
      400,
      'INVALID_INVITATION_ID',
      DELETE_MISSING,
      [id],
    );
    expectAtlasError(
      await w.api({ url: `${base}/${id}` }),
      404,
      'INVALID_INVITATION_ID',
      `An invalid invitation ID ${id} was specified.`,
      [id],
    );
    expectOrgInvite(await w.api({ url: base }), 200, [mine(keep.id, 'keep@example.com', ['ORG_MEMBER'])]);
  });

  test('the invitationId has no pattern here: a malformed one is simply not found (400)', async () => {
    expectAtlasError(
      await w.api({ method: 'DELETE', url: `${base}/not-an-id` }),
      400,
      'INVALID_INVITATION_ID',
      DELETE_MISSING,
      ['not-an-id'],
    );
    expectAtlasError(
      await w.api({ method: 'DELETE', url: `${base}/${UNKNOWN}` }),
      400,
      'INVALID_INVITATION_ID',
      DELETE_MISSING,
      [UNKNOWN],
    );
  });

  test("cross-kind deletes: a project invitation's id here → CANNOT_DELETE_GROUP_INVITATION, an org invitation's id on the project → CANNOT_DELETE_ORG_INVITATION", async () => {
    const groupBase = `/api/atlas/v2/groups/${w.groupId}/invites`;
    const project = await w.api({
      method: 'POST',
      url: groupBase,
      body: { roles: ['GROUP_READ_ONLY'], username: 'p@example.com' },
    });
    const pid = JSON.parse(project.body).id as string;
    const { id: oid } = await invite('o@example.com', ['ORG_MEMBER']);
    expectAtlasError(
      await w.api({ method: 'DELETE', url: `${base}/${pid}` }),
      400,
      'CANNOT_DELETE_GROUP_INVITATION',
      "You can't use the Cancel One Organization Invitation endpoint to delete an invitation to a group. Use Cancel One Project Invitation instead.",
    );
    expectAtlasError(
      await w.api({ method: 'DELETE', url: `${groupBase}/${oid}` }),
      400,
      'CANNOT_DELETE_ORG_INVITATION',
      "You can't use the Cancel One Project Invitation endpoint to delete an invitation to an organization. Use Cancel One Organization Invitation instead.",
    );
    // both still there
    expectV2Invite(
      await w.api({ url: `${groupBase}/${pid}` }),
      200,
      invitation({
        id: pid,
        groupId: w.groupId,
        inviter: w.owner.publicKey,
        username: 'p@example.com',
        roles: ['GROUP_READ_ONLY'],
      }),
    );
    expectOrgInvite(await w.api({ url: `${base}/${oid}` }), 200, mine(oid, 'o@example.com', ['ORG_MEMBER']));
  });
});

test('a project invitation for a non-member also invites them to the organization as ORG_MEMBER; deleting it leaves that one', async () => {
  const groupBase = `/api/atlas/v2/groups/${w.groupId}/invites`;
  const project = await w.api({
    method: 'POST',
    url: groupBase,
    body: { roles: ['GROUP_READ_ONLY'], username: 'test-738@mongodb.com' },
  });
  const pid = JSON.parse(project.body).id as string;
  const list = JSON.parse((await w.api({ url: base })).body) as Array<{ id: string }>;
  assert.equal(list.length, 1);
  const oid = list[0].id;
  assert.notEqual(oid, pid);
  const orgInvite = mine(oid, 'test-738@mongodb.com', ['ORG_MEMBER']);
  expectOrgInvite(await w.api({ url: base }), 200, [orgInvite]);
  expectOrgInvite(await w.api({ url: `${base}?username=test-738@mongodb.com` }), 200, [orgInvite]);
  // a second project invitation for the same person does not make a second org invitation
  const second = await w.newProject(w.orgId, 'second');
  assert.equal(
    (
      await w.api({
        method: 'POST',
        url: `/api/atlas/v2/groups/${second}/invites`,
        body: { roles: ['GROUP_OWNER'], username: 'test-738@mongodb.com' },
      })
    ).statusCode,
    200,
  );
  expectOrgInvite(await w.api({ url: base }), 200, [orgInvite]);
  // "deleting a project invitation does not delete an organization invitation even if they were created together"
  assert.equal((await w.api({ method: 'DELETE', url: `${groupBase}/${pid}` })).statusCode, 204);
  expectOrgInvite(await w.api({ url: base }), 200, [orgInvite]);
});

describe('who may call', () => {
  const ops = (id: string) => [
    { url: base },
    { method: 'POST', url: base, body: { roles: ['ORG_MEMBER'], username: 'x@example.com' } },
    { method: 'PATCH', url: base, body: { roles: ['ORG_MEMBER'], username: 'held@example.com' } },
    { url: `${base}/${id}` },
    { method: 'PATCH', url: `${base}/${id}`, body: { roles: ['ORG_OWNER'] } },
    { method: 'DELETE', url: `${base}/${id}` },
  ];

  async function refusedEverywhere(creds: Credentials) {
    const { id } = await invite('held@example.com', ['ORG_MEMBER']);
    const api = w.as(creds);
    for (const op of ops(id)) expectUserUnauthorized(await api(op));
    // nothing changed
    expectOrgInvite(await w.api({ url: base }), 200, [mine(id, 'held@example.com', ['ORG_MEMBER'])]);
  }

  test('Organization Member, Read Only, Project Creator and a Project Owner → 401 USER_UNAUTHORIZED on all six', async () => {
    await refusedEverywhere(await w.key(['ORG_MEMBER']));
    await refusedEverywhere(await w.key(['ORG_READ_ONLY', 'ORG_GROUP_CREATOR', 'ORG_BILLING_ADMIN']));
    await refusedEverywhere(await w.key(['ORG_MEMBER'], { [w.groupId]: ['GROUP_OWNER'] }));
  });

  test("another organization's owner → 401 USER_UNAUTHORIZED; an unknown org → 404 ORG_NOT_FOUND; a malformed one → 404 INVALID_ORG_ID", async () => {
    const otherOrg = await w.newOrg('Other Org');
    await refusedEverywhere(await w.key(['ORG_OWNER'], {}, otherOrg));
    const gone = `/api/atlas/v2/orgs/${UNKNOWN}/invites`;
    expectAtlasError(await w.api({ url: gone }), 404, 'ORG_NOT_FOUND', `No organization with ID ${UNKNOWN} exists.`, [
      UNKNOWN,
    ]);
    expectAtlasError(
      await w.api({ method: 'POST', url: gone, body: { roles: ['ORG_MEMBER'], username: 'x@example.com' } }),
      404,
      'ORG_NOT_FOUND',
      `No organization with ID ${UNKNOWN} exists.`,
      [UNKNOWN],
    );
    expectAtlasError(
      await w.api({ url: '/api/atlas/v2/orgs/xyz/invites' }),
      404,
      'INVALID_ORG_ID',
      'An invalid organization ID xyz was specified.',
      ['xyz'],
    );
  });

  test('another Organization Owner key of the same org is the inviter of what it sends', async () => {
    const owner2 = await w.key(['ORG_OWNER']);
    const res = await w.as(owner2)({
      method: 'POST',
      url: base,
      body: { roles: ['ORG_MEMBER'], username: 'by2@example.com' },
    });
    expectOrgInvite(res, 200, mine(idOf(res), 'by2@example.com', ['ORG_MEMBER'], { inviter: owner2.publicKey }));
  });
});

describe('bad input', () => {
  const post = (body: unknown) => w.api({ method: 'POST', url: base, body });

  test('unknown, mistyped and missing attributes', async () => {
    expectAtlasError(
      await post({ roles: ['ORG_MEMBER'], username: 'a@example.com', orgId: w.orgId }),
      400,
      'INVALID_ATTRIBUTE',
      'Invalid attribute orgId specified.',
      ['orgId'],
    );
    expectAtlasError(
      await post({ roles: 'ORG_MEMBER', username: 'a@example.com' }),
      400,
      'INVALID_JSON_ATTRIBUTE',
      'Received JSON for the roles attribute does not match expected format.',
      ['roles'],
    );
    expectAtlasError(
      await post({ roles: ['ORG_MEMBER'], username: 7 }),
      400,
      'INVALID_JSON_ATTRIBUTE',
      'Received JSON for the username attribute does not match expected format.',
      ['username'],
    );
    expectAtlasError(
      await post({ roles: ['ORG_MEMBER'], teamIds: 'x', username: 'a@example.com' }),
      400,
      'INVALID_JSON_ATTRIBUTE',
      'Received JSON for the teamIds attribute does not match expected format.',
      ['teamIds'],
    );
    expectAtlasError(
      await post({ roles: ['ORG_MEMBER'] }),
      400,
      'MISSING_ATTRIBUTE',
      'The required attribute username was not specified.',
      ['username'],
    );
    expectAtlasError(
      await post({ username: 'a@example.com' }),
      400,
      'MISSING_ATTRIBUTE',
      'The required attribute roles was not specified.',
      ['roles'],
    );
    const badAssignments = [
      { groupId: w.groupId, role: 'GROUP_OWNER' },
      { groupId: w.groupId, roles: ['GROUP_OWNER'], extra: 1 },
      { roles: ['GROUP_OWNER'] },
      'x',
    ];
    for (const a of badAssignments) {
      expectAtlasError(
        await post({ groupRoleAssignments: [a], roles: ['ORG_MEMBER'], username: 'a@example.com' }),
        400,
        'INVALID_JSON_ATTRIBUTE',
        'Received JSON for the groupRoleAssignments attribute does not match expected format.',
        ['groupRoleAssignments'],
      );
    }
    expectAtlasError(
      await w.api({ method: 'POST', url: base, rawBody: '[]' }),
      400,
      'INVALID_JSON',
      'Received JSON does not match expected format.',
    );
    expectAtlasError(
      await w.api({ method: 'POST', url: base, rawBody: '{"roles":' }),
      400,
      'MALFORMED_JSON',
      'Received JSON is malformed.',
    );
  });

  test('addresses, roles, teams and project assignments are checked; nothing is written', async () => {
    expectAtlasError(
      await post({ roles: ['ORG_MEMBER'], username: 'not-an-address' }),
      400,
      'INVALID_USERNAME',
      'The specified username is not a valid email address.',
    );
    for (const role of ['GROUP_OWNER', 'ORG_USER_ADMIN', 'org_member']) {
      expectAtlasError(
        await post({ roles: [role], username: 'a@example.com' }),
        400,
        'INVALID_ROLE_FOR_ORG',
        `Role ${role} invalid for organization ${w.orgId}.`,
        [role, w.orgId],
      );
    }
    expectAtlasError(
      await post({ roles: [], username: 'a@example.com' }),
      400,
      'VALIDATION_ERROR',
      'The request content produced the validation error: roles must contain at least one role.',
      ['roles must contain at least one role'],
    );
    const dup = await post({ roles: ['ORG_MEMBER', 'ORG_MEMBER'], username: 'a@example.com' });
    assert.equal(dup.headers['x-error-code'], 'VALIDATION_ERROR');
    expectAtlasError(
      await post({ roles: ['ORG_MEMBER'], teamIds: [UNKNOWN], username: 'a@example.com' }),
      404,
      'RESOURCE_NOT_FOUND',
      `Cannot find resource team ${UNKNOWN}.`,
      [`team ${UNKNOWN}`],
    );
    const assign = (a: unknown) =>
      post({ groupRoleAssignments: [a], roles: ['ORG_MEMBER'], username: 'a@example.com' });
    expectAtlasError(
      await assign({ groupId: UNKNOWN, roles: ['GROUP_OWNER'] }),
      404,
      'GROUP_NOT_FOUND',
      `No group with ID ${UNKNOWN} exists.`,
      [UNKNOWN],
    );
    const foreign = await w.newProject(await w.newOrg('Elsewhere'), 'foreign');
    expectAtlasError(
      await assign({ groupId: foreign, roles: ['GROUP_OWNER'] }),
      404,
      'GROUP_NOT_FOUND',
      `No group with ID ${foreign} exists.`,
      [foreign],
    );
    expectAtlasError(
      await assign({ groupId: w.groupId, roles: ['ORG_OWNER'] }),
      400,
      'INVALID_ROLE_FOR_GROUP',
      `Role ORG_OWNER is invalid for group ${w.groupId}.`,
      ['ORG_OWNER', w.groupId],
    );
    // a Cloud Manager-only project role is not an Atlas role
    expectAtlasError(
      await assign({ groupId: w.groupId, roles: ['GROUP_AUTOMATION_ADMIN'] }),
      400,
      'INVALID_ROLE_FOR_GROUP',
      `Role GROUP_AUTOMATION_ADMIN is invalid for group ${w.groupId}.`,
      ['GROUP_AUTOMATION_ADMIN', w.groupId],
    );
    assert.equal((await assign({ groupId: w.groupId, roles: [] })).headers['x-error-code'], 'VALIDATION_ERROR');
    assert.equal(
      (await assign({ groupId: w.groupId, roles: ['GROUP_OWNER', 'GROUP_OWNER'] })).headers['x-error-code'],
      'VALIDATION_ERROR',
    );
    const twice = await post({
      groupRoleAssignments: [
        { groupId: w.groupId, roles: ['GROUP_OWNER'] },
        { groupId: w.groupId, roles: ['GROUP_READ_ONLY'] },
      ],
      roles: ['ORG_MEMBER'],
      username: 'a@example.com',
    });
    assert.equal(twice.headers['x-error-code'], 'VALIDATION_ERROR');
    expectOrgInvite(await w.api({ url: base }), 200, []);
  });

  test('PATCH bodies: the same checks; a role check failure changes nothing', async () => {
    const { id } = await invite('a@example.com', ['ORG_MEMBER']);
    expectAtlasError(
      await w.api({ method: 'PATCH', url: base, body: { roles: ['ORG_MEMBER'] } }),
      400,
      'MISSING_ATTRIBUTE',
      'The required attribute username was not specified.',
      ['username'],
    );
    expectAtlasError(
      await w.api({ method: 'PATCH', url: base, body: { roles: ['ORG_MEMBER'], username: 'bad' } }),
      400,
      'INVALID_USERNAME',
      'The specified username is not a valid email address.',
    );
    expectAtlasError(
      await w.api({ method: 'PATCH', url: `${base}/${id}`, body: { roles: ['GROUP_OWNER'] } }),
      400,
      'INVALID_ROLE_FOR_ORG',
      `Role GROUP_OWNER invalid for organization ${w.orgId}.`,
      ['GROUP_OWNER', w.orgId],
    );
    expectAtlasError(
      await w.api({ method: 'PATCH', url: `${base}/${id}`, body: { role: 'ORG_OWNER' } }),
      400,
      'INVALID_ATTRIBUTE',
      'Invalid attribute role specified.',
      ['role'],
    );
    expectAtlasError(
      await w.api({ method: 'PATCH', url: `${base}/nope`, body: { roles: ['ORG_OWNER'] } }),
      404,
      'INVALID_INVITATION_ID',
      'An invalid invitation ID nope was specified.',
      ['nope'],
    );
    expectOrgInvite(await w.api({ url: `${base}/${id}` }), 200, mine(id, 'a@example.com', ['ORG_MEMBER']));
  });
});
