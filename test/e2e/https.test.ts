import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  CHALLENGE,
  type Credentials,
  type HttpResponse,
  parseInclude,
  type RunningServer,
  runCurl,
  startServer,
  tempDir,
  V2,
  V2_CONTENT_TYPE,
} from './server.ts';

/**
 * The real server over HTTPS (a self-signed certificate made here with openssl), driven by curl:
 * OAuth client credentials, Bearer use and revocation, Digest, and HTTP/2 by ALPN.
 */

let server: RunningServer;
let creds: Required<Credentials>;
let certDir: string;
let cacert: string;

before(async () => {
  certDir = tempDir();
  cacert = join(certDir, 'cert.pem');
  const key = join(certDir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-days',
      '1',
      '-keyout',
      key,
      '-out',
      cacert,
    ],
    { stdio: 'ignore' },
  );
  server = await startServer({ args: ['--tls-cert', cacert, '--tls-key', key] });
  assert.ok(server.creds?.clientId && server.creds.clientSecret, 'first start prints the service account');
  creds = server.creds as Required<Credentials>;
});
after(async () => {
  await server?.stop();
  if (certDir) rmSync(certDir, { recursive: true, force: true });
});

async function curl(args: string[]): Promise<HttpResponse[]> {
  const r = await runCurl(['--silent', '--show-error', '--cacert', cacert, '--include', ...args]);
  assert.equal(r.code, 0, `curl failed (${r.code}): ${r.stderr}`);
  return parseInclude(r.stdout);
}

async function token(): Promise<string> {
  const [res] = await curl([
    '-u',
    `${creds.clientId}:${creds.clientSecret}`,
    '-d',
    'grant_type=client_credentials',
    `${server.baseUrl}/api/oauth/token`,
  ]);
  assert.equal(res.status, 200, res.body);
  assert.equal(res.headers['cache-control'], 'no-store');
  const m = /^\{"access_token":"([\w-]+\.[\w-]+\.[\w-]+)","expires_in":3600,"token_type":"Bearer"\}$/.exec(res.body);
  assert.ok(m, res.body);
  return m[1];
}

test('the server says it listens on https://', () => {
  assert.match(server.baseUrl, /^https:\/\/127\.0\.0\.1:\d+$/);
});

test('curl gets a token with Basic client credentials and lists invitations with it', async () => {
  const invites = `${server.baseUrl}/api/atlas/v2/groups/${creds.groupId}/invites`;
  const t = await token();
  const [list] = await curl(['-H', `Authorization: Bearer ${t}`, '-H', `Accept: ${V2}`, invites]);
  assert.equal(list.status, 200, list.body);
  assert.equal(list.headers['content-type'], V2_CONTENT_TYPE);
  assert.equal(list.body, '[]');
  // an invitation made with the token names the service account as inviter
  const [created] = await curl([
    '-H',
    `Authorization: Bearer ${t}`,
    '-H',
    `Accept: ${V2}`,
    '-H',
    `Content-Type: ${V2}`,
    '-d',
    JSON.stringify({ roles: ['GROUP_READ_ONLY'], username: 'tls@example.com' }),
    invites,
  ]);
  assert.equal(created.status, 200, created.body);
  assert.equal(JSON.parse(created.body).inviterUsername, creds.clientId);
});

test('curl revokes the token; afterwards it gets the Digest challenge', async () => {
  const t = await token();
  const url = `${server.baseUrl}/api/atlas/v2/groups/${creds.groupId}/invites`;
  const [revoked] = await curl([
    '-u',
    `${creds.clientId}:${creds.clientSecret}`,
    '-d',
    `token=${t}&token_type_hint=access_token`,
    `${server.baseUrl}/api/oauth/revoke`,
  ]);
  assert.equal(revoked.status, 200);
  assert.equal(revoked.body, '');
  const [refused] = await curl(['-H', `Authorization: Bearer ${t}`, '-H', `Accept: ${V2}`, url]);
  assert.equal(refused.status, 401);
  assert.match(refused.headers['www-authenticate'], CHALLENGE);
});

test('Digest over HTTPS: the challenge, then the answer', async () => {
  const responses = await curl([
    '--digest',
    '--user',
    `${creds.publicKey}:${creds.privateKey}`,
    '-H',
    `Accept: ${V2}`,
    `${server.baseUrl}/api/atlas/v2/groups/${creds.groupId}/invites`,
  ]);
  assert.deepEqual(
    responses.map((r) => r.status),
    [401, 200],
  );
  assert.match(responses[0].headers['www-authenticate'], CHALLENGE);
  assert.equal(responses[1].headers['content-type'], V2_CONTENT_TYPE);
});

test('curl --http2 negotiates HTTP/2; --http1.1 still works', async () => {
  const url = `${server.baseUrl}/api/atlas/v2/groups/${creds.groupId}/invites`;
  const h2 = await runCurl([
    '--silent',
    '--show-error',
    '--cacert',
    cacert,
    '--include',
    '--http2',
    '-H',
    `Authorization: Bearer ${await token()}`,
    '-H',
    `Accept: ${V2}`,
    url,
  ]);
  assert.equal(h2.code, 0, h2.stderr);
  assert.match(h2.stdout, /^HTTP\/2 200/);
  const h1 = await runCurl([
    '--silent',
    '--show-error',
    '--cacert',
    cacert,
    '--include',
    '--http1.1',
    '--digest',
    '--user',
    `${creds.publicKey}:${creds.privateKey}`,
    '-H',
    `Accept: ${V2}`,
    url,
  ]);
  assert.equal(h1.code, 0, h1.stderr);
  assert.match(h1.stdout, /HTTP\/1\.1 200 OK/);
});

test('the certificate is really checked: without --cacert curl refuses it', async () => {
  const r = await runCurl(['--silent', `${server.baseUrl}/api/atlas/v2`]);
  assert.equal(r.code, 60, 'curl exit 60: peer certificate cannot be authenticated');
});

test('plain HTTP to the TLS port gets no answer at all', async () => {
  const r = await runCurl([
    '--silent',
    '--max-time',
    '5',
    '--include',
    `${server.baseUrl.replace('https:', 'http:')}/api/atlas/v2`,
  ]);
  assert.notEqual(r.code, 0);
  assert.equal(r.stdout, '');
});
