import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import DigestClient from 'digest-fetch';
import { parsePrometheus, type Sample, sampleValue } from './prometheus.ts';
import {
  type Credentials,
  curlDigest as curlAs,
  parseInclude,
  type RunningServer,
  runCurl,
  startServer,
  V2,
} from './server.ts';

/**
 * Faults and metrics as a CI suite meets them: a real `serve --control-plane --metrics` process,
 * curl and digest-fetch (clients we did not write), the Prometheus text read over HTTP.
 */

let server: RunningServer;
let creds: Credentials;
let invites: string;
let group: string;

before(async () => {
  // events-group shrunk to 2 calls so a rate-limit refusal is cheap to provoke.
  server = await startServer({ args: ['--control-plane', '--metrics', '--rate-limit-overrides', 'events-group=2:1'] });
  assert.ok(server.creds?.controlToken);
  creds = server.creds;
  group = `${server.baseUrl}/api/atlas/v2/groups/${creds.groupId}`;
  invites = `${group}/invites`;
});
after(() => server?.stop());
beforeEach(async () => {
  assert.equal((await control('DELETE', '/_cloud-invites/faults')).status, 200);
});

async function control(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${creds.controlToken}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

async function addFault(rule: unknown): Promise<{ id: string }> {
  const res = await control('POST', '/_cloud-invites/faults', rule);
  assert.equal(res.status, 201, JSON.stringify(res.json));
  return res.json;
}

const curlDigest = (url: string, extra: string[] = []) => curlAs(creds, url, extra);

/** digest-fetch, one client (its nonce and count kept across calls, as a real SDK would). */
function digestClient() {
  const c = new DigestClient(creds.publicKey, creds.privateKey);
  return async (url: string, init: { method?: string; body?: unknown } = {}) => {
    const headers: Record<string, string> = { Accept: V2 };
    if (init.body !== undefined) headers['Content-Type'] = V2;
    const res = (await c.fetch(url, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    })) as Response;
    return { status: res.status, headers: res.headers, text: await res.text() };
  };
}

/**
 * The retry loop a CI suite wraps around its client: on 429 or 503, wait what Retry-After says
 * (`wait` is given the seconds; the test scales them down, as it would inject a clock), then retry.
 */
async function withRetries<T extends { status: number; headers: Headers }>(
  call: () => Promise<T>,
  wait: (seconds: number) => Promise<void>,
  max = 5,
) {
  const attempts: T[] = [];
  for (let i = 0; i < max; i++) {
    const res = await call();
    attempts.push(res);
    if (res.status !== 429 && res.status !== 503) break;
    const retryAfter = res.headers.get('retry-after');
    assert.ok(retryAfter !== null, 'a retryable answer says when to retry');
    await wait(Number(retryAfter));
  }
  return attempts;
}

async function scrape(): Promise<Sample[]> {
  const res = await fetch(`${server.baseUrl}/_cloud-invites/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  return parsePrometheus(await res.text()).samples;
}

test('curl sees each fault kind: an Atlas 503, added latency, a dropped connection', async () => {
  await addFault({
    operationId: 'listGroupInvites',
    method: 'GET',
    error: { errorCode: 'UNEXPECTED_ERROR', status: 503, retryAfterSeconds: 3 },
    times: 1,
  });
  const [challenge, failed] = parseInclude((await curlDigest(invites)).stdout);
  assert.equal(challenge.status, 401);
  assert.equal(failed.status, 503);
  assert.equal(failed.headers['retry-after'], '3');
  assert.equal(failed.headers['x-error-code'], 'UNEXPECTED_ERROR');
  assert.equal(failed.headers['content-type'], 'application/json');
  assert.equal(
    failed.body,
    '{"detail":"Unexpected error.","error":503,"errorCode":"UNEXPECTED_ERROR","parameters":[],"reason":"Service Unavailable"}',
  );
  // Used up: the next call is served.
  assert.equal(parseInclude((await curlDigest(invites)).stdout).at(-1)?.status, 200);

  await addFault({ path: '/api/atlas/v2/groups/*', latencyMs: 300, times: 1 });
  const started = Date.now();
  const slow = await curlDigest(group, ['-w', '\n%{time_total}']);
  const elapsed = Date.now() - started;
  assert.equal(parseInclude(slow.stdout).at(-1)?.status, 200);
  assert.ok(elapsed >= 300, `a 300 ms latency took ${elapsed} ms`);

  // Not counted: curl retries once on a fresh connection when a kept-alive one dies without an answer.
  const drop = await addFault({ operationId: 'getGroup', drop: true });
  const dropped = await curlDigest(group);
  assert.equal(dropped.code, 52, dropped.stderr); // curl: "Empty reply from server"
  assert.match(dropped.stderr, /Empty reply from server/);
  const [rule] = (await control('GET', '/_cloud-invites/faults')).json.results;
  assert.equal(rule.id, drop.id);
  assert.ok(rule.applied >= 1);
});

test('digest-fetch retries a 429 after Retry-After; the N-counted rule expires and the retry succeeds', async () => {
  const call = digestClient();
  assert.equal((await call(invites)).status, 200); // the client has its nonce now
  await addFault({
    operationId: 'createGroupInvite',
    error: {
      errorCode: 'RATE_LIMITED_TOKEN_BUCKET',
      parameters: ['{resource}', 2, 100, 100, 60],
      retryAfterSeconds: 2,
    },
    times: 2,
  });
  const waits: number[] = [];
  const attempts = await withRetries(
    () => call(invites, { method: 'POST', body: { username: 'retry@example.com', roles: ['GROUP_READ_ONLY'] } }),
    async (seconds) => {
      waits.push(seconds);
      await new Promise((resolve) => setTimeout(resolve, seconds)); // a millisecond per second
    },
  );
  assert.deepEqual(
    attempts.map((a) => a.status),
    [429, 429, 200],
  );
  assert.deepEqual(waits, [2, 2]);
  assert.equal(
    attempts[0].text,
    '{"detail":"Rate limit exceeded for api/atlas/v2/groups/{groupId}/invites. Please retry after 2 seconds. Request capacity: 100. Refill rate: 100 per 60 seconds.","error":429,"errorCode":"RATE_LIMITED_TOKEN_BUCKET","parameters":["api/atlas/v2/groups/{groupId}/invites",2,100,100,60],"reason":"Too Many Requests"}',
  );
  assert.equal(JSON.parse(attempts[2].text).username, 'retry@example.com');
  // Exactly one invitation was made, and the rule is gone.
  const list = JSON.parse((await call(`${invites}?username=retry@example.com`)).text);
  assert.equal(list.length, 1);
  assert.deepEqual((await control('GET', '/_cloud-invites/faults')).json, { results: [], totalCount: 0 });
});

test('digest-fetch sees latency and a dropped connection; a seeded probability rule picks the same calls each run', async () => {
  const call = digestClient();
  await addFault({ operationId: 'getGroup', latencyMs: 150, times: 1 });
  const started = Date.now();
  assert.equal((await call(group)).status, 200);
  assert.ok(Date.now() - started >= 150);

  await addFault({ operationId: 'getGroup', drop: true, times: 1 });
  await assert.rejects(call(group), (err: Error) => err instanceof TypeError && /fetch failed/.test(err.message));
  assert.equal((await call(group)).status, 200);

  const run = async () => {
    await control('DELETE', '/_cloud-invites/faults');
    await addFault({
      operationId: 'getGroup',
      probability: 0.3,
      seed: 1234,
      error: { errorCode: 'UNEXPECTED_ERROR', status: 503 },
    });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await call(group)).status);
    return statuses;
  };
  const first = await run();
  assert.deepEqual(await run(), first);
  assert.ok(first.includes(503) && first.includes(200), first.join());
});

test('a rule matching every path leaves /_cloud-invites/… alone', async () => {
  await addFault({ path: '/**', drop: true });
  for (const path of [
    '/_cloud-invites/health',
    '/_cloud-invites/ready',
    '/_cloud-invites/metrics',
    '/_cloud-invites/faults',
    '/_cloud-invites/clock',
  ]) {
    const r = await runCurl([
      '-sS',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      '-H',
      `Authorization: Bearer ${creds.controlToken}`,
      `${server.baseUrl}${path}`,
    ]);
    assert.equal(r.stdout, '200', `${path}: ${r.stderr}`);
  }
  assert.equal((await curlDigest(group)).code, 52);
});

test('metrics: scraped and parsed, counters move by exactly the calls made, buckets never fall', async () => {
  const call = digestClient();
  assert.equal((await call(group)).status, 200); // the nonce
  // Mail earlier tests queued is delivered now (reading the mailbox drains the outbox), not inside the window.
  await control('GET', '/_cloud-invites/mailbox');
  const before = await scrape();
  const labels = { operationId: 'getGroup', method: 'GET', status: '200' };
  for (let i = 0; i < 5; i++) assert.equal((await call(group)).status, 200);
  await addFault({ operationId: 'getGroup', error: { errorCode: 'GROUP_NOT_FOUND', parameters: ['x'] }, times: 2 });
  for (let i = 0; i < 2; i++) assert.equal((await call(group)).status, 404);
  // No credentials: the challenge, counted as an auth failure. Three event-list calls on a bucket of 2: one refusal.
  assert.equal((await fetch(group)).status, 401);
  const events = [];
  for (let i = 0; i < 3; i++) events.push((await call(`${group}/events`)).status);
  assert.deepEqual(events, [200, 200, 429]);
  // One invitation: its mail is queued, then delivered (captured) once the mailbox is read.
  assert.equal(
    (await call(invites, { method: 'POST', body: { username: 'metrics@example.com', roles: ['GROUP_READ_ONLY'] } }))
      .status,
    200,
  );
  assert.equal((await control('GET', '/_cloud-invites/mailbox?to=metrics@example.com')).json.length, 1);

  const now = await scrape();
  const delta = (name: string, l: Record<string, string>) => sampleValue(now, name, l) - sampleValue(before, name, l);
  assert.equal(delta('cloud_invites_http_requests_total', labels), 5);
  assert.equal(delta('cloud_invites_http_requests_total', { ...labels, status: '404' }), 2);
  // The latency histogram counts every answer of the operation: 5 + 2, and the unauthenticated 401.
  assert.equal(delta('cloud_invites_http_request_duration_seconds_count', { operationId: 'getGroup' }), 8);
  assert.equal(delta('cloud_invites_http_requests_total', { ...labels, status: '401' }), 1);
  assert.equal(
    delta('cloud_invites_http_requests_total', { operationId: 'listGroupEvents', method: 'GET', status: '429' }),
    1,
  );
  assert.equal(delta('cloud_invites_rate_limit_refusals_total', { bucket: 'events-group' }), 1);
  assert.equal(delta('cloud_invites_auth_failures_total', { kind: 'no_credentials' }), 1);
  assert.equal(delta('cloud_invites_faults_applied_total', { kind: 'error' }), 2);
  assert.equal(delta('cloud_invites_outbox_deliveries_total', { outcome: 'sent' }), 1);
  assert.equal(sampleValue(now, 'cloud_invites_outbox_deliveries_total', { outcome: 'failed' }), 0);
  assert.equal(sampleValue(now, 'cloud_invites_outbox_depth'), 0);
  assert.ok(sampleValue(now, 'cloud_invites_process_resident_memory_bytes') > 0);

  // Histogram buckets: cumulative, so never falling, ending at +Inf = _count.
  const buckets = now
    .filter(
      (s) => s.name === 'cloud_invites_http_request_duration_seconds_bucket' && s.labels.operationId === 'getGroup',
    )
    .map((s) => ({ le: s.labels.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(s.labels.le), value: s.value }));
  assert.ok(buckets.length >= 10);
  for (let i = 1; i < buckets.length; i++) {
    assert.ok(buckets[i].le > buckets[i - 1].le, 'bucket bounds ascend');
    assert.ok(buckets[i].value >= buckets[i - 1].value, 'bucket counts never fall');
  }
  assert.equal(buckets.at(-1)?.le, Number.POSITIVE_INFINITY);
  assert.equal(
    buckets.at(-1)?.value,
    sampleValue(now, 'cloud_invites_http_request_duration_seconds_count', { operationId: 'getGroup' }),
  );
});
