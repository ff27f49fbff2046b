import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { HEX24, parseInclude, runCurl, startServer, UUID, V2 } from '../e2e/server.ts';

const TOKEN = 'cit_id-seed-test';
const PUBLIC_URL = 'http://cloud-invites.test';

/**
 * One scripted suite, as a CI job would run it with curl: every response in full (status line,
 * headers in order, body), the Digest challenges included.
 */
async function suite(seed: string): Promise<{ transcript: string; creds: unknown }> {
  const server = await startServer({
    args: ['--id-seed', seed, '--control-plane', '--control-token', TOKEN, '--public-url', PUBLIC_URL],
  });
  stops.push(server.stop);
  const creds = server.creds;
  assert.ok(creds?.clientId && creds.clientSecret);
  const base = server.baseUrl;
  const out: string[] = [];
  const curl = async (name: string, args: string[]) => {
    const r = await runCurl(['--silent', '--show-error', '--include', ...args]);
    assert.equal(r.code, 0, r.stderr);
    out.push(`### ${name}\n${r.stdout}`);
    return parseInclude(r.stdout).at(-1) as { status: number; body: string };
  };
  const control = (name: string, method: string, path: string, body?: unknown) =>
    curl(name, [
      '--request',
      method,
      '--header',
      `Authorization: Bearer ${TOKEN}`,
      ...(body ? ['--header', 'Content-Type: application/json', '--data', JSON.stringify(body)] : []),
      `${base}/_cloud-invites${path}`,
    ]);
  const api = (name: string, method: string, path: string, body?: unknown) =>
    curl(name, [
      '--digest',
      '--user',
      `${creds.publicKey}:${creds.privateKey}`,
      '--request',
      method,
      '--header',
      `Accept: ${V2}`,
      ...(body ? ['--header', `Content-Type: ${V2}`, '--data', JSON.stringify(body)] : []),
      `${base}/api/atlas/v2${path}`,
    ]);

  await control('set the clock', 'POST', '/clock', { set: '2025-03-01T12:00:00Z' });
  const key = await api('createApiKey', 'POST', `/orgs/${creds.orgId}/apiKeys`, {
    desc: 'ci key',
    roles: ['ORG_MEMBER'],
  });
  assert.equal(key.status, 200, key.body);
  assert.match(JSON.parse(key.body).privateKey, UUID);
  const invites = `/groups/${creds.groupId}/invites`;
  const first = await api('createGroupInvite a', 'POST', invites, {
    username: 'a@example.com',
    roles: ['GROUP_READ_ONLY'],
  });
  assert.equal(first.status, 200, first.body);
  const firstId = JSON.parse(first.body).id as string;
  assert.match(firstId, HEX24);
  await api('createGroupInvite b', 'POST', invites, { username: 'b@example.com', roles: ['GROUP_OWNER'] });
  await api('createOrgInvite', 'POST', `/orgs/${creds.orgId}/invites`, {
    username: 'c@example.com',
    roles: ['ORG_MEMBER'],
  });
  await api('listGroupInvites', 'GET', invites);
  await api('getGroupInvite', 'GET', `${invites}/${firstId}`);
  const deleted = await api('deleteGroupInvite', 'DELETE', `${invites}/${firstId}`);
  assert.equal(deleted.status, 204, deleted.body);
  await api('listGroupInvites again', 'GET', invites);
  const token = await curl('OAuth token', [
    '--user',
    `${creds.clientId}:${creds.clientSecret}`,
    '--data',
    'grant_type=client_credentials',
    `${base}/api/oauth/token`,
  ]);
  assert.equal(token.status, 200, token.body);
  await control('mailbox (invitation links)', 'GET', '/mailbox');
  await control('snapshot', 'POST', '/snapshots');
  return { transcript: out.join('\n'), creds };
}

const stops: Array<() => Promise<void>> = [];
after(async () => {
  for (const stop of stops) await stop();
});

test('two runs with the same --id-seed and clock answer byte for byte alike; another seed does not', async () => {
  const one = await suite('20261203');
  const two = await suite('20261203');
  assert.deepEqual(two.creds, one.creds, 'first-start credentials');
  assert.equal(two.transcript, one.transcript);
  // What the transcript holds that a run without a seed would make differently.
  assert.match(
    one.transcript,
    /^WWW-Authenticate: Digest realm="MMS Public API", domain="", nonce="[A-Za-z0-9+/]{32}"/im,
  );
  assert.match(one.transcript, /^date: Sat, 01 Mar 2025 12:00:00 GMT\r$/m);
  assert.match(one.transcript, /"access_token":"[^"]+"/);
  assert.match(one.transcript, /\/console\/invitations\/[A-Za-z0-9_-]{43}\/accept/);
  const other = await suite('20261204');
  assert.notEqual(other.transcript, one.transcript);
  assert.notDeepEqual(other.creds, one.creds);
});
