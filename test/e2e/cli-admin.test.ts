import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { type RunResult, runCli, runCurl, startServer, tempDir, V2 } from './server.ts';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function dir(): string {
  const d = tempDir();
  dirs.push(d);
  return d;
}

function ok(r: RunResult): string {
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

test('secret-key rotate re-seals private keys: the old key file no longer opens them, Digest still works', async () => {
  const data = dir();
  const init = JSON.parse(ok(await runCli(['init', '--data', data, '--json'])));
  const before = readFileSync(join(data, 'secret.key'), 'utf8');
  const rotated = JSON.parse(ok(await runCli(['secret-key', 'rotate', '--data', data, '--json'])));
  assert.equal(rotated.resealed, 1);
  const after = readFileSync(join(data, 'secret.key'), 'utf8');
  assert.notEqual(after, before);
  assert.match(after.trim(), /^[0-9a-f]{64}$/);

  // The server starts on the rotated key and the API key still answers Digest.
  const server = await startServer({ dataDir: data, firstStart: false });
  try {
    const r = await runCurl([
      '-s',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      '--digest',
      '--user',
      `${init.publicKey}:${init.privateKey}`,
      '-H',
      `Accept: ${V2}`,
      `${server.baseUrl}/api/atlas/v2/groups/${init.groupId}/invites`,
    ]);
    assert.equal(r.stdout, '200');
  } finally {
    await server.stop();
  }

  // With the old key nothing opens: commands and servers refuse to start, saying why.
  const stale = await runCli(['api-keys', 'list', '--data', data, '--secret-key', before.trim(), '--json']);
  assert.notEqual(stale.code, 0);
  assert.match(stale.stderr, /secret key does not open this store/);
  const wrongServe = await runCli(['serve', '--data', data, '--port', '0', '--secret-key', before.trim()]);
  assert.notEqual(wrongServe.code, 0);
  assert.match(wrongServe.stderr, /secret key does not open this store/);
});

test('rotating under a running server: its Digest answers 401 (never a 500) until it restarts on the new key', async () => {
  const data = dir();
  const init = JSON.parse(ok(await runCli(['init', '--data', data, '--json'])));
  const server = await startServer({ dataDir: data, firstStart: false });
  const call = (base: string) =>
    runCurl([
      '-s',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      '--digest',
      '--user',
      `${init.publicKey}:${init.privateKey}`,
      '-H',
      `Accept: ${V2}`,
      `${base}/api/atlas/v2/groups/${init.groupId}/invites`,
    ]);
  try {
    assert.equal((await call(server.baseUrl)).stdout, '200');
    ok(await runCli(['secret-key', 'rotate', '--data', data, '--json']));
    assert.equal((await call(server.baseUrl)).stdout, '401');
  } finally {
    await server.stop();
  }
  const restarted = await startServer({ dataDir: data, firstStart: false });
  try {
    assert.equal((await call(restarted.baseUrl)).stdout, '200');
  } finally {
    await restarted.stop();
  }
});

test('orgs settings --api-access-list-required makes the server refuse credentials without an access list', async () => {
  const data = dir();
  const init = JSON.parse(ok(await runCli(['init', '--data', data, '--json'])));
  const saved = JSON.parse(
    ok(
      await runCli([
        'orgs',
        'settings',
        '--org',
        init.orgId,
        '--api-access-list-required',
        'true',
        '--data',
        data,
        '--json',
      ]),
    ),
  );
  assert.deepEqual(saved, { orgId: init.orgId, apiAccessListRequired: true });
  const bad = await runCli([
    'orgs',
    'settings',
    '--org',
    init.orgId,
    '--api-access-list-required',
    'maybe',
    '--data',
    data,
  ]);
  assert.notEqual(bad.code, 0);
  const none = await runCli(['orgs', 'settings', '--org', init.orgId, '--data', data]);
  assert.notEqual(none.code, 0);
  const shows = JSON.parse(
    ok(
      await runCli([
        'orgs',
        'settings',
        '--org',
        init.orgId,
        '--users-api-shows-project-invitees',
        'true',
        '--data',
        data,
        '--json',
      ]),
    ),
  );
  assert.deepEqual(shows, { orgId: init.orgId, usersApiShowsProjectInvitees: true });
  const server = await startServer({ dataDir: data, firstStart: false });
  try {
    const r = await runCurl([
      '-s',
      '--digest',
      '--user',
      `${init.publicKey}:${init.privateKey}`,
      '-H',
      `Accept: ${V2}`,
      `${server.baseUrl}/api/atlas/v2/groups/${init.groupId}/invites`,
    ]);
    assert.equal(
      r.stdout,
      '{"detail":"This organization requires access through an access list of ip ranges.","error":403,"errorCode":"ORG_REQUIRES_ACCESS_LIST","parameters":["127.0.0.1"],"reason":"Forbidden"}',
    );
  } finally {
    await server.stop();
  }
});
