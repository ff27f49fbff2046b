import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { type AddressInfo, connect } from 'node:net';
import { after, before, test } from 'node:test';
import { type TestWorld, testWorld } from '../helpers/app.ts';

let w: TestWorld;
before(async () => {
  w = await testWorld();
});
after(() => w.close());

/** The app on a loopback port (listening from the first call on). */
async function port(): Promise<number> {
  if (!w.app.server.listening) await w.app.listen({ port: 0, host: '127.0.0.1' });
  return (w.app.server.address() as AddressInfo).port;
}

test('a request line Node cannot parse gets an Atlas error body on a real socket', async () => {
  const p = await port();
  const raw = await new Promise<string>((resolve, reject) => {
    const socket = connect(p, '127.0.0.1', () => {
      // raw UTF-8 in the request target, as curl sends an unencoded "josé"
      socket.write(
        Buffer.concat([
          Buffer.from('GET /api/atlas/v2/groups/x/invites?username=jos'),
          Buffer.from([0xc3, 0xa9]),
          Buffer.from(' HTTP/1.1\r\nHost: x\r\n\r\n'),
        ]),
      );
    });
    let data = '';
    socket.on('data', (c) => {
      data += c;
    });
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
  });
  assert.match(raw, /^HTTP\/1\.1 400 Bad Request\r\n/);
  assert.match(raw, /\r\nX-Error-Code: VALIDATION_ERROR\r\n/);
  assert.ok(
    raw.endsWith(
      '{"detail":"The request content produced the validation error: the request line is malformed.","error":400,"errorCode":"VALIDATION_ERROR","parameters":["the request line is malformed"],"reason":"Bad Request"}',
    ),
    raw,
  );
});

test('the token endpoint answers an unreadable or oversized body the RFC 6749 way', async () => {
  const big = await w.app.inject({
    method: 'POST',
    url: '/api/oauth/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Basic eDp5' },
    payload: `grant_type=client_credentials&pad=${'a'.repeat(1_100_000)}`,
  });
  assert.equal(big.statusCode, 400);
  assert.equal(big.body, '{"error_description":"The request body could not be read.","error":"invalid_request"}');
});

/** Writes `request` on a fresh connection and returns everything the server sends until it closes. */
async function rawExchange(request: string): Promise<string> {
  const p = await port();
  return new Promise<string>((resolve, reject) => {
    const socket = connect(p, '127.0.0.1', () => socket.write(request, 'latin1'));
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (c) => {
      data += c;
    });
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
  });
}

const notFound = (path: string) =>
  `{"detail":"Cannot find resource ${path}.","error":404,"errorCode":"RESOURCE_NOT_FOUND","parameters":["${path}"],"reason":"Not Found"}`;

test('CONNECT gets an answer: 404 RESOURCE_NOT_FOUND for an authority, the Digest challenge on an API path', async () => {
  const tunnel = await rawExchange('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
  assert.match(tunnel, /^HTTP\/1\.1 404 Not Found\r\n/);
  assert.match(tunnel, /\r\nx-error-code: RESOURCE_NOT_FOUND\r\n/i);
  assert.match(tunnel, /\r\nconnection: close\r\n/i);
  assert.ok(tunnel.endsWith(`\r\n\r\n${notFound('example.com:443')}`), tunnel);
  const api = await rawExchange(`CONNECT /api/atlas/v2/groups/${w.groupId}/invites HTTP/1.1\r\nHost: x\r\n\r\n`);
  assert.match(api, /^HTTP\/1\.1 401 Unauthorized\r\n/);
  assert.match(api, /\r\nwww-authenticate: Digest realm="MMS Public API"/i);
  assert.ok(api.endsWith('"errorCode" : "UNEXPECTED_ERROR"\n}'), api);
});

test('a method Node does not know (FOO, BREW) is a method the path does not have: 404 RESOURCE_NOT_FOUND', async () => {
  for (const method of ['FOO', 'BREW']) {
    const raw = await rawExchange(
      `${method} /api/atlas/v2/groups?pretty=true HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}`,
    );
    assert.match(raw, /^HTTP\/1\.1 404 Not Found\r\n/, method);
    assert.match(raw, /\r\nX-Error-Code: RESOURCE_NOT_FOUND\r\n/);
    assert.ok(raw.endsWith(`\r\n\r\n${notFound('/api/atlas/v2/groups')}`), raw);
  }
});

function curl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('curl', ['--silent', '--show-error', '--max-time', '10', ...args], (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

test('curl: -X PROPFIND and -X FOO get Atlas errors, and a CONNECT tunnel through us is refused with 404', async () => {
  const base = `http://127.0.0.1:${await port()}`;
  const propfind = await curl(['-X', 'PROPFIND', '--include', `${base}/api/atlas/v2`]);
  assert.equal(propfind.code, 0, propfind.stderr);
  assert.match(propfind.stdout, /^HTTP\/1\.1 401 /);
  const foo = await curl(['-X', 'FOO', '--include', `${base}/api/atlas/v2`]);
  assert.equal(foo.code, 0, foo.stderr);
  assert.match(foo.stdout, /^HTTP\/1\.1 404 /);
  assert.ok(foo.stdout.endsWith(notFound('/api/atlas/v2')), foo.stdout);
  const tunnel = await curl(['--proxytunnel', '--proxy', base, 'https://example.com/']);
  assert.equal(tunnel.code, 56, tunnel.stderr);
  assert.match(tunnel.stderr, /CONNECT tunnel failed, response 404/);
});

const bodyOf = (raw: string) => raw.slice(raw.indexOf('\r\n\r\n') + 4);

test('HTTP/1.1 without Host: 400 VALIDATION_ERROR in Atlas shape (Node would send an empty 400)', async () => {
  const raw = await rawExchange(
    `GET /api/atlas/v2/groups/${w.groupId}/invites HTTP/1.1\r\nAccept: application/vnd.atlas.2023-01-01+json\r\nConnection: close\r\n\r\n`,
  );
  assert.match(raw, /^HTTP\/1\.1 400 Bad Request\r\n/);
  assert.match(raw, /\r\nx-error-code: VALIDATION_ERROR\r\n/i);
  assert.equal(
    JSON.parse(bodyOf(raw)).detail,
    'The request content produced the validation error: the Host header is missing.',
  );
});

test('an Expect other than 100-continue: an Atlas error body, not an empty 417', async () => {
  const raw = await rawExchange(
    `GET /api/atlas/v2/groups/${w.groupId}/invites HTTP/1.1\r\nHost: x\r\nExpect: something-else\r\nConnection: close\r\n\r\n`,
  );
  assert.match(raw, /^HTTP\/1\.1 400 Bad Request\r\n/);
  assert.equal(JSON.parse(bodyOf(raw)).errorCode, 'VALIDATION_ERROR');
});

test('HEAD past the header limit: 400 with no body, so the client reads no stray bytes', async () => {
  const raw = await rawExchange(
    `HEAD /api/atlas/v2/groups/x/invites?x=${'y'.repeat(17_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
  );
  assert.match(raw, /^HTTP\/1\.1 400 Bad Request\r\n/);
  assert.match(raw, /\r\nContent-Length: 0\r\n/);
  assert.equal(bodyOf(raw), '');
  const get = await rawExchange(
    `GET /api/atlas/v2/groups/x/invites?x=${'y'.repeat(17_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
  );
  assert.equal(JSON.parse(bodyOf(get)).errorCode, 'VALIDATION_ERROR');
});
