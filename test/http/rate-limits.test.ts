import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { createServiceAccount } from '../../src/domain/service-accounts/service-account.service.ts';
import { type TestWorld, testWorld, V2 } from '../helpers/app.ts';
import { expectAtlasError, idOf } from './expect.ts';

/** Atlas's token buckets (api-facts §9), the invitation limit, the token endpoint's limit, and the rateLimits API. */

const MINUTE = 60_000;
const RL = 'application/vnd.atlas.2025-03-12+json';
const RL_CONTENT_TYPE = 'application/vnd.atlas.2025-03-12+json;charset=utf-8';

function expectHeaders(res: LightMyRequestResponse, limit: number, remaining: number): void {
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.headers['ratelimit-limit'], String(limit));
  assert.equal(res.headers['ratelimit-remaining'], String(remaining));
  assert.equal(res.headers['retry-after'], undefined);
}

/** The 429 Atlas documents: `Rate limit exceeded for <resource>. Please retry after N seconds. Request capacity: C. Refill rate: R per P seconds.` */
function expectTokenBucket429(
  res: LightMyRequestResponse,
  resource: string,
  retryAfter: number,
  capacity: number,
  refill: number,
  period = 60,
): void {
  assert.equal(res.statusCode, 429, res.body);
  assert.equal(res.headers['content-type'], 'application/json');
  assert.equal(res.headers['x-error-code'], 'RATE_LIMITED_TOKEN_BUCKET');
  assert.equal(res.headers['retry-after'], String(retryAfter));
  assert.equal(res.headers['ratelimit-limit'], String(capacity));
  assert.equal(res.headers['ratelimit-remaining'], '0');
  assert.equal(
    res.body,
    `{"detail":"Rate limit exceeded for ${resource}. Please retry after ${retryAfter} seconds. Request capacity: ${capacity}. Refill rate: ${refill} per ${period} seconds.","error":429,"errorCode":"RATE_LIMITED_TOKEN_BUCKET","parameters":[${JSON.stringify(resource)},${retryAfter},${capacity},${refill},${period}],"reason":"Too Many Requests"}`,
  );
}

const INVITES = (groupId: string) => `/api/atlas/v2/groups/${groupId}/invites`;

async function serviceAccount(w: TestWorld, name: string) {
  const created = await createServiceAccount(w.deps.ctx, {
    orgId: w.orgId,
    name,
    description: 'rate limit test',
    orgRoles: ['ORG_OWNER'],
    secretExpiresAfterHours: 24,
  });
  return { clientId: created.serviceAccount.clientId, clientSecret: created.secret.secret };
}

function postToken(
  app: FastifyInstance,
  creds: { clientId: string; clientSecret: string },
  remoteAddress = '127.0.0.1',
) {
  return app.inject({
    method: 'POST',
    url: '/api/oauth/token',
    remoteAddress,
    headers: {
      authorization: `Basic ${Buffer.from(`${creds.clientId}:${creds.clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    payload: 'grant_type=client_credentials',
  });
}

async function bearerToken(w: TestWorld): Promise<string> {
  assert.ok(w.serviceAccount);
  const res = await postToken(w.app, w.serviceAccount);
  assert.equal(res.statusCode, 200, res.body);
  return (JSON.parse(res.body) as { access_token: string }).access_token;
}

describe('RateLimit headers', () => {
  let w: TestWorld;
  beforeEach(async () => {
    w = await testWorld();
  });
  afterEach(() => w.close());

  test('RateLimit-Limit is the bucket capacity; RateLimit-Remaining counts down one per call', async () => {
    const url = INVITES(w.groupId);
    expectHeaders(await w.api({ url }), 1200, 1199);
    expectHeaders(await w.api({ url }), 1200, 1198);
    // the project's other endpoints draw from the same bucket
    expectHeaders(await w.api({ url: `/api/atlas/v2/groups/${w.groupId}` }), 1200, 1197);
    expectHeaders(await w.api({ url: `${url}?username=a@example.com` }), 1200, 1196);
    // organizations: their own bucket (500 / 250), per organization
    expectHeaders(await w.api({ url: `/api/atlas/v2/orgs/${w.orgId}` }), 500, 499);
    expectHeaders(await w.api({ url: '/api/atlas/v2/orgs' }), 300, 299);
    expectHeaders(await w.api({ url: '/api/atlas/v2/groups' }), 1200, 1199);
  });

  test('the bucket is per project', async () => {
    const other = await w.newProject(w.orgId, 'other');
    expectHeaders(await w.api({ url: INVITES(w.groupId) }), 1200, 1199);
    expectHeaders(await w.api({ url: INVITES(other) }), 1200, 1199);
    expectHeaders(await w.api({ url: INVITES(w.groupId) }), 1200, 1198);
  });

  test('Cloud Manager v1.0 draws from the same project bucket', async () => {
    expectHeaders(await w.api({ url: INVITES(w.groupId) }), 1200, 1199);
    const v1 = await w.api({
      url: `/api/public/v1.0/groups/${w.groupId}/invites`,
      headers: { accept: 'application/json' },
    });
    expectHeaders(v1, 1200, 1198);
  });

  test('errors carry no RateLimit headers but still take a token', async () => {
    const res = await w.api({ url: `${INVITES(w.groupId)}/000000000000000000000000` });
    assert.equal(res.statusCode, 404);
    assert.equal(res.headers['ratelimit-limit'], undefined);
    expectHeaders(await w.api({ url: INVITES(w.groupId) }), 1200, 1198);
  });
});

describe('429 RATE_LIMITED_TOKEN_BUCKET (projects-group=3:1)', () => {
  let w: TestWorld;
  beforeEach(async () => {
    w = await testWorld({ rateLimitOverrides: 'invitations-ip=100000:100000,projects-group=3:1' });
  });
  afterEach(() => w.close());

  test("the 4th call in a minute → 429 with Atlas's documented body and Retry-After", async () => {
    const url = INVITES(w.groupId);
    expectHeaders(await w.api({ url }), 3, 2);
    expectHeaders(await w.api({ url }), 3, 1);
    expectHeaders(await w.api({ url }), 3, 0);
    const refused = await w.api({ url });
    expectTokenBucket429(refused, 'api/atlas/v2/groups/{groupId}/invites', 60, 3, 1);
    assert.equal(
      refused.body,
      '{"detail":"Rate limit exceeded for api/atlas/v2/groups/{groupId}/invites. Please retry after 60 seconds. Request capacity: 3. Refill rate: 1 per 60 seconds.","error":429,"errorCode":"RATE_LIMITED_TOKEN_BUCKET","parameters":["api/atlas/v2/groups/{groupId}/invites",60,3,1,60],"reason":"Too Many Requests"}',
    );
    // every endpoint of the set is refused, each naming itself
    expectTokenBucket429(
      await w.api({ url: `/api/atlas/v2/groups/${w.groupId}` }),
      'api/atlas/v2/groups/{groupId}',
      60,
      3,
      1,
    );
    // a refused write writes nothing
    const post = await w.api({
      method: 'POST',
      url,
      body: { roles: ['GROUP_READ_ONLY'], username: 'late@example.com' },
    });
    expectTokenBucket429(post, 'api/atlas/v2/groups/{groupId}/invites', 60, 3, 1);
    // other projects and other sets are unaffected
    expectHeaders(await w.api({ url: INVITES(await w.newProject(w.orgId, 'p2')) }), 3, 2);
    expectHeaders(await w.api({ url: `/api/atlas/v2/orgs/${w.orgId}` }), 500, 499);
  });

  test('the bucket refills at 1 token per 60 s on the moved clock, up to its capacity', async () => {
    const url = INVITES(w.groupId);
    for (let i = 0; i < 3; i++) await w.api({ url });
    expectTokenBucket429(await w.api({ url }), 'api/atlas/v2/groups/{groupId}/invites', 60, 3, 1);
    w.clock.advance(30_000);
    expectTokenBucket429(await w.api({ url }), 'api/atlas/v2/groups/{groupId}/invites', 30, 3, 1);
    w.clock.advance(29_000);
    expectTokenBucket429(await w.api({ url }), 'api/atlas/v2/groups/{groupId}/invites', 1, 3, 1);
    w.clock.advance(1_000);
    expectHeaders(await w.api({ url }), 3, 0);
    expectTokenBucket429(await w.api({ url }), 'api/atlas/v2/groups/{groupId}/invites', 60, 3, 1);
    // an hour later the bucket is full again, not over-full
    w.clock.advance(60 * MINUTE);
    expectHeaders(await w.api({ url }), 3, 2);
    expectHeaders(await w.api({ url }), 3, 1);
    expectHeaders(await w.api({ url }), 3, 0);
    assert.equal((await w.api({ url })).statusCode, 429);
  });

  test('as recorded on live Atlas, Remaining counts down one per call seconds apart: no refill inside the period', async () => {
    const recorded = await testWorld({ rateLimitOverrides: '' });
    try {
      // The recorded session: six project-invitation calls 3-4 s apart over 19 s → 1199 … 1194.
      const url = INVITES(recorded.groupId);
      const seen: number[] = [];
      for (const gap of [0, 4_000, 4_000, 4_000, 4_000, 3_000]) {
        recorded.clock.advance(gap);
        seen.push(Number((await recorded.api({ url })).headers['ratelimit-remaining']));
      }
      assert.deepEqual(seen, [1199, 1198, 1197, 1196, 1195, 1194]);
      // A minute after the first call the period's 500 are poured in, up to the capacity.
      recorded.clock.advance(60_000 - 19_000);
      expectHeaders(await recorded.api({ url }), 1200, 1199);
    } finally {
      await recorded.close();
    }
  });

  test('two app instances over one store share the buckets', async () => {
    const second = buildApp(w.deps);
    await second.ready();
    try {
      const token = await bearerToken(w);
      const get = (app: FastifyInstance) =>
        app.inject({
          method: 'GET',
          url: INVITES(w.groupId),
          headers: { accept: V2, authorization: `Bearer ${token}` },
        });
      expectHeaders(await get(w.app), 3, 2);
      expectHeaders(await get(second), 3, 1);
      expectHeaders(await get(w.app), 3, 0);
      expectTokenBucket429(await get(second), 'api/atlas/v2/groups/{groupId}/invites', 60, 3, 1);
      expectTokenBucket429(await get(w.app), 'api/atlas/v2/groups/{groupId}/invites', 60, 3, 1);
    } finally {
      await second.close();
    }
  });
});

test('PostgreSQL: an over-long client id still gets invalid_client, not a 500 (bucket keys fit varchar(255))', async () => {
  const w = await testWorld({ dialect: 'postgres' });
  try {
    const token = await postToken(w.app, { clientId: `mdb_sa_id_${'a'.repeat(400)}`, clientSecret: 'x' });
    assert.equal(token.statusCode, 401, token.body);
    assert.equal(token.body, '{"error_description":"Invalid credentials provided.","error":"invalid_client"}');
    const id = 'a'.repeat(100); // Fastify's longest path parameter
    const res = await w.api({ url: `/api/atlas/v2/groups/${id}/invites` });
    expectAtlasError(res, 404, 'INVALID_GROUP_ID', `An invalid group ID ${id} was specified.`, [id]);
  } finally {
    await w.close();
  }
});

test('PostgreSQL: concurrent calls on two app instances draw exactly the capacity from one bucket', async () => {
  const w = await testWorld({ dialect: 'postgres', rateLimitOverrides: 'projects-group=5:1' });
  const second = buildApp(w.deps);
  await second.ready();
  try {
    const token = await bearerToken(w);
    const get = (app: FastifyInstance) =>
      app.inject({ method: 'GET', url: INVITES(w.groupId), headers: { accept: V2, authorization: `Bearer ${token}` } });
    const results = await Promise.all(Array.from({ length: 16 }, (_, i) => get(i % 2 ? second : w.app)));
    const statuses = results.map((r) => r.statusCode).sort();
    assert.deepEqual(statuses, [...Array(5).fill(200), ...Array(11).fill(429)]);
    const remaining = results
      .filter((r) => r.statusCode === 200)
      .map((r) => Number(r.headers['ratelimit-remaining']))
      .sort();
    assert.deepEqual(remaining, [0, 1, 2, 3, 4]);
  } finally {
    await second.close();
    await w.close();
  }
});

describe('the invitation limit: 10 a minute per address (400 INVITATIONS_RATE_LIMITED_IP)', () => {
  let w: TestWorld;
  beforeEach(async () => {
    w = await testWorld({ rateLimitOverrides: '' });
  });
  afterEach(() => w.close());

  const INVITATIONS_RATE_LIMITED_IP = 'Rate limit of 10 invitations per 1 minutes exceeded.';

  test('the 11th createGroupInvite within a minute → 400 INVITATIONS_RATE_LIMITED_IP; nothing is created', async () => {
    const url = INVITES(w.groupId);
    for (let i = 1; i <= 10; i++) {
      const res = await w.api({
        method: 'POST',
        url,
        body: { roles: ['GROUP_READ_ONLY'], username: `u${i}@example.com` },
      });
      assert.equal(res.statusCode, 200, `invitation ${i}: ${res.body}`);
    }
    const res = await w.api({ method: 'POST', url, body: { roles: ['GROUP_READ_ONLY'], username: 'u11@example.com' } });
    expectAtlasError(res, 400, 'INVITATIONS_RATE_LIMITED_IP', INVITATIONS_RATE_LIMITED_IP, [10, 1]);
    assert.equal(
      res.body,
      `{"detail":"${INVITATIONS_RATE_LIMITED_IP}","error":400,"errorCode":"INVITATIONS_RATE_LIMITED_IP","parameters":[10,1],"reason":"Bad Request"}`,
    );
    const list = JSON.parse((await w.api({ url })).body) as Array<{ username: string }>;
    assert.equal(list.length, 10);
    assert.ok(!list.some((i) => i.username === 'u11@example.com'));
    // reads and updates are not invitations
    assert.equal(
      (await w.api({ method: 'PATCH', url, body: { roles: ['GROUP_OWNER'], username: 'u1@example.com' } })).statusCode,
      200,
    );
    // 10 per 60 s, poured in when the minute that began with the first invitation is over
    w.clock.advance(59_000);
    expectAtlasError(
      await w.api({ method: 'POST', url, body: { roles: ['GROUP_READ_ONLY'], username: 'u11@example.com' } }),
      400,
      'INVITATIONS_RATE_LIMITED_IP',
      INVITATIONS_RATE_LIMITED_IP,
      [10, 1],
    );
    w.clock.advance(1_000);
    for (let i = 11; i <= 20; i++) {
      const again = await w.api({
        method: 'POST',
        url,
        body: { roles: ['GROUP_READ_ONLY'], username: `u${i}@example.com` },
      });
      assert.equal(again.statusCode, 200, again.body);
    }
    expectAtlasError(
      await w.api({ method: 'POST', url, body: { roles: ['GROUP_READ_ONLY'], username: 'u21@example.com' } }),
      400,
      'INVITATIONS_RATE_LIMITED_IP',
      INVITATIONS_RATE_LIMITED_IP,
      [10, 1],
    );
  });

  test('refused attempts give their token back: ten bad bodies, then ten invitations', async () => {
    const url = INVITES(w.groupId);
    for (let i = 0; i < 10; i++) {
      assert.equal(
        (await w.api({ method: 'POST', url, body: { roles: ['NOT_A_ROLE'], username: `bad${i}@example.com` } }))
          .statusCode,
        400,
      );
    }
    for (let i = 0; i < 10; i++) {
      const res = await w.api({
        method: 'POST',
        url,
        body: { roles: ['GROUP_READ_ONLY'], username: `ok${i}@example.com` },
      });
      assert.equal(res.statusCode, 200, res.body);
    }
  });

  test('per address: another client address has its own ten', async () => {
    const token = await bearerToken(w);
    const post = (remoteAddress: string, username: string) =>
      w.app.inject({
        method: 'POST',
        url: INVITES(w.groupId),
        remoteAddress,
        headers: { accept: V2, 'content-type': V2, authorization: `Bearer ${token}` },
        payload: JSON.stringify({ roles: ['GROUP_READ_ONLY'], username }),
      });
    for (let i = 0; i < 10; i++) assert.equal((await post('192.0.2.1', `a${i}@example.com`)).statusCode, 200);
    expectAtlasError(
      await post('192.0.2.1', 'a10@example.com'),
      400,
      'INVITATIONS_RATE_LIMITED_IP',
      INVITATIONS_RATE_LIMITED_IP,
      [10, 1],
    );
    // ::ffff:192.0.2.1 is the same client
    expectAtlasError(
      await post('::ffff:192.0.2.1', 'a11@example.com'),
      400,
      'INVITATIONS_RATE_LIMITED_IP',
      INVITATIONS_RATE_LIMITED_IP,
      [10, 1],
    );
    const other = await post('192.0.2.2', 'b0@example.com');
    assert.equal(other.statusCode, 200, other.body);
    idOf(other);
  });
});

describe('the token endpoint: 50 a minute per address and client (429 RATE_LIMITED)', () => {
  let w: TestWorld;
  before(async () => {
    w = await testWorld();
  });
  after(() => w.close());

  test("the 51st request → 429 in Atlas's ApiError format, with Retry-After", async () => {
    const sa = await serviceAccount(w, 'token limit');
    for (let i = 1; i <= 50; i++) assert.equal((await postToken(w.app, sa)).statusCode, 200, `request ${i}`);
    const res = await postToken(w.app, sa);
    assert.equal(res.statusCode, 429, res.body);
    assert.equal(res.headers['content-type'], 'application/json');
    assert.equal(res.headers['x-error-code'], 'RATE_LIMITED');
    assert.match(String(res.headers['retry-after']), /^\d+$/);
    assert.equal(
      res.body,
      '{"detail":"Resource /api/oauth/token is limited to 50 requests every 1 minutes.","error":429,"errorCode":"RATE_LIMITED","parameters":["/api/oauth/token",50,1],"reason":"Too Many Requests"}',
    );
    // failed attempts count too: a wrong secret is refused with 429, not 401
    assert.equal((await postToken(w.app, { ...sa, clientSecret: 'wrong' })).statusCode, 429);
    // per address and client: another client, or another address, is not limited
    assert.equal((await postToken(w.app, await serviceAccount(w, 'token limit other'))).statusCode, 200);
    assert.equal((await postToken(w.app, sa, '192.0.2.50')).statusCode, 200);
    // a minute later it is open again
    w.clock.advance(MINUTE);
    assert.equal((await postToken(w.app, sa)).statusCode, 200);
  });
});

describe('--rate-limits off', () => {
  let w: TestWorld;
  before(async () => {
    w = await testWorld({
      rateLimits: 'off',
      rateLimitOverrides: 'projects-group=3:1,invitations-ip=1:1,oauth-token=1:1',
    });
  });
  after(() => w.close());

  test('no RateLimit headers and never a 429 or INVITATIONS_RATE_LIMITED_IP', async () => {
    const url = INVITES(w.groupId);
    for (let i = 0; i < 12; i++) {
      const res = await w.api({
        method: 'POST',
        url,
        body: { roles: ['GROUP_READ_ONLY'], username: `off${i}@example.com` },
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers['ratelimit-limit'], undefined);
      assert.equal(res.headers['ratelimit-remaining'], undefined);
    }
    for (let i = 0; i < 10; i++) {
      const res = await w.api({ url });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['ratelimit-limit'], undefined);
    }
    assert.ok(w.serviceAccount);
    for (let i = 0; i < 5; i++) assert.equal((await postToken(w.app, w.serviceAccount)).statusCode, 200);
  });

  test('listRateLimits answers an empty list; getRateLimit 404 for every id', async () => {
    const list = await w.api({ url: '/api/atlas/v2/rateLimits', headers: { accept: RL } });
    assert.equal(list.statusCode, 200, list.body);
    assert.equal(list.headers['content-type'], RL_CONTENT_TYPE);
    assert.equal(
      list.body,
      '{"links":[{"href":"http://localhost:80/api/atlas/v2/rateLimits?includeCount=true&pageNum=1&itemsPerPage=100","rel":"self"}],"results":[],"totalCount":0}',
    );
    const one = await w.api({ url: '/api/atlas/v2/rateLimits/projects_group', headers: { accept: RL } });
    expectAtlasError(
      one,
      404,
      'RESOURCE_NOT_FOUND',
      'Cannot find resource Rate limit endpoint set with id projects_group.',
      ['Rate limit endpoint set with id projects_group'],
    );
  });
});

describe('listRateLimits and getRateLimit', () => {
  let w: TestWorld;
  before(async () => {
    w = await testWorld({ rateLimitOverrides: 'invitations-ip=100:50' });
  });
  after(() => w.close());

  const get = (url: string, headers: Record<string, string> = {}) =>
    w.api({ url, headers: { accept: RL, ...headers } });
  type Set = { endpointSetId: string; scope: string; endpoints: Array<{ method: string; path: string }> };
  const ids = (res: LightMyRequestResponse) =>
    (JSON.parse(res.body) as { results: Set[] }).results.map((s) => s.endpointSetId);

  test('served in 2025-03-12 only: 2023-01-01 → 406', async () => {
    const res = await get('/api/atlas/v2/rateLimits', { accept: V2 });
    expectAtlasError(res, 406, 'INVALID_VERSION_DATE', 'Invalid accept header or version date.');
    assert.equal(
      (await get('/api/atlas/v2/rateLimits', { accept: 'application/vnd.atlas.2026-01-01+json' })).headers[
        'content-type'
      ],
      RL_CONTENT_TYPE,
    );
  });

  test('needs authentication', async () => {
    const res = await w.app.inject({ method: 'GET', url: '/api/atlas/v2/rateLimits', headers: { accept: RL } });
    assert.equal(res.statusCode, 401);
  });

  test("one endpoint set per bucket, with the v2 endpoints that draw from it, in Atlas's shape", async () => {
    const res = await get('/api/atlas/v2/rateLimits');
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['content-type'], RL_CONTENT_TYPE);
    const body = JSON.parse(res.body) as { links: unknown; results: Set[]; totalCount: number };
    assert.deepEqual(Object.keys(body), ['links', 'results', 'totalCount']);
    assert.ok(ids(res).includes('projects_group'));
    assert.ok(ids(res).includes('organizations_organization'));
    assert.ok(ids(res).includes('invitations_ip'));
    assert.ok(!JSON.stringify(body).includes('/api/oauth/token'), 'the token endpoint is not a v2 endpoint set');
    assert.ok(!JSON.stringify(body).includes('/api/public/v1.0'), 'only v2 endpoints');
    assert.equal(body.totalCount, body.results.length);
    const projects = body.results.find((s) => s.endpointSetId === 'projects_group');
    assert.deepEqual(Object.keys(projects ?? {}), [
      'capacity',
      'endpointSetId',
      'endpointSetName',
      'endpoints',
      'refillDurationSeconds',
      'refillRate',
      'scope',
    ]);
    assert.deepEqual(
      { ...projects, endpoints: projects?.endpoints.filter((e) => e.path.includes('/invites')) },
      {
        capacity: { value: 1200 },
        endpointSetId: 'projects_group',
        endpointSetName: 'Projects',
        endpoints: [
          { method: 'GET', path: '/api/atlas/v2/groups/{groupId}/invites' },
          { method: 'POST', path: '/api/atlas/v2/groups/{groupId}/invites' },
          { method: 'PATCH', path: '/api/atlas/v2/groups/{groupId}/invites' },
          { method: 'GET', path: '/api/atlas/v2/groups/{groupId}/invites/{invitationId}' },
          { method: 'PATCH', path: '/api/atlas/v2/groups/{groupId}/invites/{invitationId}' },
          { method: 'DELETE', path: '/api/atlas/v2/groups/{groupId}/invites/{invitationId}' },
        ],
        refillDurationSeconds: { value: 60 },
        refillRate: { value: 500 },
        scope: 'GROUP',
      },
    );
  });

  test('getRateLimit: one set; an override shows the default beside the applied value', async () => {
    const res = await get('/api/atlas/v2/rateLimits/invitations_ip');
    assert.equal(res.statusCode, 200, res.body);
    // the endpoints are every invitation-creating v2 route; the project one is among them
    const { endpoints } = JSON.parse(res.body) as Set;
    assert.ok(endpoints.some((e) => e.method === 'POST' && e.path === '/api/atlas/v2/groups/{groupId}/invites'));
    assert.ok(
      endpoints.every((e) => e.method === 'POST' && (e.path.endsWith('/invites') || e.path.endsWith('/users'))),
    );
    assert.equal(
      res.body,
      `{"capacity":{"defaultValue":10,"value":100},"endpointSetId":"invitations_ip","endpointSetName":"Invitations","endpoints":${JSON.stringify(endpoints)},"refillDurationSeconds":{"value":60},"refillRate":{"defaultValue":10,"value":50},"scope":"IP"}`,
    );
    assert.equal(JSON.parse((await get('/api/atlas/v2/rateLimits/organizations_user')).body).capacity.value, 300);
  });

  test('an unknown endpointSetId → 404 RESOURCE_NOT_FOUND', async () => {
    expectAtlasError(
      await get('/api/atlas/v2/rateLimits/rateLimitsInspection_group'),
      404,
      'RESOURCE_NOT_FOUND',
      'Cannot find resource Rate limit endpoint set with id rateLimitsInspection_group.',
      ['Rate limit endpoint set with id rateLimitsInspection_group'],
    );
  });

  test('groupId / orgId / userId / ipAddress return only their scope', async () => {
    const scopes = async (q: string) => [
      ...new Set(
        (JSON.parse((await get(`/api/atlas/v2/rateLimits?${q}`)).body) as { results: Set[] }).results.map(
          (s) => s.scope,
        ),
      ),
    ];
    assert.deepEqual(await scopes(`groupId=${w.groupId}`), ['GROUP']);
    assert.deepEqual(await scopes(`orgId=${w.orgId}`), ['ORGANIZATION']);
    assert.deepEqual(await scopes(`userId=${w.owner.publicKey}`), ['USER']);
    assert.deepEqual(await scopes('ipAddress=127.0.0.1'), ['IP']);
  });

  test('name and endpointPath filters (repeatable)', async () => {
    assert.deepEqual(ids(await get('/api/atlas/v2/rateLimits?name=Organizations')), [
      'organizations_organization',
      'organizations_user',
    ]);
    assert.deepEqual(ids(await get('/api/atlas/v2/rateLimits?name=Projects&name=Invitations')), [
      'invitations_ip',
      'projects_group',
      'projects_user',
    ]);
    const path = encodeURIComponent('/api/atlas/v2/groups/{groupId}/invites');
    assert.deepEqual(ids(await get(`/api/atlas/v2/rateLimits?endpointPath=${path}`)), [
      'invitations_ip',
      'projects_group',
    ]);
    assert.deepEqual(
      ids(await get(`/api/atlas/v2/rateLimits?endpointPath=${encodeURIComponent('/api/atlas/v2/orgs/')}`)),
      ['organizations_user'],
    );
    assert.deepEqual(ids(await get('/api/atlas/v2/rateLimits?name=Nothing')), []);
  });

  test('pagination: itemsPerPage and pageNum, with previous/next links', async () => {
    const all = ids(await get('/api/atlas/v2/rateLimits'));
    const res = await get('/api/atlas/v2/rateLimits?itemsPerPage=2&pageNum=2');
    const body = JSON.parse(res.body) as { links: Array<{ rel: string; href: string }>; totalCount: number };
    assert.deepEqual(ids(res), all.slice(2, 4));
    assert.equal(body.totalCount, all.length);
    assert.deepEqual(
      body.links.map((l) => l.rel),
      all.length > 4 ? ['previous', 'self', 'next'] : ['previous', 'self'],
    );
    expectAtlasError(
      await get('/api/atlas/v2/rateLimits?itemsPerPage=501'),
      400,
      'INVALID_QUERY_PARAMETER',
      'Invalid query parameter itemsPerPage specified.',
      ['itemsPerPage'],
    );
  });

  test('the entity parameters are checked: format, existence, the caller’s role, itself, its address', async () => {
    expectAtlasError(
      await get('/api/atlas/v2/rateLimits?groupId=xyz'),
      400,
      'INVALID_QUERY_PARAMETER',
      'Invalid query parameter groupId specified.',
      ['groupId'],
    );
    expectAtlasError(
      await get('/api/atlas/v2/rateLimits?orgId=xyz'),
      400,
      'INVALID_QUERY_PARAMETER',
      'Invalid query parameter orgId specified.',
      ['orgId'],
    );
    expectAtlasError(
      await get('/api/atlas/v2/rateLimits?ipAddress=not-an-ip'),
      400,
      'INVALID_QUERY_PARAMETER',
      'Invalid query parameter ipAddress specified.',
      ['ipAddress'],
    );
    const missing = '0123456789abcdef01234567';
    expectAtlasError(
      await get(`/api/atlas/v2/rateLimits?groupId=${missing}`),
      404,
      'GROUP_NOT_FOUND',
      `No group with ID ${missing} exists.`,
      [missing],
    );
    expectAtlasError(
      await get(`/api/atlas/v2/rateLimits?orgId=${missing}`),
      404,
      'ORG_NOT_FOUND',
      `No organization with ID ${missing} exists.`,
      [missing],
    );
    const unauthorized = (res: LightMyRequestResponse) =>
      expectAtlasError(res, 401, 'USER_UNAUTHORIZED', 'Current user is not authorized to perform this action.');
    unauthorized(await get('/api/atlas/v2/rateLimits?userId=someone-else'));
    unauthorized(await get('/api/atlas/v2/rateLimits?ipAddress=192.0.2.1'));
    unauthorized(await get('/api/atlas/v2/rateLimits/projects_group?ipAddress=192.0.2.1'));
    // another organization's project and organization
    const otherOrg = await w.newOrg('Elsewhere');
    const otherProject = await w.newProject(otherOrg, 'elsewhere');
    unauthorized(await get(`/api/atlas/v2/rateLimits?groupId=${otherProject}`));
    unauthorized(await get(`/api/atlas/v2/rateLimits?orgId=${otherOrg}`));
    // Organization Member is not Organization Read Only; Project Read Only is enough for its project
    const member = w.as(await w.key(['ORG_MEMBER'], { [w.groupId]: ['GROUP_READ_ONLY'] }));
    unauthorized(await member({ url: `/api/atlas/v2/rateLimits?orgId=${w.orgId}`, headers: { accept: RL } }));
    assert.equal(
      (await member({ url: `/api/atlas/v2/rateLimits?groupId=${w.groupId}`, headers: { accept: RL } })).statusCode,
      200,
    );
    const readOnly = w.as(await w.key(['ORG_READ_ONLY']));
    assert.equal(
      (await readOnly({ url: `/api/atlas/v2/rateLimits?orgId=${w.orgId}`, headers: { accept: RL } })).statusCode,
      200,
    );
    // any caller may list everything
    assert.equal((await member({ url: '/api/atlas/v2/rateLimits', headers: { accept: RL } })).statusCode, 200);
  });
});

describe('only invitations actually made count against the per-address limit', () => {
  let w: TestWorld;
  before(async () => {
    w = await testWorld({ rateLimitOverrides: '' });
  });
  after(() => w.close());

  test('refused attempts do not use the budget; a foreign org cannot drain this project’s bucket', async () => {
    const url = `/api/atlas/v2/groups/${w.groupId}/invites`;
    for (let i = 0; i < 15; i++) {
      const bad = await w.api({
        method: 'POST',
        url,
        body: { roles: ['NOT_A_ROLE'], username: `bad${i}@example.com` },
      });
      assert.equal(bad.statusCode, 400);
      assert.equal(JSON.parse(bad.body).errorCode, 'INVALID_ROLE_FOR_GROUP');
    }
    for (let i = 0; i < 10; i++) {
      const ok = await w.api({
        method: 'POST',
        url,
        body: { roles: ['GROUP_READ_ONLY'], username: `ok${i}@example.com` },
      });
      assert.equal(ok.statusCode, 200, ok.body);
    }
    const eleventh = await w.api({
      method: 'POST',
      url,
      body: { roles: ['GROUP_READ_ONLY'], username: 'eleventh@example.com' },
    });
    assert.equal(eleventh.statusCode, 400);
    assert.equal(JSON.parse(eleventh.body).errorCode, 'INVITATIONS_RATE_LIMITED_IP');

    const before = Number((await w.api({ url })).headers['ratelimit-remaining']);
    const otherOrg = await w.newOrg('Other Org');
    const foreign = w.as(await w.key(['ORG_OWNER'], {}, otherOrg));
    for (let i = 0; i < 5; i++) assert.equal((await foreign({ url })).statusCode, 401);
    const afterward = Number((await w.api({ url })).headers['ratelimit-remaining']);
    assert.equal(afterward, before - 1, 'only our own call counted');
  });
});

for (const dialect of ['sqlite', 'postgres'] as const) {
  test(`${dialect}: a burst of 20 parallel invitations from one address on two app instances makes exactly 10`, async () => {
    const w = await testWorld({ dialect, rateLimitOverrides: '' });
    const second = buildApp(w.deps);
    await second.ready();
    try {
      const token = await bearerToken(w);
      const post = (app: FastifyInstance, i: number) =>
        app.inject({
          method: 'POST',
          url: INVITES(w.groupId),
          headers: { accept: V2, 'content-type': V2, authorization: `Bearer ${token}` },
          payload: JSON.stringify({ roles: ['GROUP_READ_ONLY'], username: `burst${i}@example.com` }),
        });
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => post(i % 2 ? second : w.app, i)));
      const statuses = results.map((r) => r.statusCode).sort();
      assert.deepEqual(
        statuses,
        [...Array(10).fill(200), ...Array(10).fill(400)],
        results.map((r) => r.body).join('\n'),
      );
      for (const r of results.filter((x) => x.statusCode === 400))
        assert.equal(JSON.parse(r.body).errorCode, 'INVITATIONS_RATE_LIMITED_IP');
      const list = await w.app.inject({
        url: INVITES(w.groupId),
        headers: { accept: V2, authorization: `Bearer ${token}` },
      });
      assert.equal((JSON.parse(list.body) as unknown[]).length, 10);
    } finally {
      await second.close();
      await w.close();
    }
  });
}
