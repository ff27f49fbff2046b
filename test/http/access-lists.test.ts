import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { addAccessListEntries, listAccessListEntries } from '../../src/domain/access-lists/access-list.service.ts';
import type { AccessListOwner } from '../../src/domain/access-lists/access-list.ts';
import { createApiKey } from '../../src/domain/api-keys/api-key.service.ts';
import { createServiceAccount } from '../../src/domain/service-accounts/service-account.service.ts';
import { setOrgAccessListRequired } from '../../src/storage/repositories/orgs.repository.ts';
import { type TestWorld, testWorld, V2, type WorldOptions } from '../helpers/app.ts';
import { digestAuthorization } from '../helpers/digest-signer.ts';
import { expectChallenge } from './expect.ts';

/**
 * Enforcement of API access lists (api-facts §8.3): a credential with a list is refused from any
 * address not on it; in an organization that requires lists, a credential without one is refused
 * everywhere. Entries are added through the domain service (the management endpoints are tested elsewhere).
 */

interface Caller {
  owner: AccessListOwner;
  /** One request from `remoteAddress` (optionally with extra headers), authenticated as this credential. */
  get(url: string, remoteAddress: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  post(url: string, body: unknown, remoteAddress: string): Promise<LightMyRequestResponse>;
}

/** A fresh Organization Owner API key, answering Digest challenges itself so each request can come from its own address. */
async function apiKeyCaller(w: TestWorld, orgId = w.orgId): Promise<Caller> {
  const created = await createApiKey(w.deps.ctx, { orgId, description: 'access list test', orgRoles: ['ORG_OWNER'] });
  const { publicKey } = created.apiKey;
  let nc = 0;
  async function send(
    method: 'GET' | 'POST',
    url: string,
    remoteAddress: string,
    headers: Record<string, string>,
    payload?: string,
  ) {
    const first = await w.app.inject({ method: 'GET', url: '/api/atlas/v2', remoteAddress });
    const challenge = String(first.headers['www-authenticate']);
    nc += 1;
    const authorization = digestAuthorization({
      username: publicKey,
      password: created.privateKey,
      method,
      uri: url,
      challenge,
      nc,
    });
    return w.app.inject({ method, url, remoteAddress, payload, headers: { accept: V2, ...headers, authorization } });
  }
  return {
    owner: { kind: 'apiKey', id: created.apiKey.id },
    get: (url, remoteAddress, headers = {}) => send('GET', url, remoteAddress, headers),
    post: (url, body, remoteAddress) => send('POST', url, remoteAddress, { 'content-type': V2 }, JSON.stringify(body)),
  };
}

/** A fresh Organization Owner service account; its token is fetched from 127.0.0.1 (the token endpoint has no access list). */
async function serviceAccountCaller(w: TestWorld, orgId = w.orgId): Promise<Caller & { tokenStatus: number }> {
  const created = await createServiceAccount(w.deps.ctx, {
    orgId,
    name: `acl ${Math.random().toString(36).slice(2, 8)}`,
    description: 'access list test',
    orgRoles: ['ORG_OWNER'],
    secretExpiresAfterHours: 24,
  });
  const basic = Buffer.from(`${created.serviceAccount.clientId}:${created.secret.secret}`).toString('base64');
  const res = await w.app.inject({
    method: 'POST',
    url: '/api/oauth/token',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'grant_type=client_credentials',
  });
  const token = res.statusCode === 200 ? (JSON.parse(res.body) as { access_token: string }).access_token : '';
  const authorization = `Bearer ${token}`;
  return {
    tokenStatus: res.statusCode,
    owner: { kind: 'serviceAccount', id: created.serviceAccount.id },
    get: (url, remoteAddress, headers = {}) =>
      w.app.inject({ method: 'GET', url, remoteAddress, headers: { accept: V2, ...headers, authorization } }),
    post: (url, body, remoteAddress) =>
      w.app.inject({
        method: 'POST',
        url,
        remoteAddress,
        payload: JSON.stringify(body),
        headers: { accept: V2, 'content-type': V2, authorization },
      }),
  };
}

function expectForbidden(res: LightMyRequestResponse, errorCode: string, ip: string): void {
  const detail =
    errorCode === 'IP_ADDRESS_NOT_ON_ACCESS_LIST'
      ? `IP address ${ip} is not allowed to access this resource.`
      : 'This organization requires access through an access list of ip ranges.';
  assert.equal(res.statusCode, 403, res.body);
  assert.equal(res.headers['content-type'], 'application/json');
  assert.equal(res.headers['x-error-code'], errorCode);
  assert.equal(res.headers['ratelimit-limit'], undefined);
  assert.equal(
    res.body,
    `{"detail":"${detail}","error":403,"errorCode":"${errorCode}","parameters":["${ip}"],"reason":"Forbidden"}`,
  );
}

const notOnList = (res: LightMyRequestResponse, ip: string) =>
  expectForbidden(res, 'IP_ADDRESS_NOT_ON_ACCESS_LIST', ip);

function expectOk(res: LightMyRequestResponse): void {
  assert.equal(res.statusCode, 200, res.body);
}

function suite(dialect: WorldOptions['dialect']) {
  describe(`access-list enforcement (${dialect})`, () => {
    let w: TestWorld;
    let invites: string;
    before(async () => {
      w = await testWorld({ dialect });
      invites = `/api/atlas/v2/groups/${w.groupId}/invites`;
    });
    after(() => w.close());

    test('IPv4: a single address lets exactly that address in; the 403 names the caller', async () => {
      const c = await apiKeyCaller(w);
      await addAccessListEntries(w.deps.ctx, c.owner, ['203.0.113.7']);
      expectOk(await c.get(invites, '203.0.113.7'));
      notOnList(await c.get(invites, '203.0.113.8'), '203.0.113.8');
      notOnList(await c.get(invites, '127.0.0.1'), '127.0.0.1');
      const [entry] = await listAccessListEntries(w.deps.ctx, c.owner);
      assert.equal(entry.lastUsedAddress, '203.0.113.7');
    });

    test('IPv4: a CIDR block lets its whole range in, and nothing else', async () => {
      const c = await serviceAccountCaller(w);
      await addAccessListEntries(w.deps.ctx, c.owner, ['198.51.100.0/24']);
      for (const ip of ['198.51.100.0', '198.51.100.1', '198.51.100.254', '198.51.100.255'])
        expectOk(await c.get(invites, ip));
      for (const ip of ['198.51.101.1', '198.51.99.255', '10.0.0.1']) notOnList(await c.get(invites, ip), ip);
    });

    test('a refused request changes nothing', async () => {
      const c = await apiKeyCaller(w);
      await addAccessListEntries(w.deps.ctx, c.owner, ['192.0.2.1']);
      notOnList(
        await c.post(invites, { roles: ['GROUP_READ_ONLY'], username: 'refused@example.com' }, '192.0.2.2'),
        '192.0.2.2',
      );
      const list = await c.get(invites, '192.0.2.1');
      expectOk(list);
      assert.equal(list.body, '[]');
    });
  });
}

suite('sqlite');
suite('postgres');

describe('access lists: IPv6, mapped addresses, org requirement', () => {
  let w: TestWorld;
  let invites: string;
  before(async () => {
    w = await testWorld();
    invites = `/api/atlas/v2/groups/${w.groupId}/invites`;
  });
  after(() => w.close());

  test('IPv6: ::1 on the list admits a client connecting from ::1, not from 127.0.0.1', async () => {
    const c = await apiKeyCaller(w);
    await addAccessListEntries(w.deps.ctx, c.owner, ['::1']);
    expectOk(await c.get(invites, '::1'));
    notOnList(await c.get(invites, '127.0.0.1'), '127.0.0.1');
    notOnList(await c.get(invites, '::2'), '::2');
  });

  test('IPv6: a 2001:db8::/32 block', async () => {
    const c = await serviceAccountCaller(w);
    await addAccessListEntries(w.deps.ctx, c.owner, ['2001:db8::/32']);
    for (const ip of [
      '2001:db8::1',
      '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff',
      '2001:0db8:0000:0000:0000:0000:0000:0042',
    ]) {
      expectOk(await c.get(invites, ip));
    }
    notOnList(await c.get(invites, '2001:db9::1'), '2001:db9::1');
    notOnList(await c.get(invites, '2001:db7:ffff::1'), '2001:db7:ffff::1');
    // an IPv4 client never matches an IPv6 block
    notOnList(await c.get(invites, '32.1.13.184'), '32.1.13.184');
  });

  test('::ffff:127.0.0.1 (IPv4 on a dual-stack socket) is 127.0.0.1', async () => {
    const allowed = await apiKeyCaller(w);
    await addAccessListEntries(w.deps.ctx, allowed.owner, ['127.0.0.1']);
    expectOk(await allowed.get(invites, '::ffff:127.0.0.1'));
    const refused = await serviceAccountCaller(w);
    await addAccessListEntries(w.deps.ctx, refused.owner, ['10.0.0.0/8']);
    notOnList(await refused.get(invites, '::ffff:127.0.0.1'), '127.0.0.1');
    expectOk(await refused.get(invites, '::ffff:10.20.30.40'));
  });

  test('a list holding both families admits each', async () => {
    const c = await apiKeyCaller(w);
    await addAccessListEntries(w.deps.ctx, c.owner, ['192.0.2.0/28', 'fd00::/8']);
    expectOk(await c.get(invites, '192.0.2.15'));
    expectOk(await c.get(invites, 'fd12:3456::9'));
    notOnList(await c.get(invites, '192.0.2.16'), '192.0.2.16');
    notOnList(await c.get(invites, 'fe80::1'), 'fe80::1');
  });

  test('authentication comes first: no credentials get the Digest challenge, not a 403', async () => {
    expectChallenge(
      await w.app.inject({ method: 'GET', url: invites, remoteAddress: '203.0.113.250', headers: { accept: V2 } }),
    );
  });

  test('the access list is checked before the version: a refused caller gets 403, not 406', async () => {
    const c = await apiKeyCaller(w);
    await addAccessListEntries(w.deps.ctx, c.owner, ['192.0.2.1']);
    notOnList(await c.get(invites, '192.0.2.99', { accept: 'application/json' }), '192.0.2.99');
  });

  describe('an organization that requires access lists', () => {
    let orgId: string;
    let groupId: string;
    before(async () => {
      orgId = await w.newOrg('Strict Org');
      groupId = await w.newProject(orgId, 'strict-project');
      assert.equal(await setOrgAccessListRequired(w.deps.ctx.db, orgId, true), true);
    });

    test('a credential without a list → 403 ORG_REQUIRES_ACCESS_LIST, from any address', async () => {
      const key = await apiKeyCaller(w, orgId);
      const url = `/api/atlas/v2/groups/${groupId}/invites`;
      const res = await key.get(url, '127.0.0.1');
      assert.equal(
        res.body,
        '{"detail":"This organization requires access through an access list of ip ranges.","error":403,"errorCode":"ORG_REQUIRES_ACCESS_LIST","parameters":["127.0.0.1"],"reason":"Forbidden"}',
      );
      expectForbidden(res, 'ORG_REQUIRES_ACCESS_LIST', '127.0.0.1');
      expectForbidden(await key.get(url, '2001:db8::5'), 'ORG_REQUIRES_ACCESS_LIST', '2001:db8::5');
      const sa = await serviceAccountCaller(w, orgId);
      expectForbidden(await sa.get(url, '127.0.0.1'), 'ORG_REQUIRES_ACCESS_LIST', '127.0.0.1');
    });

    test('a service account gets its token from any address; its calls must come from its list', async () => {
      const sa = await serviceAccountCaller(w, orgId);
      assert.equal(sa.tokenStatus, 200, 'the token endpoint is not behind the access list');
      await addAccessListEntries(w.deps.ctx, sa.owner, ['10.1.1.1']);
      const url = `/api/atlas/v2/groups/${groupId}/invites`;
      expectOk(await sa.get(url, '10.1.1.1'));
      notOnList(await sa.get(url, '127.0.0.1'), '127.0.0.1');
    });

    test('other organizations are not affected', async () => {
      const c = await apiKeyCaller(w);
      expectOk(await c.get(invites, '203.0.113.77'));
    });
  });
});

describe('behind a trusted proxy', () => {
  let trusting: TestWorld;
  let plain: TestWorld;
  before(async () => {
    trusting = await testWorld({ trustProxy: '127.0.0.1' });
    plain = await testWorld();
  });
  after(async () => {
    await trusting.close();
    await plain.close();
  });

  test('with --trust-proxy 127.0.0.1 the X-Forwarded-For address is the one checked', async () => {
    const url = `/api/atlas/v2/groups/${trusting.groupId}/invites`;
    const c = await apiKeyCaller(trusting);
    await addAccessListEntries(trusting.deps.ctx, c.owner, ['203.0.113.7']);
    expectOk(await c.get(url, '127.0.0.1', { 'x-forwarded-for': '203.0.113.7' }));
    notOnList(await c.get(url, '127.0.0.1', { 'x-forwarded-for': '203.0.113.9' }), '203.0.113.9');
    // the client's own claim is only believed from the trusted proxy
    notOnList(await c.get(url, '10.9.9.9', { 'x-forwarded-for': '203.0.113.7' }), '10.9.9.9');
    // no header: the proxy itself is the client
    notOnList(await c.get(url, '127.0.0.1'), '127.0.0.1');
  });

  test('with --trust-proxy and a service account (Bearer)', async () => {
    const url = `/api/atlas/v2/groups/${trusting.groupId}/invites`;
    const c = await serviceAccountCaller(trusting);
    await addAccessListEntries(trusting.deps.ctx, c.owner, ['2001:db8::/32']);
    expectOk(await c.get(url, '127.0.0.1', { 'x-forwarded-for': '2001:db8::7' }));
    notOnList(await c.get(url, '127.0.0.1', { 'x-forwarded-for': '2001:db9::7' }), '2001:db9::7');
  });

  test('without it, X-Forwarded-For is ignored', async () => {
    const url = `/api/atlas/v2/groups/${plain.groupId}/invites`;
    const c = await apiKeyCaller(plain);
    await addAccessListEntries(plain.deps.ctx, c.owner, ['203.0.113.7']);
    notOnList(await c.get(url, '127.0.0.1', { 'x-forwarded-for': '203.0.113.7' }), '127.0.0.1');
    expectOk(await c.get(url, '203.0.113.7', { 'x-forwarded-for': '127.0.0.1' }));
  });
});
