import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { seededRandom } from '../../../src/http/ops/faults/fault-book.ts';
import { type TestWorld, testWorld } from '../../helpers/app.ts';

/** Fault rules in-process: validation, matching, counting, probability under a seed, latency on an injected timer. */

let w: TestWorld;
const slept: number[] = [];
let invites: string;

before(async () => {
  w = await testWorld({
    controlPlane: true,
    ops: {
      sleep: async (ms) => {
        slept.push(ms);
      },
    },
  });
  invites = `/api/atlas/v2/groups/${w.groupId}/invites`;
});
after(() => w.close());
beforeEach(async () => {
  slept.length = 0;
  const res = await faults('DELETE');
  assert.equal(res.statusCode, 200, res.body);
});

function faults(method: 'GET' | 'POST' | 'DELETE', body?: unknown, suffix = ''): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = { authorization: `Bearer ${w.controlToken}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return w.app.inject({
    method,
    url: `/_cloud-invites/faults${suffix}`,
    headers,
    payload: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function addRule(body: unknown): Promise<Record<string, unknown>> {
  const res = await faults('POST', body);
  assert.equal(res.statusCode, 201, res.body);
  return JSON.parse(res.body);
}

const listRules = async () =>
  JSON.parse((await faults('GET')).body) as { results: Array<Record<string, unknown>>; totalCount: number };

test('an error rule for the next N calls answers like Atlas, with Retry-After, then expires', async () => {
  const rule = await addRule({
    operationId: 'listGroupInvites',
    error: { errorCode: 'RATE_LIMITED', parameters: ['{resource}', 100, 1], retryAfterSeconds: 7 },
    times: 2,
  });
  assert.equal(rule.remaining, 2);
  assert.match(String(rule.id), /^\d+$/);
  assert.equal(typeof rule.seed, 'number');
  const expected =
    '{"detail":"Resource api/atlas/v2/groups/{groupId}/invites is limited to 100 requests every 1 minutes.","error":429,"errorCode":"RATE_LIMITED","parameters":["api/atlas/v2/groups/{groupId}/invites",100,1],"reason":"Too Many Requests"}';
  for (let i = 0; i < 2; i++) {
    const res = await w.api({ url: invites });
    assert.equal(res.statusCode, 429);
    assert.equal(res.headers['retry-after'], '7');
    assert.equal(res.headers['content-type'], 'application/json');
    assert.equal(res.headers['x-error-code'], 'RATE_LIMITED');
    assert.equal(res.body, expected);
    if (i === 0) assert.equal((await listRules()).results[0].remaining, 1);
  }
  assert.equal((await w.api({ url: invites })).statusCode, 200);
  assert.deepEqual(await listRules(), { results: [], totalCount: 0 });
  // Other operations were never touched.
  assert.equal((await w.api({ url: `/api/atlas/v2/groups/${w.groupId}` })).statusCode, 200);
});

test('a 503 keeps a registry code; pretty and envelope render it as every other error', async () => {
  await addRule({
    path: '/api/atlas/v2/groups/*',
    method: 'get',
    error: { errorCode: 'UNEXPECTED_ERROR', status: 503, retryAfterSeconds: 1 },
  });
  const res = await w.api({ url: `/api/atlas/v2/groups/${w.groupId}?envelope=true` });
  assert.equal(res.statusCode, 503);
  assert.equal(res.headers['retry-after'], '1');
  assert.equal(
    res.body,
    '{"content":{"detail":"Unexpected error.","error":503,"errorCode":"UNEXPECTED_ERROR","parameters":[],"reason":"Service Unavailable"},"status":503}',
  );
  // Method and pattern both count: a PATCH of the same path and a deeper path are served.
  assert.equal((await w.api({ url: invites })).statusCode, 200);
  assert.equal((await w.api({ method: 'PATCH', url: `/api/atlas/v2/groups/${w.groupId}`, body: {} })).statusCode, 200);
});

test('the errorCode a registry entry sends names it too; the v1.0 twin matches its v2 operationId', async () => {
  await addRule({
    operationId: 'createGroupInvite',
    error: { errorCode: 'INVITATIONS_RATE_LIMITED_IP', parameters: [10, 1] },
  });
  const res = await w.api({
    method: 'POST',
    url: `/api/public/v1.0/groups/${w.groupId}/invites`,
    body: { username: 'a@example.com', roles: ['GROUP_READ_ONLY'] },
  });
  assert.equal(res.statusCode, 400);
  assert.equal(
    res.body,
    '{"detail":"Rate limit of 10 invitations per 1 minutes exceeded.","error":400,"errorCode":"INVITATIONS_RATE_LIMITED_IP","parameters":[10,1],"reason":"Bad Request"}',
  );
  assert.equal((await listRules()).results[0].applied, 1);
});

test('latency waits on the injected timer, then the call is served', async () => {
  await addRule({ operationId: 'getGroup', latencyMs: 1500 });
  const res = await w.api({ url: `/api/atlas/v2/groups/${w.groupId}` });
  assert.equal(res.statusCode, 200);
  assert.deepEqual(slept, [1500]);
  // Latency then an error: both apply, latency first.
  await faults('DELETE');
  await addRule({ operationId: 'getGroup', latencyMs: 20, error: { errorCode: 'UNEXPECTED_ERROR' }, times: 1 });
  assert.equal((await w.api({ url: `/api/atlas/v2/groups/${w.groupId}` })).statusCode, 500);
  assert.deepEqual(slept, [1500, 20]);
});

test('a probability rule under a seed applies to the same calls every run', async () => {
  const pattern = async () => {
    await faults('DELETE');
    await addRule({
      operationId: 'getGroup',
      probability: 0.5,
      seed: 42,
      error: { errorCode: 'UNEXPECTED_ERROR', status: 503 },
    });
    const out: number[] = [];
    for (let i = 0; i < 16; i++) out.push((await w.api({ url: `/api/atlas/v2/groups/${w.groupId}` })).statusCode);
    return out;
  };
  const first = await pattern();
  assert.deepEqual(await pattern(), first);
  const draw = seededRandom(42);
  assert.deepEqual(
    first,
    first.map(() => (draw() < 0.5 ? 503 : 200)),
  );
  assert.ok(first.includes(503) && first.includes(200), first.join());
  const [rule] = (await listRules()).results;
  assert.equal(rule.matched, 16);
  assert.equal(rule.applied, first.filter((s) => s === 503).length);
});

test('faults never touch /_cloud-invites/… nor an unauthenticated challenge', async () => {
  await addRule({ path: '/**', error: { errorCode: 'UNEXPECTED_ERROR', status: 503 } });
  assert.equal((await faults('GET')).statusCode, 200);
  assert.equal((await w.app.inject({ url: '/_cloud-invites/health' })).statusCode, 200);
  assert.equal((await w.app.inject({ url: '/%5Fcloud-invites/health' })).statusCode, 200);
  const clock = await w.app.inject({
    url: '/_cloud-invites/clock',
    headers: { authorization: `Bearer ${w.controlToken}` },
  });
  assert.equal(clock.statusCode, 200);
  // No credentials: the challenge (no rule used up); with them, the fault.
  const challenged = await w.app.inject({ url: invites });
  assert.equal(challenged.statusCode, 401);
  assert.equal((await listRules()).results[0].matched, 0);
  assert.equal((await w.api({ url: invites })).statusCode, 503);
});

test('GET lists rules in order; DELETE one removes it, an unknown id is 404', async () => {
  const a = await addRule({ operationId: 'getGroup', latencyMs: 5 });
  const b = await addRule({
    path: '/api/atlas/v2/orgs/{orgId}/invites',
    method: 'POST',
    drop: true,
    probability: 0.25,
    seed: 3,
  });
  const listed = await listRules();
  assert.equal(listed.totalCount, 2);
  assert.deepEqual(listed.results[1], {
    id: b.id,
    operationId: null,
    path: '/api/atlas/v2/orgs/{orgId}/invites',
    method: 'POST',
    latencyMs: 0,
    error: null,
    drop: true,
    probability: 0.25,
    seed: 3,
    times: null,
    remaining: null,
    matched: 0,
    applied: 0,
    createdAt: '2026-08-10T03:04:53Z',
  });
  assert.equal((await faults('DELETE', undefined, `/${a.id}`)).statusCode, 204);
  assert.deepEqual(
    (await listRules()).results.map((r) => r.id),
    [b.id],
  );
  const missing = await faults('DELETE', undefined, '/999');
  assert.equal(missing.statusCode, 404);
  assert.equal(JSON.parse(missing.body).errorCode, 'RESOURCE_NOT_FOUND');
  const cleared = await faults('DELETE');
  assert.deepEqual(JSON.parse(cleared.body), { removed: 1 });
});

test('the faults routes need the control token', async () => {
  const res = await w.app.inject({
    method: 'POST',
    url: '/_cloud-invites/faults',
    payload: { operationId: 'getGroup', drop: true },
  });
  assert.equal(res.statusCode, 401);
  assert.equal(JSON.parse(res.body).errorCode, 'USER_UNAUTHORIZED');
  assert.deepEqual(await listRules(), { results: [], totalCount: 0 });
});

test('bad rule bodies get Atlas errors naming what is wrong', async () => {
  const cases: Array<[unknown, number, string, RegExp]> = [
    [[], 400, 'INVALID_JSON', /does not match expected format/],
    [{ latencyMs: 5 }, 400, 'MISSING_ONE_OF_ATTRIBUTES', /operationId attribute or the path attribute/],
    [{ operationId: 'getGroup' }, 400, 'VALIDATION_ERROR', /needs latencyMs, error or drop/],
    [{ operationId: 'getGroup', drop: true, colour: 'red' }, 400, 'INVALID_ATTRIBUTE', /colour/],
    [{ operationId: 'getGroup', drop: 'yes' }, 400, 'INVALID_JSON_ATTRIBUTE', /drop/],
    [{ operationId: 'get group', drop: true }, 400, 'INVALID_JSON_ATTRIBUTE', /operationId/],
    [{ path: 'api/x', drop: true }, 400, 'VALIDATION_ERROR', /path must start with \//],
    [{ path: '/x', method: 'BREW', drop: true }, 400, 'VALIDATION_ERROR', /method must be one of/],
    [{ operationId: 'getGroup', latencyMs: -1 }, 400, 'VALIDATION_ERROR', /latencyMs/],
    [{ operationId: 'getGroup', latencyMs: 1.5 }, 400, 'VALIDATION_ERROR', /latencyMs/],
    [{ operationId: 'getGroup', drop: true, probability: 0 }, 400, 'VALIDATION_ERROR', /probability/],
    [{ operationId: 'getGroup', drop: true, probability: 1.5 }, 400, 'VALIDATION_ERROR', /probability/],
    [{ operationId: 'getGroup', drop: true, times: 0 }, 400, 'VALIDATION_ERROR', /times/],
    [{ operationId: 'getGroup', drop: true, seed: -1 }, 400, 'VALIDATION_ERROR', /seed/],
    [
      { operationId: 'getGroup', drop: true, error: { errorCode: 'UNEXPECTED_ERROR' } },
      400,
      'VALIDATION_ERROR',
      /error or drop, not both/,
    ],
    [{ operationId: 'getGroup', error: 'boom' }, 400, 'INVALID_JSON_ATTRIBUTE', /error attribute/],
    [{ operationId: 'getGroup', error: {} }, 400, 'MISSING_ATTRIBUTE', /error\.errorCode/],
    [
      { operationId: 'getGroup', error: { errorCode: 'TEAPOT' } },
      400,
      'VALIDATION_ERROR',
      /TEAPOT is not an Atlas error code/,
    ],
    [
      { operationId: 'getGroup', error: { errorCode: 'UNEXPECTED_ERROR', status: 200 } },
      400,
      'VALIDATION_ERROR',
      /status/,
    ],
    [
      { operationId: 'getGroup', error: { errorCode: 'UNEXPECTED_ERROR', hint: 1 } },
      400,
      'INVALID_ATTRIBUTE',
      /error\.hint/,
    ],
    [
      { operationId: 'getGroup', error: { errorCode: 'RATE_LIMITED' } },
      400,
      'VALIDATION_ERROR',
      /error\.parameters must have 3 entries for RATE_LIMITED \("Resource <1> is limited to <2> requests every <3> minutes\."\)/,
    ],
    [
      { operationId: 'getGroup', error: { errorCode: 'GROUP_NOT_FOUND', parameters: [{}] } },
      400,
      'INVALID_JSON_ATTRIBUTE',
      /error\.parameters/,
    ],
    [
      { operationId: 'getGroup', error: { errorCode: 'UNEXPECTED_ERROR', retryAfterSeconds: 'soon' } },
      400,
      'VALIDATION_ERROR',
      /retryAfterSeconds/,
    ],
  ];
  for (const [body, status, errorCode, detail] of cases) {
    const res = await faults('POST', body);
    assert.equal(res.statusCode, status, `${JSON.stringify(body)} → ${res.body}`);
    const parsed = JSON.parse(res.body);
    assert.equal(parsed.errorCode, errorCode, JSON.stringify(body));
    assert.match(parsed.detail, detail, JSON.stringify(body));
    assert.deepEqual(Object.keys(parsed), ['detail', 'error', 'errorCode', 'parameters', 'reason']);
  }
  const noBody = await w.app.inject({
    method: 'POST',
    url: '/_cloud-invites/faults',
    headers: { authorization: `Bearer ${w.controlToken}` },
  });
  assert.equal(noBody.statusCode, 400, noBody.body);
  assert.deepEqual(await listRules(), { results: [], totalCount: 0 });
});
