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
