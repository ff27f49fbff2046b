import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { freshDatabase, parseInclude, runCli, runCurl, startServer, tempDir, V2 } from '../e2e/server.ts';
import { EXAMPLE } from './store.ts';

const FILE = fileURLToPath(EXAMPLE);
// What a Terraform module or Atlas CLI job has in its configuration before the server starts.
const PUBLIC_KEY = 'ciownera';
const PRIVATE_KEY = '6c1b1e57-3f0a-4f7e-9d5c-0a1b2c3d4e5f';
const ORG = '65f1a0000000000000000001';
const GROUP = '65f1a0000000000000000002';
const CLIENT_ID = 'mdb_sa_id_65f1a0000000000000000005';
const SECRET = 'mdb_sa_sk_ci0000000000000000000000000000000000000a';

const cleanup: Array<() => Promise<void>> = [];
after(async () => {
  for (const f of cleanup.reverse()) await f();
});

test('Terraform-style: the keys in the fixture file work against `serve --fixtures` with curl --digest and OAuth', async () => {
  const server = await startServer({ args: ['--fixtures', FILE], firstStart: false });
  cleanup.push(server.stop);
  assert.match(server.stdout(), /^Fixtures from .*fixtures\.yaml: Changes:$/m);
  assert.doesNotMatch(server.stdout(), /First start/, 'the declared org replaces the first-start bootstrap');
  const digest = async (path: string) => {
    const r = await runCurl([
      '--silent',
      '--include',
      '--digest',
      '--user',
      `${PUBLIC_KEY}:${PRIVATE_KEY}`,
      '--header',
      `Accept: ${V2}`,
      `${server.baseUrl}/api/atlas/v2${path}`,
    ]);
    return parseInclude(r.stdout).at(-1) as { status: number; body: string };
  };
  const org = await digest(`/orgs/${ORG}`);
  assert.equal(org.status, 200, org.body);
  assert.equal(JSON.parse(org.body).name, 'CI Org');
  const invites = await digest(`/groups/${GROUP}/invites`);
  assert.deepEqual(
    JSON.parse(invites.body).map((i: { username: string }) => i.username),
    ['bob@example.com'],
  );
  const token = await runCurl([
    '--silent',
    '--user',
    `${CLIENT_ID}:${SECRET}`,
    '--data',
    'grant_type=client_credentials',
    `${server.baseUrl}/api/oauth/token`,
  ]);
  const bearer = JSON.parse(token.stdout).access_token as string;
  const groups = await runCurl([
    '--silent',
    '--header',
    `Authorization: Bearer ${bearer}`,
    '--header',
    `Accept: ${V2}`,
    `${server.baseUrl}/api/atlas/v2/groups`,
  ]);
  assert.deepEqual(
    JSON.parse(groups.stdout)
      .results.map((g: { id: string }) => g.id)
      .sort(),
    [GROUP, '65f1a0000000000000000003'],
  );

  // A restart with the same file changes nothing.
  await server.stop();
  const again = await startServer({ dataDir: tempDir(), args: ['--fixtures', FILE], firstStart: false });
  cleanup.push(again.stop);
});

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`${dialect}: the CLI`, () => {
    test('fixtures apply twice = no change; a bad file exits non-zero naming its path, and writes nothing; reset and snapshots', async () => {
      const pg = dialect === 'postgres' ? await freshDatabase() : null;
      if (pg) cleanup.push(pg.drop);
      const dir = tempDir();
      const store = ['--data', dir, ...(pg ? ['--database-url', pg.url] : [])];

      const bad = join(dir, 'bad.yaml');
      writeFileSync(
        bad,
        readFileSync(FILE, 'utf8')
          .replace('publicKey: cireader', 'publicKey: CIREADER')
          .replace('roles: [ORG_READ_ONLY]', 'roles: [READ_ONLY]'),
      );
      const refused = await runCli(['fixtures', 'apply', bad, ...store]);
      assert.equal(refused.code, 1);
      assert.equal(refused.stdout, '');
      assert.match(refused.stderr, /^error: apiKeys\[1\]\.publicKey: must be 8 lowercase letters$/m);
      assert.match(refused.stderr, /^apiKeys\[1\]\.roles\[0\]: not an organization role: "READ_ONLY"$/m);
      const serveRefused = await runCli(['serve', '--fixtures', bad, '--port', '0', ...store]);
      assert.equal(serveRefused.code, 1, 'serve does not start on a bad file');
      assert.match(serveRefused.stderr, /^error: apiKeys\[1\]\.publicKey: must be 8 lowercase letters$/m);
      const empty = await runCli(['orgs', 'list', '--json', ...store]);
      assert.deepEqual(JSON.parse(empty.stdout), [], 'nothing written');

      const first = await runCli(['fixtures', 'apply', FILE, '--json', ...store]);
      assert.equal(first.code, 0, first.stderr);
      assert.equal(JSON.parse(first.stdout).changed, true);
      const second = await runCli(['fixtures', 'apply', FILE, ...store]);
      assert.equal(second.code, 0, second.stderr);
      assert.equal(second.stdout, 'No changes: the store already holds what the file declares.\n');

      const saved = await runCli(['snapshot', 'save', '--json', ...store]);
      const { id } = JSON.parse(saved.stdout) as { id: string };
      const reset = await runCli(['reset', '--json', ...store]);
      assert.equal(reset.code, 0, reset.stderr);
      const created = JSON.parse(reset.stdout);
      assert.deepEqual(
        Object.keys(created),
        ['orgId', 'groupId', 'publicKey', 'privateKey', 'clientId', 'clientSecret', 'controlToken'],
        'as `init --json` prints',
      );
      const listed = await runCli(['snapshot', 'list', '--json', ...store]);
      assert.deepEqual(
        JSON.parse(listed.stdout).map((s: { id: string }) => s.id),
        [id],
        'snapshots survive a reset',
      );
      const restored = await runCli(['snapshot', 'restore', id, ...store]);
      assert.equal(restored.code, 0, restored.stderr);
      const orgs = JSON.parse((await runCli(['orgs', 'list', '--json', ...store])).stdout) as Array<{ id: string }>;
      assert.deepEqual(
        orgs.map((o) => o.id),
        [ORG],
      );
      const unknown = await runCli(['snapshot', 'restore', '65f1a00000000000000000ff', ...store]);
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, /RESOURCE_NOT_FOUND/);
    });
  });
}
