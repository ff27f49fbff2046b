// End to end: the real digest-fetch client (a devDependency) against a node:http
// server guarded by verifyDigest, including the transparent retry on stale=true.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import DigestClient from 'digest-fetch';
import { digestChallenge } from './challenge.ts';
import { createMemoryNonceCountStore } from './nonce-counts.ts';
import { createNonceService } from './nonce.ts';
import { verifyDigest } from './verify.ts';

const USER = 'xjwqkfhp';
const PASSWORD = '5e1b7c3a-9f0d-4e2b-8a6c-1d2e3f4a5b6c';
const clock = { t: 1_700_000_000_000 };
const now = () => clock.t;
const nonces = createNonceService({ secret: Buffer.alloc(32, 1), now });
const counts = createMemoryNonceCountStore({ now });
const log: string[] = [];

const server = createServer(async (req, res) => {
  const result = await verifyDigest({
    header: req.headers.authorization,
    method: req.method ?? '',
    requestUri: req.url ?? '',
    nonces,
    counts,
    lookupPassword: async (u) => (u === USER ? PASSWORD : null),
  });
  log.push(`${req.method} ${req.url} ${result.ok ? 200 : 401}${!result.ok && result.stale ? ' stale' : ''}`);
  if (result.ok) {
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`hello ${result.username}`);
  } else {
    res.writeHead(401, { 'www-authenticate': digestChallenge(nonces.issue(), result.stale) }).end();
  }
});
let base = '';

before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server.closeAllConnections();
  server.close();
});

test('digest-fetch authenticates, reuses the nonce with increasing nc, and recovers from stale', async () => {
  const client = new DigestClient(USER, PASSWORD);
  const path = '/api/atlas/v2/groups/65f1c0ffee0123456789abcd/invites';
  const r1 = await client.fetch(`${base}${path}?pageNum=1&itemsPerPage=100`);
  assert.equal(r1.status, 200);
  assert.equal(await r1.text(), `hello ${USER}`);
  const r2 = await client.fetch(`${base}${path}`, { method: 'POST', body: '{}' });
  assert.equal(r2.status, 200);
  await r2.text();

  clock.t += 300_001; // the client's nonce expires
  const r3 = await client.fetch(`${base}${path}/65f1d00d0123456789abcdef`, { method: 'DELETE' });
  assert.equal(r3.status, 200);
  await r3.text();

  assert.deepEqual(log, [
    `GET ${path}?pageNum=1&itemsPerPage=100 401`,
    `GET ${path}?pageNum=1&itemsPerPage=100 200`,
    `POST ${path} 200`,
    `DELETE ${path}/65f1d00d0123456789abcdef 401 stale`,
    `DELETE ${path}/65f1d00d0123456789abcdef 200`,
  ]);
});

test('digest-fetch with a wrong private key is refused', async () => {
  log.length = 0;
  const client = new DigestClient(USER, 'not-the-key');
  const r = await client.fetch(`${base}/api/atlas/v2/groups`);
  assert.equal(r.status, 401);
  assert.match(
    r.headers.get('www-authenticate') ?? '',
    /^Digest realm="MMS Public API", domain="", nonce="[A-Za-z0-9+/]{32}", algorithm=MD5, qop="auth", stale=false$/,
  );
  assert.deepEqual(log, ['GET /api/atlas/v2/groups 401', 'GET /api/atlas/v2/groups 401']);
});
