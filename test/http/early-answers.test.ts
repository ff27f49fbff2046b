import assert from 'node:assert/strict';
import { type AddressInfo, connect } from 'node:net';
import { after, before, test } from 'node:test';
import { type TestWorld, testWorld } from '../helpers/app.ts';
import { digestAuthorization } from '../helpers/digest-signer.ts';

/**
 * Answers the server gives before reading the body (the Digest challenge, a body over the limit,
 * an unknown path) must reach a client that is still uploading. The client here writes the whole
 * body in slow chunks and reads only afterwards, as simple clients do: a server that closes on
 * unread data resets the connection and the unread answer is lost.
 */

let w: TestWorld;
let port: number;
before(async () => {
  w = await testWorld({ rateLimits: 'off' });
  await w.app.listen({ port: 0, host: '127.0.0.1' });
  port = (w.app.server.address() as AddressInfo).port;
});
after(() => w.close());

const CHUNK = 256 * 1024;

interface Exchange {
  head: string;
  body: string;
  error?: string;
}

async function upload(path: string, headers: Record<string, string>, size: number, method = 'POST'): Promise<Exchange> {
  const raw = await new Promise<{ data: Buffer; error?: string }>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.pause(); // read nothing until the upload is done
    const chunks: Buffer[] = [];
    let error: string | undefined;
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (e: NodeJS.ErrnoException) => {
      error = e.code;
    });
    socket.on('close', () => resolve({ data: Buffer.concat(chunks), error }));
    socket.on('connect', async () => {
      const lines = Object.entries({ host: 'x', 'content-length': String(size), ...headers }).map(
        ([k, v]) => `${k}: ${v}\r\n`,
      );
      socket.write(`${method} ${path} HTTP/1.1\r\n${lines.join('')}\r\n`);
      for (let sent = 0; sent < size && !socket.destroyed; sent += CHUNK) {
        socket.write(Buffer.alloc(Math.min(CHUNK, size - sent), 0x20));
        await new Promise((r) => setTimeout(r, 5));
      }
      socket.resume();
      setTimeout(() => socket.destroy(), 1000); // a kept-alive connection: stop listening
    });
  });
  const text = raw.data.toString('utf8');
  const split = text.indexOf('\r\n\r\n');
  return {
    head: split < 0 ? text : text.slice(0, split),
    body: split < 0 ? '' : text.slice(split + 4),
    error: raw.error,
  };
}

function assertComplete(ex: Exchange, status: number, errorCode: string): void {
  assert.match(
    ex.head,
    new RegExp(`^HTTP/1\\.1 ${status} `),
    `${ex.head.split('\r\n')[0] || 'no answer'} (${ex.error ?? 'no socket error'})`,
  );
  const length = Number(/\r\ncontent-length: (\d+)/i.exec(ex.head)?.[1]);
  assert.equal(Buffer.byteLength(ex.body), length, 'the whole body announced by Content-Length arrived');
  assert.equal((JSON.parse(ex.body) as { errorCode: string }).errorCode, errorCode);
}

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/vnd.atlas.2023-01-01+json' };

test('an unauthenticated 4 MB POST to invites gets the whole Digest challenge, kept alive or closing', async () => {
  const path = `/api/atlas/v2/groups/${w.groupId}/invites`;
  assertComplete(await upload(path, JSON_HEADERS, 4 * 1024 * 1024), 401, 'UNEXPECTED_ERROR');
  const closing = await upload(path, { ...JSON_HEADERS, connection: 'close' }, 4 * 1024 * 1024);
  assertComplete(closing, 401, 'UNEXPECTED_ERROR');
  assert.match(closing.head, /\r\nwww-authenticate: Digest /i);
});

test('an authenticated 2.5 MB body over the 1 MiB limit gets the whole 400 VALIDATION_ERROR', async () => {
  const path = `/api/atlas/v2/groups/${w.groupId}/invites`;
  const challenge = (await w.app.inject({ method: 'POST', url: path })).headers['www-authenticate'] as string;
  const authorization = digestAuthorization({
    username: w.owner.publicKey,
    password: w.owner.privateKey,
    method: 'POST',
    uri: path,
    challenge,
    nc: 1,
  });
  const ex = await upload(path, { ...JSON_HEADERS, authorization }, 2.5 * 1024 * 1024);
  assertComplete(ex, 400, 'VALIDATION_ERROR');
  assert.match(ex.body, /the request body exceeds 1048576 bytes/);
});

test('a GET to an unknown path with a 3 MB body (never parsed) and Connection: close gets the whole 404', async () => {
  assertComplete(
    await upload('/nowhere', { ...JSON_HEADERS, connection: 'close' }, 3 * 1024 * 1024, 'GET'),
    404,
    'RESOURCE_NOT_FOUND',
  );
});
