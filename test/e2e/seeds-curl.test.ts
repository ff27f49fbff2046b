import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CHALLENGE,
  type Credentials,
  DEPRECATION,
  HEX24,
  type HttpResponse,
  parseInclude,
  type RunningServer,
  runCurl,
  startServer,
  SUNSET,
  V2,
  V2_CONTENT_TYPE,
} from './server.ts';

// The seeds' curl commands, verbatim apart from host, ids and keys (000: Atlas v2, 001: Cloud Manager v1.0).
const seed000 = (c: Credentials, base: string) => [
  '--user',
  `${c.publicKey}:${c.privateKey}`,
  '--digest',
  '--include',
  '--header',
  'Accept: application/vnd.atlas.2023-01-01+json',
  '-X',
  'GET',
  `${base}/api/atlas/v2/groups/${c.groupId}/invites?pretty=true`,
];
const seed001 = (c: Credentials, base: string, invitationId: string) => [
  '--user',
  `${c.publicKey}:${c.privateKey}`,
  '--digest',
  '--include',
  '--header',
  'Accept: application/json',
  '--request',
  'GET',
  `${base}/api/public/v1.0/groups/${c.groupId}/invites/${invitationId}?pretty=true`,
];
/** The same shape with a body, for POST and PATCH. */
const withBody = (c: Credentials, method: string, url: string, body: unknown, type = V2) => [
  '--user',
  `${c.publicKey}:${c.privateKey}`,
  '--digest',
  '--include',
  '--header',
  `Accept: ${type}`,
  '-H',
  `Content-Type: ${type}`,
  '-X',
  method,
  url,
  '-d',
  JSON.stringify(body),
];

let server: RunningServer;
let creds: Credentials;
let invites: string;

before(async () => {
  server = await startServer();
  assert.ok(server.creds, 'first start prints the credentials');
  creds = server.creds;
  invites = `${server.baseUrl}/api/atlas/v2/groups/${creds.groupId}/invites`;
});
after(async () => {
  await server?.stop();
});

async function curl(args: string[]): Promise<HttpResponse[]> {
  const r = await runCurl(args);
  assert.equal(r.code, 0, `curl failed: ${r.stderr}`);
  return parseInclude(r.stdout);
}

/** One Digest round trip: the 401 challenge, then the final answer. Returns the final one. */
function afterChallenge(responses: HttpResponse[], status: number): HttpResponse {
  assert.equal(responses.length, 2, `expected challenge + answer, got ${responses.map((r) => r.status)}`);
  const [challenge, final] = responses;
  assert.equal(challenge.status, 401);
  assert.match(challenge.headers['www-authenticate'], CHALLENGE);
  assert.equal(final.status, status, final.body);
  assert.ok(final.headers['strict-transport-security'], 'Strict-Transport-Security');
  assert.match(final.headers['x-mongodb-service-version'], /^gitHash=[0-9a-f]{40}; versionString=\S+$/);
  return final;
}

function assertV2Headers(r: HttpResponse): void {
  assert.equal(r.headers['content-type'], V2_CONTENT_TYPE);
  assert.equal(r.headers.deprecation, DEPRECATION);
  assert.equal(r.headers.sunset, SUNSET);
}

const FIELDS = ['createdAt', 'expiresAt', 'groupId', 'groupName', 'id', 'inviterUsername', 'roles', 'username'];
const DAYS_30 = 30 * 24 * 3600 * 1000;
const startedAt = Math.floor(Date.now() / 1000) * 1000;

function assertInvitation(inv: Record<string, unknown>, expected: { username: string; roles: string[] }): void {
  assert.deepEqual(Object.keys(inv).sort(), FIELDS);
  assert.match(inv.createdAt as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.match(inv.expiresAt as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const created = Date.parse(inv.createdAt as string);
  assert.ok(created >= startedAt && created <= Date.now(), `createdAt ${inv.createdAt} is now`);
  assert.equal(Date.parse(inv.expiresAt as string) - created, DAYS_30, 'expiresAt = createdAt + 30 days');
  assert.equal(inv.groupId, creds.groupId);
  assert.equal(inv.groupName, 'Project-0');
  assert.match(inv.id as string, HEX24);
  assert.equal(inv.inviterUsername, creds.publicKey);
  assert.deepEqual(inv.roles, expected.roles);
  assert.equal(inv.username, expected.username);
}

/** A pretty body: several lines, then valid JSON. */
function prettyJson(r: HttpResponse): unknown {
  assert.ok(r.body.trim().split('\n').length > 3, `pretty=true gives a multi-line body: ${r.body}`);
  return JSON.parse(r.body);
}

/** POST on Atlas v2, or on Cloud Manager v1.0 with plain application/json. */
async function createInvite(username: string, roles: string[], v1 = false): Promise<Record<string, unknown>> {
  const url = v1
    ? `${server.baseUrl}/api/public/v1.0/groups/${creds.groupId}/invites?pretty=true`
    : `${invites}?pretty=true`;
  const body = { username, roles };
  const final = afterChallenge(await curl(withBody(creds, 'POST', url, body, v1 ? 'application/json' : V2)), 200);
  if (v1) assert.equal(final.headers['content-type'], 'application/json');
  else assertV2Headers(final);
  const inv = prettyJson(final) as Record<string, unknown>;
  assertInvitation(inv, { username, roles });
  return inv;
}

test('seed 000: two invitations created over curl --digest, then listed with the seed command', async () => {
  const a = await createInvite('alice@example.com', ['GROUP_READ_ONLY']);
  const b = await createInvite('bob@example.com', ['GROUP_OWNER', 'GROUP_DATA_ACCESS_READ_WRITE']);
  assert.notEqual(a.id, b.id);

  const final = afterChallenge(await curl(seed000(creds, server.baseUrl)), 200);
  assertV2Headers(final);
  const list = prettyJson(final) as Array<Record<string, unknown>>;
  assert.ok(Array.isArray(list), 'the v2 list is a bare array');
  assert.equal(list.length, 2);
  const byName = Object.fromEntries(list.map((i) => [i.username, i]));
  assertInvitation(byName['alice@example.com'], { username: 'alice@example.com', roles: ['GROUP_READ_ONLY'] });
  assertInvitation(byName['bob@example.com'], {
    username: 'bob@example.com',
    roles: ['GROUP_OWNER', 'GROUP_DATA_ACCESS_READ_WRITE'],
  });
  assert.deepEqual(byName['alice@example.com'], a);
  assert.deepEqual(byName['bob@example.com'], b);
});

test('seed 001: one invitation by id on Cloud Manager v1.0', async () => {
  const created = await createInvite('carol@example.com', ['GROUP_USER_ADMIN'], true);
  const final = afterChallenge(await curl(seed001(creds, server.baseUrl, created.id as string)), 200);
  assert.equal(final.headers['content-type'], 'application/json');
  assert.equal(final.headers.deprecation, undefined, 'v1.0 is not deprecated');
  assert.equal(final.headers.sunset, undefined);
  const inv = prettyJson(final) as Record<string, unknown>;
  assertInvitation(inv, { username: 'carol@example.com', roles: ['GROUP_USER_ADMIN'] });
  assert.deepEqual(inv, created);
});

test('a wrong private key ends in 401 with a fresh challenge', async () => {
  const wrong = { ...creds, privateKey: '00000000-0000-4000-8000-000000000000' };
  const responses = await curl(seed000(wrong, server.baseUrl));
  assert.deepEqual(
    responses.map((r) => r.status),
    [401, 401],
  );
  const final = responses[1];
  assert.match(final.headers['www-authenticate'], CHALLENGE);
  assert.notEqual(final.headers['www-authenticate'], responses[0].headers['www-authenticate'], 'a new nonce');
  assert.equal(final.headers['content-type'], 'application/json');
  const body = JSON.parse(final.body) as Record<string, unknown>;
  assert.equal(body.error, 401);
  assert.equal(body.reason, 'Unauthorized');
});

test('PATCH over Digest replaces the roles and keeps id and dates', async () => {
  const created = await createInvite('dave@example.com', ['GROUP_READ_ONLY']);
  const url = `${invites}/${created.id}?pretty=true`;
  const final = afterChallenge(await curl(withBody(creds, 'PATCH', url, { roles: ['GROUP_CLUSTER_MANAGER'] })), 200);
  assertV2Headers(final);
  const patched = prettyJson(final) as Record<string, unknown>;
  assert.deepEqual(patched, { ...created, roles: ['GROUP_CLUSTER_MANAGER'] });

  const again = afterChallenge(await curl(seed001(creds, server.baseUrl, created.id as string)), 200);
  assert.deepEqual(JSON.parse(again.body), patched, 'the change is stored');
});

test('DELETE over Digest answers 204 and the invitation is gone', async () => {
  const created = await createInvite('erin@example.com', ['GROUP_READ_ONLY']);
  const del = [
    '--user',
    `${creds.publicKey}:${creds.privateKey}`,
    '--digest',
    '--include',
    '--header',
    `Accept: ${V2}`,
    '-X',
    'DELETE',
    `${invites}/${created.id}`,
  ];
  const final = afterChallenge(await curl(del), 204);
  assert.equal(final.body, '');
  assertV2Headers(final);

  const gone = afterChallenge(await curl(seed001(creds, server.baseUrl, created.id as string)), 404);
  assert.equal((JSON.parse(gone.body) as { errorCode: string }).errorCode, 'INVALID_INVITATION_ID');
  const list = JSON.parse(afterChallenge(await curl(seed000(creds, server.baseUrl)), 200).body) as Array<{
    id: string;
  }>;
  assert.ok(!list.some((i) => i.id === created.id));

  const twice = afterChallenge(await curl(del), 400);
  assert.equal((JSON.parse(twice.body) as { errorCode: string }).errorCode, 'INVALID_INVITATION_ID');
});
