import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, test } from 'node:test';
import { type TestWorld, testWorld } from '../helpers/app.ts';

let w: TestWorld;
before(async () => {
  w = await testWorld();
});
after(() => w.close());

test('a request line Node cannot parse gets an Atlas error body on a real socket', async () => {
  const address = await w.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = new URL(address);
  const raw = await new Promise<string>((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => {
      // raw UTF-8 in the request target, as curl sends an unencoded "josé"
      socket.write(Buffer.concat([Buffer.from('GET /api/atlas/v2/groups/x/invites?username=jos'), Buffer.from([0xc3, 0xa9]), Buffer.from(' HTTP/1.1\r\nHost: x\r\n\r\n')]));
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
  assert.ok(raw.endsWith('{"detail":"The request content produced the validation error: the request line is malformed.","error":400,"errorCode":"VALIDATION_ERROR","parameters":["the request line is malformed"],"reason":"Bad Request"}'), raw);
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

/** Sends raw bytes on a real socket and returns everything the server answers until it closes. */
async function rawExchange(bytes: string): Promise<string> {
  const address = w.app.server.listening ? `http://127.0.0.1:${(w.app.server.address() as { port: number }).port}` : await w.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = new URL(address);
  return new Promise<string>((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(bytes, 'latin1'));
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (c) => {
      data += c;
    });
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
  });
}

const bodyOf = (raw: string) => raw.slice(raw.indexOf('\r\n\r\n') + 4);

test('HTTP/1.1 without Host: 400 VALIDATION_ERROR in Atlas shape (Node would send an empty 400)', async () => {
  const raw = await rawExchange(`GET /api/atlas/v2/groups/${w.groupId}/invites HTTP/1.1\r\nAccept: application/vnd.atlas.2023-01-01+json\r\nConnection: close\r\n\r\n`);
  assert.match(raw, /^HTTP\/1\.1 400 Bad Request\r\n/);
  assert.match(raw, /\r\nx-error-code: VALIDATION_ERROR\r\n/i);
  assert.equal(JSON.parse(bodyOf(raw)).detail, 'The request content produced the validation error: the Host header is missing.');
});

test('an Expect other than 100-continue: an Atlas error body, not an empty 417', async () => {
  const raw = await rawExchange(`GET /api/atlas/v2/groups/${w.groupId}/invites HTTP/1.1\r\nHost: x\r\nExpect: something-else\r\nConnection: close\r\n\r\n`);
  assert.match(raw, /^HTTP\/1\.1 400 Bad Request\r\n/);
  assert.equal(JSON.parse(bodyOf(raw)).errorCode, 'VALIDATION_ERROR');
});

test('HEAD past the header limit: 400 with no body, so the client reads no stray bytes', async () => {
  const raw = await rawExchange(`HEAD /api/atlas/v2/groups/x/invites?x=${'y'.repeat(17_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
  assert.match(raw, /^HTTP\/1\.1 400 Bad Request\r\n/);
  assert.match(raw, /\r\nContent-Length: 0\r\n/);
  assert.equal(bodyOf(raw), '');
  const get = await rawExchange(`GET /api/atlas/v2/groups/x/invites?x=${'y'.repeat(17_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
  assert.equal(JSON.parse(bodyOf(get)).errorCode, 'VALIDATION_ERROR');
});
