import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { type Credentials, type RequestOptions, type TestWorld, testWorld } from '../../helpers/app.ts';
import { expectAtlasError, expectUserUnauthorized, expectV1 } from '../expect.ts';
import { DELETE_MISSING, expectOrgInvite, idOf, orgInvitation, orgInvitationV1 } from '../org-invites.fixtures.ts';
import { signedRequest } from '../signed.ts';

/** Cloud Manager v1.0 organization invitations: same store as v2, plain JSON, no Deprecation, Organization Owner. */
let w: TestWorld;
let v1: string;
let v2: string;
beforeEach(async () => {
  w = await testWorld();
  v1 = `/api/public/v1.0/orgs/${w.orgId}/invites`;
  v2 = `/api/atlas/v2/orgs/${w.orgId}/invites`;
});
afterEach(() => w.close());

const JSON_HEADERS = { accept: 'application/json', 'content-type': 'application/json' };
/** A v1.0 client: Accept and Content-Type application/json, as the Go client and the docs' curl examples send. */
const cm = (creds?: Credentials) => {
  const api = creds ? w.as(creds) : w.api;
  return (req: RequestOptions) => api({ ...req, headers: { ...JSON_HEADERS, ...req.headers } });
};
const inv = (id: string, username: string, roles: string[], inviter = w.owner.publicKey) =>
  orgInvitationV1({ id, orgId: w.orgId, inviter, username, roles });

function expectV1Org(res: LightMyRequestResponse, status: number, body: unknown): void {
  expectV1(res, status, body);
  assert.equal(res.headers['ratelimit-limit'], '500');
}

function expectV1NoContent(res: LightMyRequestResponse): void {
  assert.equal(res.statusCode, 204, res.body);
  assert.equal(res.body, '');
  assert.equal(res.headers['content-type'], 'application/json');
  assert.equal(res.headers.deprecation, undefined);
  assert.equal(res.headers.sunset, undefined);
  assert.equal(res.headers['ratelimit-limit'], '500');
}

test('the six operations under /api/public/v1.0 answer plain JSON, without groupRoleAssignments or Deprecation/Sunset', async () => {
  const api = cm();
  const created = await api({
    method: 'POST',
    url: v1,
    body: { roles: ['ORG_MEMBER'], username: 'jane.smith@example.com' },
  });
  const id = idOf(created);
  expectV1Org(created, 200, inv(id, 'jane.smith@example.com', ['ORG_MEMBER']));
  assert.equal(
    created.body,
    `{"createdAt":"2026-08-10T03:04:53Z","expiresAt":"2026-09-09T03:04:53Z","id":"${id}","inviterUsername":"${w.owner.publicKey}","orgId":"${w.orgId}","orgName":"Atlas CLI E2E","roles":["ORG_MEMBER"],"teamIds":[],"username":"jane.smith@example.com"}`,
  );
  expectV1Org(await api({ url: v1 }), 200, [inv(id, 'jane.smith@example.com', ['ORG_MEMBER'])]);
  expectV1Org(await api({ url: `${v1}?username=JANE.SMITH@example.com` }), 200, [
    inv(id, 'jane.smith@example.com', ['ORG_MEMBER']),
  ]);
  expectV1Org(await api({ url: `${v1}?username=joe@example.com` }), 200, []);
  expectV1Org(await api({ url: `${v1}/${id}` }), 200, inv(id, 'jane.smith@example.com', ['ORG_MEMBER']));
  w.clock.advance(60_000);
  const byName = await api({
    method: 'PATCH',
    url: v1,
    body: { roles: ['ORG_GROUP_CREATOR', 'ORG_BILLING_ADMIN'], username: 'jane.smith@example.com' },
  });
  expectV1Org(byName, 200, inv(id, 'jane.smith@example.com', ['ORG_GROUP_CREATOR', 'ORG_BILLING_ADMIN']));
  const byId = await api({ method: 'PATCH', url: `${v1}/${id}`, body: { roles: ['ORG_READ_ONLY'] } });
  expectV1Org(byId, 200, inv(id, 'jane.smith@example.com', ['ORG_READ_ONLY']));
  expectV1NoContent(await api({ method: 'DELETE', url: `${v1}/${id}` }));
  expectAtlasError(await api({ method: 'DELETE', url: `${v1}/${id}` }), 400, 'INVALID_INVITATION_ID', DELETE_MISSING, [
    id,
  ]);
  expectAtlasError(
    await api({ url: `${v1}/${id}` }),
    404,
    'INVALID_INVITATION_ID',
    `An invalid invitation ID ${id} was specified.`,
    [id],
  );
  expectV1Org(await api({ url: v1 }), 200, []);
});

test('no Accept header is needed; a v2 date in Accept does not change the media type', async () => {
  expectV1Org(await signedRequest(w, w.owner, { url: v1 }), 200, []);
  const post = await signedRequest(w, w.owner, {
    method: 'POST',
    url: v1,
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ roles: ['ORG_MEMBER'], username: 'a@example.com' }),
  });
  expectV1Org(post, 200, inv(idOf(post), 'a@example.com', ['ORG_MEMBER']));
  expectV1Org(await w.api({ url: v1, headers: { accept: 'application/vnd.atlas.2023-01-01+json' } }), 200, [
    inv(idOf(post), 'a@example.com', ['ORG_MEMBER']),
  ]);
});

test('the Go client (go-client-mongodb-ops-manager) body: its read-only fields are accepted and dropped', async () => {
  // InviteUser sends the whole Invitation struct, orgId included; UpdateInvitationByID adds the id.
  const created = await cm()({
    method: 'POST',
    url: v1,
    body: { orgId: w.orgId, roles: ['ORG_MEMBER'], teamIds: [], username: 'go@example.com' },
  });
  const id = idOf(created);
  expectV1Org(created, 200, inv(id, 'go@example.com', ['ORG_MEMBER']));
  const byId = await cm()({
    method: 'PATCH',
    url: `${v1}/${id}`,
    body: { id, orgId: w.orgId, roles: ['ORG_OWNER'], username: 'go@example.com' },
  });
  expectV1Org(byId, 200, inv(id, 'go@example.com', ['ORG_OWNER']));
  const echoed = await cm()({ method: 'PATCH', url: v1, body: { ...JSON.parse(byId.body), roles: ['ORG_MEMBER'] } });
  expectV1Org(echoed, 200, inv(id, 'go@example.com', ['ORG_MEMBER']));
  // but not v1.0-foreign attributes
  const assignments = await cm()({
    method: 'POST',
    url: v1,
    body: { groupRoleAssignments: [], roles: ['ORG_MEMBER'], username: 'go2@example.com' },
  });
  expectAtlasError(assignments, 400, 'INVALID_ATTRIBUTE', 'Invalid attribute groupRoleAssignments specified.', [
    'groupRoleAssignments',
  ]);
});

describe('the Cloud Manager organization role catalogue', () => {
  test('its six roles are accepted; ORG_STREAM_PROCESSING_ADMIN (Atlas only) and project roles are not', async () => {
    for (const role of [
      'ORG_OWNER',
      'ORG_MEMBER',
      'ORG_GROUP_CREATOR',
      'ORG_BILLING_ADMIN',
      'ORG_READ_ONLY',
      'ORG_BILLING_READ_ONLY',
    ]) {
      const res = await cm()({ method: 'POST', url: v1, body: { roles: [role], username: 'r@example.com' } });
      expectV1Org(res, 200, inv(idOf(res), 'r@example.com', [role]));
    }
    for (const role of ['ORG_STREAM_PROCESSING_ADMIN', 'GROUP_OWNER']) {
      const res = await cm()({ method: 'POST', url: v1, body: { roles: [role], username: 's@example.com' } });
      expectAtlasError(res, 400, 'INVALID_ROLE_FOR_ORG', `Role ${role} invalid for organization ${w.orgId}.`, [
        role,
        w.orgId,
      ]);
    }
    // v2 takes ORG_STREAM_PROCESSING_ADMIN
    const v2res = await w.api({
      method: 'POST',
      url: v2,
      body: { roles: ['ORG_STREAM_PROCESSING_ADMIN'], username: 's@example.com' },
    });
    assert.equal(v2res.statusCode, 200, v2res.body);
    const list = JSON.parse((await cm()({ url: v1 })).body) as Array<{ username: string }>;
    assert.deepEqual(
      list.map((i) => i.username),
      ['r@example.com', 's@example.com'],
    );
  });
});

test('v1.0 errors: malformed and unknown ids, bad bodies', async () => {
  const api = cm();
  expectAtlasError(
    await api({ url: '/api/public/v1.0/orgs/xyz/invites' }),
    404,
    'INVALID_ORG_ID',
    'An invalid organization ID xyz was specified.',
    ['xyz'],
  );
  const unknown = '111111111111111111111111';
  expectAtlasError(
    await api({ url: `/api/public/v1.0/orgs/${unknown}/invites` }),
    404,
    'ORG_NOT_FOUND',
    `No organization with ID ${unknown} exists.`,
    [unknown],
  );
  expectAtlasError(
    await api({ method: 'POST', url: v1, rawBody: '{' }),
    400,
    'MALFORMED_JSON',
    'Received JSON is malformed.',
  );
  expectAtlasError(
    await api({ method: 'POST', url: v1, body: { roles: ['ORG_MEMBER'] } }),
    400,
    'MISSING_ATTRIBUTE',
    'The required attribute username was not specified.',
    ['username'],
  );
  expectAtlasError(
    await api({ method: 'PATCH', url: `${v1}/${unknown}`, body: {} }),
    400,
    'MISSING_ATTRIBUTE',
    'The required attribute roles was not specified.',
    ['roles'],
  );
  expectAtlasError(
    await api({ method: 'PATCH', url: v1, body: { roles: ['ORG_MEMBER'], username: 'none@example.com' } }),
    404,
    'RESOURCE_NOT_FOUND',
    'Cannot find resource invitation for none@example.com.',
    ['invitation for none@example.com'],
  );
  expectAtlasError(
    await api({ method: 'DELETE', url: `${v1}/whatever` }),
    400,
    'INVALID_INVITATION_ID',
    DELETE_MISSING,
    ['whatever'],
  );
  const project = await w.api({
    method: 'POST',
    url: `/api/atlas/v2/groups/${w.groupId}/invites`,
    body: { roles: ['GROUP_READ_ONLY'], username: 'p@example.com' },
  });
  const pid = idOf(project);
  expectAtlasError(
    await api({ method: 'DELETE', url: `${v1}/${pid}` }),
    400,
    'CANNOT_DELETE_GROUP_INVITATION',
    "You can't use the Cancel One Organization Invitation endpoint to delete an invitation to a group. Use Cancel One Project Invitation instead.",
  );
  const oid = (JSON.parse((await api({ url: v1 })).body) as Array<{ id: string }>)[0].id;
  expectAtlasError(
    await api({ method: 'DELETE', url: `/api/public/v1.0/groups/${w.groupId}/invites/${oid}` }),
    400,
    'CANNOT_DELETE_ORG_INVITATION',
    "You can't use the Cancel One Project Invitation endpoint to delete an invitation to an organization. Use Cancel One Organization Invitation instead.",
  );
});

test('callers: Organization Owner only; members, project user admins and other orgs get 401', async () => {
  const id = idOf(
    await w.api({ method: 'POST', url: v2, body: { roles: ['ORG_MEMBER'], username: 'kept@example.com' } }),
  );
  const ops: RequestOptions[] = [
    { url: v1 },
    { url: `${v1}/${id}` },
    { method: 'POST', url: v1, body: { roles: ['ORG_MEMBER'], username: 'new@example.com' } },
    { method: 'PATCH', url: v1, body: { roles: ['ORG_OWNER'], username: 'kept@example.com' } },
    { method: 'PATCH', url: `${v1}/${id}`, body: { roles: ['ORG_OWNER'] } },
    { method: 'DELETE', url: `${v1}/${id}` },
  ];
  const callers = [
    await w.key(['ORG_MEMBER'], { [w.groupId]: ['GROUP_USER_ADMIN'] }),
    await w.key(['ORG_READ_ONLY', 'ORG_GROUP_CREATOR']),
    await w.key(['ORG_OWNER'], {}, await w.newOrg('Elsewhere')),
  ];
  for (const k of callers) for (const req of ops) expectUserUnauthorized(await cm(k)(req));
  const owner2 = await w.key(['ORG_OWNER']);
  const created = await cm(owner2)({
    method: 'POST',
    url: v1,
    body: { roles: ['ORG_MEMBER'], username: 'new@example.com' },
  });
  expectV1Org(created, 200, inv(idOf(created), 'new@example.com', ['ORG_MEMBER'], owner2.publicKey));
});

test('one store: v1.0 and v2 see, change and delete the same invitations', async () => {
  const fromV1 = await cm()({ method: 'POST', url: v1, body: { roles: ['ORG_MEMBER'], username: 'one@example.com' } });
  const a = idOf(fromV1);
  const v2view = (id: string, username: string, roles: string[]) =>
    orgInvitation({ id, orgId: w.orgId, inviter: w.owner.publicKey, username, roles });
  expectOrgInvite(await w.api({ url: `${v2}/${a}` }), 200, v2view(a, 'one@example.com', ['ORG_MEMBER']));
  const fromV2 = await w.api({
    method: 'POST',
    url: v2,
    body: {
      groupRoleAssignments: [{ groupId: w.groupId, roles: ['GROUP_OWNER'] }],
      roles: ['ORG_OWNER'],
      username: 'two@example.com',
    },
  });
  const b = idOf(fromV2);
  expectV1Org(await cm()({ url: `${v1}/${b}` }), 200, inv(b, 'two@example.com', ['ORG_OWNER']));
  // a v1.0 PATCH (which cannot name projects) leaves v2's project assignments alone
  expectV1Org(
    await cm()({ method: 'PATCH', url: `${v1}/${b}`, body: { roles: ['ORG_MEMBER'] } }),
    200,
    inv(b, 'two@example.com', ['ORG_MEMBER']),
  );
  expectOrgInvite(
    await w.api({ url: `${v2}/${b}` }),
    200,
    orgInvitation({
      id: b,
      orgId: w.orgId,
      inviter: w.owner.publicKey,
      username: 'two@example.com',
      roles: ['ORG_MEMBER'],
      groupRoleAssignments: [{ groupId: w.groupId, groupRole: 'GROUP_OWNER' }],
    }),
  );
  expectV1NoContent(await cm()({ method: 'DELETE', url: `${v1}/${a}` }));
  expectAtlasError(
    await w.api({ url: `${v2}/${a}` }),
    404,
    'INVALID_INVITATION_ID',
    `An invalid invitation ID ${a} was specified.`,
    [a],
  );
  assert.equal((await w.api({ method: 'DELETE', url: `${v2}/${b}` })).statusCode, 204);
  expectV1Org(await cm()({ url: v1 }), 200, []);
});
