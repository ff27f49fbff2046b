import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Credentials, type RequestOptions, type TestWorld, testWorld, V2 } from '../../helpers/app.ts';
import { digestAuthorization } from '../../helpers/digest-signer.ts';
import {
  expectChallenge,
  expectUserUnauthorized,
  expectV2,
  expectV2Invite,
  groupBody,
  idOf,
  invitation,
  orgBody,
} from '../expect.ts';
import { freshChallenge } from '../signed.ts';

/** Role boundaries of the v2 endpoints, and the Digest handshake itself. */
let w: TestWorld;
let base: string;
let inviteId: string;
let otherOrgId: string;
const keys: Record<string, Credentials> = {};
let listBody: string;

before(async () => {
  w = await testWorld();
  base = `/api/atlas/v2/groups/${w.groupId}/invites`;
  otherOrgId = await w.newOrg('Other Org');
  keys.groupOwner = await w.key(['ORG_MEMBER'], { [w.groupId]: ['GROUP_OWNER'] });
  keys.groupReadOnly = await w.key(['ORG_MEMBER'], { [w.groupId]: ['GROUP_READ_ONLY'] });
  keys.groupUserAdmin = await w.key(['ORG_MEMBER'], { [w.groupId]: ['GROUP_USER_ADMIN'] });
  keys.orgMember = await w.key(['ORG_MEMBER']);
  keys.orgReadOnly = await w.key(['ORG_READ_ONLY']);
  keys.groupCreator = await w.key(['ORG_GROUP_CREATOR']);
  keys.otherOrgOwner = await w.key(['ORG_OWNER'], {}, otherOrgId);
  const res = await w.api({
    method: 'POST',
    url: base,
    body: { roles: ['GROUP_READ_ONLY'], username: 'kept@example.com' },
  });
  inviteId = idOf(res);
  listBody = JSON.stringify([
    invitation({
      id: inviteId,
      groupId: w.groupId,
      inviter: w.owner.publicKey,
      username: 'kept@example.com',
      roles: ['GROUP_READ_ONLY'],
    }),
  ]);
});
after(() => w.close());

const inviteOps = (): Array<[string, RequestOptions]> => [
  ['listGroupInvites', { url: base }],
  ['listGroupInvites ?username', { url: `${base}?username=kept@example.com` }],
  ['getGroupInvite', { url: `${base}/${inviteId}` }],
  ['createGroupInvite', { method: 'POST', url: base, body: { roles: ['GROUP_OWNER'], username: 'new@example.com' } }],
  [
    'updateGroupInvites',
    { method: 'PATCH', url: base, body: { roles: ['GROUP_OWNER'], username: 'kept@example.com' } },
  ],
  ['updateGroupInviteById', { method: 'PATCH', url: `${base}/${inviteId}`, body: { roles: ['GROUP_OWNER'] } }],
  ['deleteGroupInvite', { method: 'DELETE', url: `${base}/${inviteId}` }],
];

async function assertInvitesUnchanged(): Promise<void> {
  assert.equal((await w.api({ url: base })).body, listBody);
}

describe('v2 project invitations need Project Owner', () => {
  for (const who of ['groupReadOnly', 'groupUserAdmin', 'orgMember', 'orgReadOnly', 'groupCreator', 'otherOrgOwner']) {
    test(`${who}: every operation → 401 USER_UNAUTHORIZED, no data, nothing written`, async () => {
      const api = w.as(keys[who]);
      for (const [, req] of inviteOps()) expectUserUnauthorized(await api(req));
      await assertInvitesUnchanged();
    });
  }

  test('authorization comes before the body is validated: no validation answers for a caller without the role', async () => {
    const api = w.as(keys.groupReadOnly);
    expectUserUnauthorized(
      await api({ method: 'POST', url: base, body: { roles: ['GROUP_WIZARD'], username: 'new@example.com' } }),
    );
    expectUserUnauthorized(
      await api({ method: 'POST', url: base, body: { roles: ['GROUP_OWNER'], username: 'not-an-email' } }),
    );
    expectUserUnauthorized(
      await w.as(keys.otherOrgOwner)({ method: 'PATCH', url: `${base}/${inviteId}`, body: { roles: [] } }),
    );
    await assertInvitesUnchanged();
  });

  test('a key with project GROUP_OWNER can do all six; it is the inviter', async () => {
    const api = w.as(keys.groupOwner);
    expectV2Invite(await api({ url: base }), 200, JSON.parse(listBody));
    const created = await api({
      method: 'POST',
      url: base,
      body: { roles: ['GROUP_OWNER'], username: 'by-key@example.com' },
    });
    const id = idOf(created);
    const mine = (roles: string[]) =>
      invitation({ id, groupId: w.groupId, inviter: keys.groupOwner.publicKey, username: 'by-key@example.com', roles });
    expectV2Invite(created, 200, mine(['GROUP_OWNER']));
    expectV2Invite(await api({ url: `${base}/${id}` }), 200, mine(['GROUP_OWNER']));
    expectV2Invite(
      await api({ method: 'PATCH', url: base, body: { roles: ['GROUP_READ_ONLY'], username: 'by-key@example.com' } }),
      200,
      mine(['GROUP_READ_ONLY']),
    );
    expectV2Invite(
      await api({ method: 'PATCH', url: `${base}/${id}`, body: { roles: ['GROUP_CLUSTER_MANAGER'] } }),
      200,
      mine(['GROUP_CLUSTER_MANAGER']),
    );
    assert.equal((await api({ method: 'DELETE', url: `${base}/${id}` })).statusCode, 204);
    await assertInvitesUnchanged();
  });

  test('the ORG_OWNER key reaches every project of its org without an assignment', async () => {
    const p = await w.newProject(w.orgId, 'unassigned');
    expectV2Invite(await w.api({ url: `/api/atlas/v2/groups/${p}/invites` }), 200, []);
    // ...but a project key does not reach a project it is not assigned to
    expectUserUnauthorized(await w.as(keys.groupOwner)({ url: `/api/atlas/v2/groups/${p}/invites` }));
  });
});

describe('groups and orgs', () => {
  const group = () => `/api/atlas/v2/groups/${w.groupId}`;

  test('getGroup needs Project Read Only', async () => {
    for (const who of ['orgReadOnly', 'groupReadOnly', 'groupUserAdmin', 'groupOwner']) {
      const res = await w.as(keys[who])({ url: group() });
      expectV2(res, 200, groupBody({ id: w.groupId, name: 'invitations-e2e-233', orgId: w.orgId }, true));
    }
    for (const who of ['orgMember', 'groupCreator', 'otherOrgOwner'])
      expectUserUnauthorized(await w.as(keys[who])({ url: group() }));
  });

  test('createGroup needs ORG_OWNER or ORG_GROUP_CREATOR in that org', async () => {
    const create = (who: string, name: string, orgId = w.orgId) =>
      w.as(keys[who])({ method: 'POST', url: '/api/atlas/v2/groups', body: { name, orgId } });
    assert.equal(
      (await w.api({ method: 'POST', url: '/api/atlas/v2/groups', body: { name: 'by-owner', orgId: w.orgId } }))
        .statusCode,
      201,
    );
    const byCreator = await create('groupCreator', 'by-creator');
    expectV2(byCreator, 201, groupBody({ id: idOf(byCreator), name: 'by-creator', orgId: w.orgId }, true));
    for (const who of ['orgMember', 'orgReadOnly', 'groupOwner', 'otherOrgOwner'])
      expectUserUnauthorized(await create(who, `by-${who}`));
    const names = (
      JSON.parse((await w.api({ url: `/api/atlas/v2/orgs/${w.orgId}/groups` })).body).results as Array<{ name: string }>
    ).map((g) => g.name);
    assert.deepEqual(
      names.filter((n) => n.startsWith('by-')),
      ['by-owner', 'by-creator'],
    );
  });

  test('updateGroup and deleteGroup need Project Owner', async () => {
    for (const who of ['groupReadOnly', 'groupUserAdmin', 'orgReadOnly', 'orgMember', 'otherOrgOwner']) {
      expectUserUnauthorized(
        await w.as(keys[who])({ method: 'PATCH', url: group(), body: { name: `renamed-${who}` } }),
      );
      expectUserUnauthorized(await w.as(keys[who])({ method: 'DELETE', url: group() }));
    }
    expectV2(
      await w.api({ url: group() }),
      200,
      groupBody({ id: w.groupId, name: 'invitations-e2e-233', orgId: w.orgId }, true),
    );
    const p = await w.newProject(w.orgId, 'doomed');
    const k = await w.key(['ORG_MEMBER'], { [p]: ['GROUP_OWNER'] });
    const renamed = await w.as(k)({
      method: 'PATCH',
      url: `/api/atlas/v2/groups/${p}`,
      body: { name: 'doomed-renamed' },
    });
    expectV2(renamed, 200, groupBody({ id: p, name: 'doomed-renamed', orgId: w.orgId }, true));
    expectV2(await w.as(k)({ method: 'DELETE', url: `/api/atlas/v2/groups/${p}` }), 202, {});
  });

  test('getOrg and getOrgGroups need membership of that org', async () => {
    for (const who of ['orgMember', 'orgReadOnly', 'groupReadOnly']) {
      expectV2(
        await w.as(keys[who])({ url: `/api/atlas/v2/orgs/${w.orgId}` }),
        200,
        orgBody(w.orgId, 'Atlas CLI E2E', true),
      );
      const groups = await w.as(keys[who])({ url: `/api/atlas/v2/orgs/${w.orgId}/groups?name=invitations` });
      expectV2(groups, 200, {
        links: [
          {
            href: `http://localhost:80/api/atlas/v2/orgs/${w.orgId}/groups?includeCount=true&pageNum=1&itemsPerPage=100`,
            rel: 'self',
          },
        ],
        results: [groupBody({ id: w.groupId, name: 'invitations-e2e-233', orgId: w.orgId }, false)],
        totalCount: 1,
      });
    }
    expectUserUnauthorized(await w.as(keys.otherOrgOwner)({ url: `/api/atlas/v2/orgs/${w.orgId}` }));
    expectUserUnauthorized(await w.as(keys.otherOrgOwner)({ url: `/api/atlas/v2/orgs/${w.orgId}/groups` }));
    expectUserUnauthorized(await w.api({ url: `/api/atlas/v2/orgs/${otherOrgId}` }));
  });

  test('listGroups shows only the projects the key can see', async () => {
    const names = async (creds: Credentials) => {
      const body = JSON.parse((await w.as(creds)({ url: '/api/atlas/v2/groups' })).body);
      return { names: (body.results as Array<{ name: string }>).map((g) => g.name), total: body.totalCount };
    };
    const theirs = await w.newProject(otherOrgId, 'their-project');
    assert.ok(theirs);
    assert.deepEqual(await names(keys.groupReadOnly), { names: ['invitations-e2e-233'], total: 1 });
    assert.deepEqual(await names(keys.orgMember), { names: [], total: 0 });
    assert.deepEqual(await names(keys.otherOrgOwner), { names: ['their-project'], total: 1 });
    const own = await names(w.owner);
    assert.ok(own.names.includes('invitations-e2e-233'));
    assert.ok(!own.names.includes('their-project'));
  });
});

describe('Digest authentication', () => {
  test('no Authorization → the recorded challenge', async () => {
    const res = await w.app.inject({ method: 'GET', url: base, headers: { accept: V2 } });
    expectChallenge(res);
    assert.equal(res.headers.vary, 'Accept-Encoding');
    assert.equal(res.headers['content-type'], 'application/json');
  });

  test('wrong private key, unknown public key → challenge, no data', async () => {
    expectChallenge(
      await w.as({ publicKey: w.owner.publicKey, privateKey: '00000000-0000-4000-8000-000000000000' })({ url: base }),
    );
    expectChallenge(await w.as({ publicKey: 'zzzzzzzz', privateKey: w.owner.privateKey })({ url: base }));
  });

  test('the challenge comes before the body is read: malformed JSON without auth → 401 challenge', async () => {
    const res = await w.app.inject({
      method: 'POST',
      url: base,
      headers: { accept: V2, 'content-type': V2 },
      payload: '{"username":',
    });
    expectChallenge(res);
    const wrongType = await w.app.inject({
      method: 'POST',
      url: base,
      headers: { accept: V2, 'content-type': 'text/plain' },
      payload: 'x',
    });
    expectChallenge(wrongType);
    await assertInvitesUnchanged();
  });

  test('a nonce past its max age with a correct response → 401 stale=true, then a fresh nonce works', async () => {
    const sign = (challenge: string) =>
      digestAuthorization({
        username: w.owner.publicKey,
        password: w.owner.privateKey,
        method: 'GET',
        uri: base,
        challenge,
        nc: 1,
      });
    const old = await freshChallenge(w);
    w.clock.advance(10 * 60 * 1000);
    const stale = await w.app.inject({ method: 'GET', url: base, headers: { accept: V2, authorization: sign(old) } });
    expectChallenge(stale, true);
    const retry = await w.app.inject({
      method: 'GET',
      url: base,
      headers: { accept: V2, authorization: sign(stale.headers['www-authenticate'] as string) },
    });
    assert.equal(retry.statusCode, 200);
    assert.equal(retry.body, listBody);
    // a stale nonce with a wrong password is not "stale": the client must not retry silently
    const wrong = digestAuthorization({
      username: w.owner.publicKey,
      password: 'nope',
      method: 'GET',
      uri: base,
      challenge: old,
      nc: 2,
    });
    expectChallenge(
      await w.app.inject({ method: 'GET', url: base, headers: { accept: V2, authorization: wrong } }),
      false,
    );
  });

  test('a response computed for another URI is refused', async () => {
    const challenge = await freshChallenge(w);
    const forRoot = digestAuthorization({
      username: w.owner.publicKey,
      password: w.owner.privateKey,
      method: 'GET',
      uri: '/api/atlas/v2',
      challenge,
      nc: 1,
    });
    expectChallenge(await w.app.inject({ method: 'GET', url: base, headers: { accept: V2, authorization: forRoot } }));
    const asGet = digestAuthorization({
      username: w.owner.publicKey,
      password: w.owner.privateKey,
      method: 'GET',
      uri: `${base}/${inviteId}`,
      challenge,
      nc: 2,
    });
    expectChallenge(
      await w.app.inject({
        method: 'DELETE',
        url: `${base}/${inviteId}`,
        headers: { accept: V2, authorization: asGet },
      }),
    );
    await assertInvitesUnchanged();
  });

  test('a replayed nonce count is refused (plain challenge)', async () => {
    const challenge = await freshChallenge(w);
    const authorization = digestAuthorization({
      username: w.owner.publicKey,
      password: w.owner.privateKey,
      method: 'GET',
      uri: base,
      challenge,
      nc: 1,
    });
    assert.equal(
      (await w.app.inject({ method: 'GET', url: base, headers: { accept: V2, authorization } })).statusCode,
      200,
    );
    expectChallenge(await w.app.inject({ method: 'GET', url: base, headers: { accept: V2, authorization } }));
  });
});

test('percent-encoded spellings of API paths are still authenticated', async () => {
  const w = await testWorld();
  try {
    const bad = await w.app.inject({ method: 'GET', url: '/api/atlas/v2/%zz' });
    assert.equal(bad.statusCode, 404);
    assert.equal(
      bad.body,
      '{"detail":"Cannot find resource /api/atlas/v2/%zz.","error":404,"errorCode":"RESOURCE_NOT_FOUND","parameters":["/api/atlas/v2/%zz"],"reason":"Not Found"}',
    );
    for (const url of [`/%61pi/atlas/v2/groups/${w.groupId}/invites`, `/api/atlas/v2/%67roups/${w.groupId}/invites`]) {
      const res = await w.app.inject({
        method: 'GET',
        url,
        headers: { accept: 'application/vnd.atlas.2023-01-01+json' },
      });
      assert.equal(res.statusCode, 401, url);
      assert.match(String(res.headers['www-authenticate']), /^Digest realm="MMS Public API"/, url);
    }
  } finally {
    await w.close();
  }
});
