import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import DigestClient from 'digest-fetch';
import {
  CHALLENGE,
  type Credentials,
  DEPRECATION,
  HEX24,
  type RunningServer,
  startServer,
  SUNSET,
  V2,
  V2_CONTENT_TYPE,
} from './server.ts';

/** What went over the wire for one attempt digest-fetch made. */
interface Attempt {
  method: string;
  url: string;
  status: number;
  authorization?: string;
  challenge: string | null;
}

let server: RunningServer;
let creds: Credentials;
let invites: string;

before(async () => {
  server = await startServer();
  assert.ok(server.creds);
  creds = server.creds;
  invites = `${server.baseUrl}/api/atlas/v2/groups/${creds.groupId}/invites`;
});
after(async () => {
  await server?.stop();
});

/** A digest-fetch client whose underlying fetch records each attempt (digest-fetch itself is untouched). */
function client(privateKey = creds.privateKey) {
  const c = new DigestClient(creds.publicKey, privateKey);
  const log: Attempt[] = [];
  const recording = async (url: string, init: { method?: string; headers?: Record<string, string> } = {}) => {
    const authorization = init.headers?.Authorization;
    const res = await fetch(url, init as RequestInit);
    log.push({
      method: init.method ?? 'GET',
      url,
      status: res.status,
      authorization,
      challenge: res.headers.get('www-authenticate'),
    });
    return res;
  };
  c.getClient = async () => recording as typeof fetch;
  const call = async (method: string, url: string, body?: unknown, type = V2) => {
    const headers: Record<string, string> = { Accept: type };
    if (body !== undefined) headers['Content-Type'] = type;
    const res = (await c.fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    })) as Response;
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
  };
  return { call, log };
}

/** nonce and nc of a Digest Authorization header. */
function digestParams(header: string | undefined): { nonce: string; nc: number } {
  const h = header ?? '';
  assert.match(h, /^Digest /, 'a Digest Authorization header');
  const nonce = /nonce="([^"]+)"/.exec(h)?.[1];
  const nc = /nc=([0-9a-f]{8})/.exec(h)?.[1];
  assert.ok(nonce && nc);
  return { nonce, nc: Number.parseInt(nc, 16) };
}

const DAYS_30 = 30 * 24 * 3600 * 1000;
function assertInvitation(inv: Record<string, unknown>, username: string, roles: string[]): void {
  assert.deepEqual(Object.keys(inv).sort(), [
    'createdAt',
    'expiresAt',
    'groupId',
    'groupName',
    'id',
    'inviterUsername',
    'roles',
    'username',
  ]);
  assert.equal(Date.parse(inv.expiresAt as string) - Date.parse(inv.createdAt as string), DAYS_30);
  assert.ok(Math.abs(Date.now() - Date.parse(inv.createdAt as string)) < 60_000);
  assert.equal(inv.groupId, creds.groupId);
  assert.equal(inv.groupName, 'Project-0');
  assert.match(inv.id as string, HEX24);
  assert.equal(inv.inviterUsername, creds.publicKey);
  assert.deepEqual(inv.roles, roles);
  assert.equal(inv.username, username);
}

test('seed 000 flow: two POSTs and the list, one challenge for the whole session', async () => {
  const { call, log } = client();
  const made = [];
  for (const [username, roles] of [
    ['frank@example.com', ['GROUP_READ_ONLY']],
    ['grace@example.com', ['GROUP_OWNER']],
  ] as const) {
    const r = await call('POST', `${invites}?pretty=true`, { username, roles });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers.get('content-type'), V2_CONTENT_TYPE);
    assert.equal(r.headers.get('deprecation'), DEPRECATION);
    assert.equal(r.headers.get('sunset'), SUNSET);
    assertInvitation(r.json(), username, [...roles]);
    made.push(r.json());
  }
  const list = await call('GET', `${invites}?pretty=true`);
  assert.equal(list.status, 200);
  assert.equal(list.headers.get('content-type'), V2_CONTENT_TYPE);
  assert.ok(list.headers.get('strict-transport-security'));
  assert.ok(list.headers.get('x-mongodb-service-version'));
  const sorted = (a: Array<{ username: string }>) => [...a].sort((x, y) => x.username.localeCompare(y.username));
  assert.deepEqual(sorted(list.json()), sorted(made));

  assert.deepEqual(
    log.map((a) => a.status),
    [401, 200, 200, 200],
    'only the first request is challenged',
  );
  assert.match(log[0].challenge ?? '', CHALLENGE);
  assert.equal(log[0].authorization, undefined);
});

test('seed 001 flow: one invitation by id on v1.0', async () => {
  const { call } = client();
  const created = await call(
    'POST',
    `${server.baseUrl}/api/public/v1.0/groups/${creds.groupId}/invites`,
    { username: 'heidi@example.com', roles: ['GROUP_USER_ADMIN'] },
    'application/json',
  );
  assert.equal(created.status, 200, created.text);
  const r = await call(
    'GET',
    `${server.baseUrl}/api/public/v1.0/groups/${creds.groupId}/invites/${created.json().id}?pretty=true`,
    undefined,
    'application/json',
  );
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('content-type'), 'application/json');
  assert.equal(r.headers.get('deprecation'), null);
  assertInvitation(r.json(), 'heidi@example.com', ['GROUP_USER_ADMIN']);
  assert.deepEqual(r.json(), created.json());
});

test('sequential requests reuse one nonce with a rising nc', async () => {
  const { call, log } = client();
  for (let i = 0; i < 5; i++) assert.equal((await call('GET', `${invites}?pretty=true`)).status, 200);
  assert.deepEqual(
    log.map((a) => a.status),
    [401, 200, 200, 200, 200, 200],
  );
  const used = log.slice(1).map((a) => digestParams(a.authorization));
  const issued = /nonce="([^"]+)"/.exec(log[0].challenge ?? '')?.[1];
  assert.ok(
    used.every((u) => u.nonce === issued),
    'every request signs with the one issued nonce',
  );
  assert.deepEqual(
    used.map((u) => u.nc),
    [1, 2, 3, 4, 5],
  );
});

test('a replayed Authorization header, or one moved to another URI, is refused', async () => {
  const { call, log } = client();
  assert.equal((await call('GET', `${invites}?pretty=true`)).status, 200);
  const accepted = log.at(-1)?.authorization;
  assert.ok(accepted);
  const replay = await fetch(`${invites}?pretty=true`, { headers: { Accept: V2, Authorization: accepted } });
  assert.equal(replay.status, 401);
  assert.match(replay.headers.get('www-authenticate') ?? '', CHALLENGE);

  // A fresh, correctly signed header for uri A (same nonce, unused nc): refused on B, accepted on A.
  const { nonce } = digestParams(accepted);
  const pathA = `${new URL(invites).pathname}?pretty=true`;
  const signed = sign(nonce, 99, pathA);
  const moved = await fetch(`${invites}?pretty=false`, { headers: { Accept: V2, Authorization: signed } });
  assert.equal(moved.status, 401, 'the signed uri must match the request URI');
  const inPlace = await fetch(`${server.baseUrl}${pathA}`, { headers: { Accept: V2, Authorization: signed } });
  assert.equal(inPlace.status, 200, 'the same header is valid on its own URI');
});

/** An RFC 2617 qop=auth Authorization header signed here, independently of digest-fetch. */
function sign(nonce: string, nc: number, uri: string, method = 'GET'): string {
  const md5 = (s: string) => createHash('md5').update(s).digest('hex');
  const ha1 = md5(`${creds.publicKey}:MMS Public API:${creds.privateKey}`);
  const ncs = nc.toString(16).padStart(8, '0');
  const cnonce = '0a4f113b';
  const response = md5(`${ha1}:${nonce}:${ncs}:${cnonce}:auth:${md5(`${method}:${uri}`)}`);
  return `Digest username="${creds.publicKey}", realm="MMS Public API", nonce="${nonce}", uri="${uri}", qop=auth, nc=${ncs}, cnonce="${cnonce}", response="${response}", algorithm=MD5`;
}

async function tenParallel(call: ReturnType<typeof client>['call'], log: Attempt[]): Promise<Attempt[]> {
  const from = log.length;
  const results = await Promise.all(Array.from({ length: 10 }, () => call('GET', `${invites}?pretty=true`)));
  assert.deepEqual(
    results.map((r) => r.status),
    Array(10).fill(200),
  );
  for (const r of results) assert.ok(Array.isArray(r.json()));
  const ok = log
    .slice(from)
    .filter((a) => a.status === 200)
    .map((a) => digestParams(a.authorization));
  assert.equal(ok.length, 10);
  assert.equal(new Set(ok.map((p) => `${p.nonce}/${p.nc}`)).size, 10, 'no (nonce, nc) pair was accepted twice');
  return log.slice(from);
}

test('10 parallel GETs on a fresh client all succeed', async () => {
  const { call, log } = client();
  await tenParallel(call, log);
});

test('10 parallel GETs on a client that already holds a nonce all succeed (replays re-challenged)', async () => {
  const { call, log } = client();
  assert.equal((await call('GET', `${invites}?pretty=true`)).status, 200);
  const attempts = await tenParallel(call, log);
  // digest-fetch sends all ten with the same nonce and nc: exactly one may pass, nine are replays.
  const byHeader = new Map<string | undefined, Attempt[]>();
  for (const a of attempts) byHeader.set(a.authorization, [...(byHeader.get(a.authorization) ?? []), a]);
  const firstRound = [...byHeader.values()].find((group) => group.length === 10);
  assert.ok(firstRound, 'ten attempts shared one Authorization header');
  assert.deepEqual(firstRound.map((a) => a.status).sort(), [200, ...Array(9).fill(401)]);
  assert.equal(attempts.length, 19, 'each of the nine replays was retried once and passed');
});

test('a wrong private key ends in 401', async () => {
  const { call, log } = client('00000000-0000-4000-8000-000000000000');
  const r = await call('GET', `${invites}?pretty=true`);
  assert.equal(r.status, 401);
  assert.equal(r.json().error, 401);
  assert.deepEqual(
    log.map((a) => a.status),
    [401, 401],
  );
  assert.match(log[1].challenge ?? '', CHALLENGE);
});

test('PATCH and DELETE (204) through digest-fetch', async () => {
  const { call } = client();
  const created = (await call('POST', invites, { username: 'ivan@example.com', roles: ['GROUP_READ_ONLY'] })).json();
  const patched = await call('PATCH', `${invites}/${created.id}`, {
    roles: ['GROUP_BACKUP_MANAGER', 'GROUP_READ_ONLY'],
  });
  assert.equal(patched.status, 200, patched.text);
  assert.deepEqual(patched.json(), { ...created, roles: ['GROUP_BACKUP_MANAGER', 'GROUP_READ_ONLY'] });

  const byName = await call('PATCH', invites, { username: 'ivan@example.com', roles: ['GROUP_OWNER'] });
  assert.equal(byName.status, 200, byName.text);
  assert.deepEqual(byName.json(), { ...created, roles: ['GROUP_OWNER'] });

  const del = await call('DELETE', `${invites}/${created.id}`);
  assert.equal(del.status, 204);
  assert.equal(del.text, '');
  assert.equal(del.headers.get('content-type'), V2_CONTENT_TYPE);
  const gone = await call('GET', `${invites}/${created.id}`);
  assert.equal(gone.status, 404);
  assert.equal(gone.json().errorCode, 'INVALID_INVITATION_ID');
});
