import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseInclude, runCurl, startServer, tempDir, V2 } from './server.ts';

/** Over HTTPS with HTTP/2 (ALPN), a dropped call is a reset stream, and an error rule answers as over HTTP/1.1. */

test('HTTP/2: curl sees a drop as a reset stream, the connection lives on for an injected 503', async () => {
  const certDir = tempDir();
  const cacert = join(certDir, 'cert.pem');
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
      'subjectAltName=IP:127.0.0.1',
      '-days',
      '1',
      '-keyout',
      key,
      '-out',
      cacert,
    ],
    { stdio: 'ignore' },
  );
  const server = await startServer({ args: ['--tls-cert', cacert, '--tls-key', key, '--control-plane'] });
  try {
    const creds = server.creds;
    assert.ok(creds?.controlToken);
    const control = (args: string[]) =>
      runCurl(['-sS', '--cacert', cacert, '-H', `Authorization: Bearer ${creds.controlToken}`, ...args]);
    const add = await control([
      '-H',
      'Content-Type: application/json',
      '-d',
      '{"operationId":"getGroup","drop":true}',
      `${server.baseUrl}/_cloud-invites/faults`,
    ]);
    assert.match(add.stdout, /"drop":true/, add.stderr);
    const api = [
      '-sS',
      '--include',
      '--http2',
      '--cacert',
      cacert,
      '--digest',
      '--user',
      `${creds.publicKey}:${creds.privateKey}`,
      '-H',
      `Accept: ${V2}`,
    ];
    const dropped = await runCurl([...api, `${server.baseUrl}/api/atlas/v2/groups/${creds.groupId}`]);
    assert.equal(dropped.code, 92, dropped.stderr); // CURLE_HTTP2_STREAM: the stream was reset
    assert.match(dropped.stderr, /INTERNAL_ERROR|stream/i);

    await control(['-X', 'DELETE', `${server.baseUrl}/_cloud-invites/faults`]);
    await control([
      '-H',
      'Content-Type: application/json',
      '-d',
      '{"operationId":"getGroup","error":{"errorCode":"UNEXPECTED_ERROR","status":503}}',
      `${server.baseUrl}/_cloud-invites/faults`,
    ]);
    const [, failed] = parseInclude(
      (await runCurl([...api, `${server.baseUrl}/api/atlas/v2/groups/${creds.groupId}`])).stdout,
    );
    assert.equal(failed.status, 503);
    assert.equal(
      failed.body,
      '{"detail":"Unexpected error.","error":503,"errorCode":"UNEXPECTED_ERROR","parameters":[],"reason":"Service Unavailable"}',
    );
  } finally {
    await server.stop();
    rmSync(certDir, { recursive: true, force: true });
  }
});
