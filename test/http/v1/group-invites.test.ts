import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { type Credentials, type RequestOptions, type TestWorld, testWorld } from '../../helpers/app.ts';
import { expectAtlasError, expectUserUnauthorized, expectV1, expectV2Invite, idOf, invitation } from '../expect.ts';
import { signedRequest } from '../signed.ts';

/** Cloud Manager v1.0 project invitations: same store as v2, plain JSON, Project User Admin. */
let w: TestWorld;
let v1: string;
let v2: string;
beforeEach(async () => {
  w = await testWorld();
  v1 = `/api/public/v1.0/groups/${w.groupId}/invites`;
  v2 = `/api/atlas/v2/groups/${w.groupId}/invites`;
});
afterEach(() => w.close());

const JSON_HEADERS = { accept: 'application/json', 'content-type': 'application/json' };
/** A v1.0 client: Accept and Content-Type application/json, as the Go client and curl examples send. */
const cm = (creds?: Credentials) => {
  const api = creds ? w.as(creds) : w.api;
  return (req: RequestOptions) => api({ ...req, headers: { ...JSON_HEADERS, ...req.headers } });
};
const inv = (id: string, username: string, roles: string[], inviter = w.owner.publicKey) =>
  invitation({ id, groupId: w.groupId, inviter, username, roles });

function expectV1NoContent(res: Awaited<ReturnType<typeof w.api>>): void {
  assert.equal(res.statusCode, 204);
  assert.equal(res.body, '');
  assert.equal(res.headers['content-type'], 'application/json');
  assert.equal(res.headers.deprecation, undefined);
  assert.equal(res.headers.sunset, undefined);
}

test('the six operations under /api/public/v1.0 answer plain JSON without Deprecation/Sunset', async () => {
  const api = cm();
  const created = await api({
    method: 'POST',
    url: v1,
    body: { roles: ['GROUP_AUTOMATION_ADMIN'], username: 'jane.smith@example.com' },
  });
  const id = idOf(created);
  expectV1(created, 200, inv(id, 'jane.smith@example.com', ['GROUP_AUTOMATION_ADMIN']));
  assert.equal(created.headers['ratelimit-limit'], '1200');
  expectV1(await api({ url: v1 }), 200, [inv(id, 'jane.smith@example.com', ['GROUP_AUTOMATION_ADMIN'])]);
  expectV1(await api({ url: `${v1}?username=JANE.SMITH@example.com` }), 200, [
    inv(id, 'jane.smith@example.com', ['GROUP_AUTOMATION_ADMIN']),
  ]);
  expectV1(await api({ url: `${v1}?username=joe@example.com` }), 200, []);
  expectV1(await api({ url: `${v1}/${id}` }), 200, inv(id, 'jane.smith@example.com', ['GROUP_AUTOMATION_ADMIN']));
  w.clock.advance(60_000);
  const byName = await api({
    method: 'PATCH',
    url: v1,
    body: { roles: ['GROUP_USER_ADMIN', 'GROUP_OWNER'], username: 'jane.smith@example.com' },
  });
  expectV1(byName, 200, inv(id, 'jane.smith@example.com', ['GROUP_USER_ADMIN', 'GROUP_OWNER']));
  const byId = await api({ method: 'PATCH', url: `${v1}/${id}`, body: { roles: ['GROUP_MONITORING_ADMIN'] } });
  expectV1(byId, 200, inv(id, 'jane.smith@example.com', ['GROUP_MONITORING_ADMIN']));
  expectV1NoContent(await api({ method: 'DELETE', url: `${v1}/${id}` }));
  expectAtlasError(
    await api({ method: 'DELETE', url: `${v1}/${id}` }),
    400,
    'INVALID_INVITATION_ID',
    'The invitation you tried to delete does not exist or has already been accepted.',
    [id],
  );
  expectAtlasError(
    await api({ url: `${v1}/${id}` }),
    404,
    'INVALID_INVITATION_ID',
    `An invalid invitation ID ${id} was specified.`,
    [id],
  );
  expectV1(await api({ url: v1 }), 200, []);
});

test('no Accept header is needed on v1.0, nor a versioned one', async () => {
  const res = await signedRequest(w, w.owner, { url: v1 });
  expectV1(res, 200, []);
  const post = await signedRequest(w, w.owner, {
    method: 'POST',
    url: v1,
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ roles: ['GROUP_READ_ONLY'], username: 'a@example.com' }),
  });
  expectV1(post, 200, inv(idOf(post), 'a@example.com', ['GROUP_READ_ONLY']));
  // a v2 date in Accept does not turn the answer into the v2 media type
  const dated = await w.api({ url: v1, headers: { accept: 'application/vnd.atlas.2023-01-01+json' } });
  expectV1(dated, 200, [inv(idOf(post), 'a@example.com', ['GROUP_READ_ONLY'])]);
});

test('seed 001: GET one invitation with ?pretty=true returns the pretty body', async () => {
  const created = await cm()({
    method: 'POST',
    url: v1,
    body: { roles: ['GROUP_OWNER'], username: 'jane.smith@example.com' },
  });
  const id = idOf(created);
  const res = await cm()({ url: `${v1}/${id}?pretty=true` });
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'application/json');
  assert.equal(
    res.body,
    `{\n  "createdAt" : "2026-08-10T03:04:53Z",\n  "expiresAt" : "2026-09-09T03:04:53Z",\n  "groupId" : "${w.groupId}",\n  "groupName" : "invitations-e2e-233",\n  "id" : "${id}",\n  "inviterUsername" : "${w.owner.publicKey}",\n  "roles" : [ "GROUP_OWNER" ],\n  "username" : "jane.smith@example.com"\n}`,
  );
  expectV1(await cm()({ url: `${v1}/${id}?envelope=true` }), 200, {
    content: inv(id, 'jane.smith@example.com', ['GROUP_OWNER']),
    status: 200,
  });
});

describe('the Cloud Manager role catalogue', () => {
  for (const role of [
    'GROUP_AUTOMATION_ADMIN',
    'GROUP_BACKUP_ADMIN',
    'GROUP_MONITORING_ADMIN',
    'GROUP_USER_ADMIN',
    'GROUP_DATA_ACCESS_READ_WRITE',
    'GROUP_OWNER',
  ]) {
    test(`${role} is accepted`, async () => {
      const res = await cm()({ method: 'POST', url: v1, body: { roles: [role], username: 'r@example.com' } });
      expectV1(res, 200, inv(idOf(res), 'r@example.com', [role]));
    });
  }
  for (const role of ['GROUP_CLUSTER_MANAGER', 'GROUP_SEARCH_INDEX_EDITOR', 'GROUP_BACKUP_MANAGER', 'ORG_OWNER']) {
    test(`${role} is rejected with INVALID_ROLE_FOR_GROUP, nothing written`, async () => {
      const res = await cm()({
        method: 'POST',
        url: v1,
        body: { roles: ['GROUP_READ_ONLY', role], username: 'r@example.com' },
      });
      expectAtlasError(res, 400, 'INVALID_ROLE_FOR_GROUP', `Role ${role} is invalid for group ${w.groupId}.`, [
        role,
        w.groupId,
      ]);
      expectV1(await cm()({ url: v1 }), 200, []);
    });
  }
});

test('v1.0 errors: malformed and unknown ids, bad bodies', async () => {
  const api = cm();
  expectAtlasError(
    await api({ url: '/api/public/v1.0/groups/xyz/invites' }),
    404,
    'INVALID_GROUP_ID',
    'An invalid group ID xyz was specified.',
    ['xyz'],
  );
  const unknown = '111111111111111111111111';
  expectAtlasError(
    await api({ url: `/api/public/v1.0/groups/${unknown}/invites` }),
    404,
    'GROUP_NOT_FOUND',
    `No group with ID ${unknown} exists.`,
    [unknown],
  );
  expectAtlasError(
    await api({ method: 'POST', url: v1, rawBody: '{' }),
    400,
    'MALFORMED_JSON',
    'Received JSON is malformed.',
  );
  expectAtlasError(
    await api({ method: 'POST', url: v1, body: { roles: ['GROUP_OWNER'] } }),
    400,
    'MISSING_ATTRIBUTE',
    'The required attribute username was not specified.',
    ['username'],
  );
  expectAtlasError(
    await api({ method: 'PATCH', url: v1, body: { roles: ['GROUP_OWNER'], username: 'none@example.com' } }),
    404,
    'RESOURCE_NOT_FOUND',
    'Cannot find resource invitation for none@example.com.',
    ['invitation for none@example.com'],
  );
  expectV1(await api({ url: v1 }), 200, []);
});

describe('caller roles: v1.0 needs Project User Admin, v2 needs Project Owner', () => {
  const ops = (base: string, id: string): RequestOptions[] => [
    { url: base },
    { url: `${base}/${id}` },
    { method: 'POST', url: base, body: { roles: ['GROUP_READ_ONLY'], username: 'new@example.com' } },
    { method: 'PATCH', url: base, body: { roles: ['GROUP_READ_ONLY'], username: 'kept@example.com' } },
    { method: 'PATCH', url: `${base}/${id}`, body: { roles: ['GROUP_READ_ONLY'] } },
    { method: 'DELETE', url: `${base}/${id}` },
  ];
  const seed = async () =>
    idOf(await w.api({ method: 'POST', url: v2, body: { roles: ['GROUP_OWNER'], username: 'kept@example.com' } }));

  test('a GROUP_USER_ADMIN key can use all six v1.0 operations', async () => {
    const k = await w.key(['ORG_MEMBER'], { [w.groupId]: ['GROUP_USER_ADMIN'] });
    const api = cm(k);
    const id = await seed();
    expectV1(await api({ url: `${v1}/${id}` }), 200, inv(id, 'kept@example.com', ['GROUP_OWNER']));
    const created = await api({
      method: 'POST',
      url: v1,
      body: { roles: ['GROUP_READ_ONLY'], username: 'new@example.com' },
    });
    const newId = idOf(created);
    expectV1(created, 200, inv(newId, 'new@example.com', ['GROUP_READ_ONLY'], k.publicKey));
    expectV1(
      await api({ method: 'PATCH', url: v1, body: { roles: ['GROUP_USER_ADMIN'], username: 'kept@example.com' } }),
      200,
      inv(id, 'kept@example.com', ['GROUP_USER_ADMIN']),
    );
    expectV1(
      await api({ method: 'PATCH', url: `${v1}/${newId}`, body: { roles: ['GROUP_BACKUP_ADMIN'] } }),
      200,
      inv(newId, 'new@example.com', ['GROUP_BACKUP_ADMIN'], k.publicKey),
    );
    expectV1NoContent(await api({ method: 'DELETE', url: `${v1}/${newId}` }));
    expectV1(await api({ url: v1 }), 200, [inv(id, 'kept@example.com', ['GROUP_USER_ADMIN'])]);
  });

  test('the same GROUP_USER_ADMIN key gets 401 USER_UNAUTHORIZED on every v2 operation', async () => {
    const k = await w.key(['ORG_MEMBER'], { [w.groupId]: ['GROUP_USER_ADMIN'] });
    const id = await seed();
    for (const req of ops(v2, id)) expectUserUnauthorized(await w.as(k)(req));
    expectV2Invite(await w.api({ url: v2 }), 200, [inv(id, 'kept@example.com', ['GROUP_OWNER'])]);
  });

  test('GROUP_READ_ONLY, a bare ORG_MEMBER and another org’s owner get 401 on v1.0 too', async () => {
    const other = await w.newOrg('Elsewhere');
    const id = await seed();
    const callers = [
      await w.key(['ORG_MEMBER'], { [w.groupId]: ['GROUP_READ_ONLY'] }),
      await w.key(['ORG_MEMBER']),
      await w.key(['ORG_READ_ONLY']),
      await w.key(['ORG_OWNER'], {}, other),
    ];
    for (const k of callers) for (const req of ops(v1, id)) expectUserUnauthorized(await cm(k)(req));
    expectV1(await cm()({ url: v1 }), 200, [inv(id, 'kept@example.com', ['GROUP_OWNER'])]);
  });
});

test('one store: v1.0 and v2 see, change and delete the same invitations', async () => {
  const fromV1 = await cm()({
    method: 'POST',
    url: v1,
    body: { roles: ['GROUP_READ_ONLY'], username: 'one@example.com' },
  });
  const a = idOf(fromV1);
  expectV2Invite(await w.api({ url: `${v2}/${a}` }), 200, inv(a, 'one@example.com', ['GROUP_READ_ONLY']));
  const fromV2 = await w.api({
    method: 'POST',
    url: v2,
    body: { roles: ['GROUP_OWNER'], username: 'two@example.com' },
  });
  const b = idOf(fromV2);
  expectV1(await cm()({ url: `${v1}/${b}` }), 200, inv(b, 'two@example.com', ['GROUP_OWNER']));
  // a re-POST through the other surface re-sends the same invitation
  const again = await cm()({
    method: 'POST',
    url: v1,
    body: { roles: ['GROUP_USER_ADMIN'], username: 'two@example.com' },
  });
  expectV1(again, 200, inv(b, 'two@example.com', ['GROUP_USER_ADMIN']));
  expectV2Invite(await w.api({ url: v2 }), 200, [
    inv(a, 'one@example.com', ['GROUP_READ_ONLY']),
    inv(b, 'two@example.com', ['GROUP_USER_ADMIN']),
  ]);
  expectV1NoContent(await cm()({ method: 'DELETE', url: `${v1}/${a}` }));
  expectAtlasError(
    await w.api({ url: `${v2}/${a}` }),
    404,
    'INVALID_INVITATION_ID',
    `An invalid invitation ID ${a} was specified.`,
    [a],
  );
  assert.equal((await w.api({ method: 'DELETE', url: `${v2}/${b}` })).statusCode, 204);
  expectV1(await cm()({ url: v1 }), 200, []);
});

test('v1.0 accepts the Ops Manager Go client’s whole Invitation struct (read-only fields ignored); v2 refuses them', async () => {
  const w = await testWorld();
  try {
    const goClientBody = {
      createdAt: '',
      expiresAt: '',
      groupId: w.groupId,
      groupName: '',
      id: '',
      inviterUsername: '',
      roles: ['GROUP_READ_ONLY'],
      username: 'go-client@example.com',
    };
    const v1 = await w.api({
      method: 'POST',
      url: `/api/public/v1.0/groups/${w.groupId}/invites`,
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: goClientBody,
    });
    assert.equal(v1.statusCode, 200, v1.body);
    const created = JSON.parse(v1.body);
    assert.equal(created.username, 'go-client@example.com');
    assert.deepEqual(created.roles, ['GROUP_READ_ONLY']);
    const patch = await w.api({
      method: 'PATCH',
      url: `/api/public/v1.0/groups/${w.groupId}/invites/${created.id}`,
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: { ...goClientBody, id: created.id, roles: ['GROUP_OWNER'] },
    });
    assert.equal(patch.statusCode, 200, patch.body);
    assert.deepEqual(JSON.parse(patch.body).roles, ['GROUP_OWNER']);
    const v2 = await w.api({ method: 'POST', url: `/api/atlas/v2/groups/${w.groupId}/invites`, body: goClientBody });
    assert.equal(v2.statusCode, 400);
    assert.equal(JSON.parse(v2.body).errorCode, 'INVALID_ATTRIBUTE');
  } finally {
    await w.close();
  }
});
