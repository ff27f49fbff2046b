import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, test } from 'node:test';
import { freshDatabase, runCli, runCurl, startServer, tempDir, V2 } from './server.ts';

/**
 * The access cache (src/domain/access-cache.ts) keeps credentials, roles, access lists, org
 * settings and projects between requests. Another process changing any of them (here the CLI, on
 * the same store) must show on the very next request.
 */

const cleanups: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

for (const dialect of ['sqlite', 'postgres'] as const) {
  test(`changes made by another process show on the next request (${dialect})`, async () => {
    const dataDir = tempDir();
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    let store = ['--data', dataDir];
    if (dialect === 'postgres') {
      const db = await freshDatabase();
      cleanups.push(db.drop);
      store = [...store, '--database-url', db.url];
    }
    const server = await startServer({ dataDir, args: store.slice(2) });
    cleanups.push(server.stop);
    const creds = server.creds;
    assert.ok(creds);
    const made = await runCli(['api-keys', 'create', ...store, '--org', creds.orgId, '--roles', 'ORG_OWNER', '--json']);
    assert.equal(made.code, 0, made.stderr);
    const key = JSON.parse(made.stdout) as { publicKey: string; privateKey: string };
    const get = async (path: string) => {
      const r = await runCurl([
        '-sS',
        '--digest',
        '--user',
        `${key.publicKey}:${key.privateKey}`,
        '-H',
        `Accept: ${V2}`,
        '-w',
        '\n%{http_code}',
        `${server.baseUrl}${path}`,
      ]);
      const lines = r.stdout.split('\n');
      const status = Number(lines.pop());
      return { status, body: lines.join('\n') };
    };
    const invites = `/api/atlas/v2/groups/${creds.groupId}/invites`;
    assert.equal((await get(invites)).status, 200);
    assert.equal((await get(invites)).status, 200, 'twice: the second from the cache');

    // Roles: an Organization Member has no project role here.
    assert.equal(
      (await runCli(['api-keys', 'update', ...store, '--public-key', key.publicKey, '--roles', 'ORG_MEMBER'])).code,
      0,
    );
    const demoted = await get(invites);
    assert.equal(demoted.status, 401, demoted.body);
    assert.equal(
      (await runCli(['api-keys', 'update', ...store, '--public-key', key.publicKey, '--roles', 'ORG_OWNER'])).code,
      0,
    );
    assert.equal((await get(invites)).status, 200);

    // Access list: a list without this address shuts it out; then the org requirement.
    assert.equal(
      (
        await runCli([
          'api-keys',
          'access-list',
          'add',
          ...store,
          '--public-key',
          key.publicKey,
          '--entry',
          '10.0.0.0/8',
        ])
      ).code,
      0,
    );
    const listed = await get(invites);
    assert.equal(listed.status, 403, listed.body);
    assert.equal(JSON.parse(listed.body).errorCode, 'IP_ADDRESS_NOT_ON_ACCESS_LIST');
    assert.equal(
      (
        await runCli([
          'api-keys',
          'access-list',
          'remove',
          ...store,
          '--public-key',
          key.publicKey,
          '--entry',
          '10.0.0.0/8',
        ])
      ).code,
      0,
    );
    assert.equal((await get(invites)).status, 200);
    assert.equal(
      (await runCli(['orgs', 'settings', ...store, '--org', creds.orgId, '--api-access-list-required', 'true'])).code,
      0,
    );
    assert.equal(JSON.parse((await get(invites)).body).errorCode, 'ORG_REQUIRES_ACCESS_LIST');
    assert.equal(
      (await runCli(['orgs', 'settings', ...store, '--org', creds.orgId, '--api-access-list-required', 'false'])).code,
      0,
    );
    assert.equal((await get(invites)).status, 200);

    // Gone: the key no longer authenticates.
    assert.equal((await runCli(['api-keys', 'delete', ...store, '--public-key', key.publicKey])).code, 0);
    assert.equal((await get(invites)).status, 401);
  });
}
