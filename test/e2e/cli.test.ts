import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, test } from 'node:test';
import pg from 'pg';
import {
  CHALLENGE,
  type Credentials,
  freshDatabase,
  HEX24,
  parseInclude,
  runBin,
  runCli,
  runCurl,
  type RunningServer,
  startServer,
  tempDir,
  UUID,
  V2,
} from './server.ts';

const cleanups: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

function dataDir(): string {
  const dir = tempDir();
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function serve(opts: Parameters<typeof startServer>[0]): Promise<RunningServer> {
  const server = await startServer(opts);
  cleanups.push(() => server.stop());
  return server;
}

/** Runs the CLI, expects exit 0, parses its --json output. */
async function cliJson<T>(args: string[]): Promise<T> {
  const r = await runCli([...args, '--json']);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** curl --digest --include against a project's v2 invites; returns the final response after the challenge. */
async function digest(base: string, key: { publicKey: string; privateKey: string }, groupId: string, body?: unknown) {
  const args = ['--user', `${key.publicKey}:${key.privateKey}`, '--digest', '--include', '--header', `Accept: ${V2}`];
  if (body !== undefined) args.push('-H', `Content-Type: ${V2}`, '-X', 'POST', '-d', JSON.stringify(body));
  args.push(`${base}/api/atlas/v2/groups/${groupId}/invites`);
  const r = await runCurl(args);
  assert.equal(r.code, 0, r.stderr);
  const responses = parseInclude(r.stdout);
  assert.equal(responses.length, 2);
  assert.match(responses[0].headers['www-authenticate'], CHALLENGE);
  return responses[1];
}

const INIT_KEYS = [
  'clientId',
  'clientSecret',
  'consoleEmail',
  'consolePassword',
  'controlToken',
  'groupId',
  'orgId',
  'privateKey',
  'publicKey',
];
function assertInitResult(value: Record<string, unknown>): asserts value is Record<string, unknown> & Credentials {
  assert.deepEqual(Object.keys(value).sort(), INIT_KEYS);
  assert.match(value.orgId as string, HEX24);
  assert.match(value.groupId as string, HEX24);
  assert.notEqual(value.orgId, value.groupId);
  assert.match(value.publicKey as string, /^[a-z]{8}$/);
  assert.match(value.privateKey as string, UUID);
  assert.match(value.clientId as string, /^mdb_sa_id_[a-f0-9]{24}$/);
  assert.match(value.clientSecret as string, /^mdb_sa_sk_[A-Za-z0-9_]{40}$/);
  assert.match(value.controlToken as string, /^cit_[A-Za-z0-9_-]{32}$/);
  assert.equal(value.consoleEmail, 'owner@cloud-invites.local');
  assert.match(value.consolePassword as string, /^[A-Za-z0-9_-]{20}$/);
}

test('init --json prints exactly one JSON object with orgId, groupId, publicKey, privateKey, clientId, clientSecret, controlToken, consoleEmail, consolePassword', async () => {
  const r = await runCli(['init', '--data', dataDir(), '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.match(r.stdout, /^\{.*\}\n$/, 'one line, one object');
  assertInitResult(JSON.parse(r.stdout));
});

test('a second init on the same store exits non-zero and creates nothing', async () => {
  const dir = dataDir();
  const first = await cliJson<Credentials>(['init', '--data', dir]);
  const again = await runCli(['init', '--data', dir, '--json']);
  assert.notEqual(again.code, 0);
  assert.equal(again.stdout, '');
  assert.match(again.stderr, /already initialised/);
  const [orgs, projects, keys] = await Promise.all([
    cliJson<Array<{ id: string }>>(['orgs', 'list', '--data', dir]),
    cliJson<Array<{ id: string }>>(['projects', 'list', '--data', dir]),
    cliJson<Array<{ publicKey: string }>>(['api-keys', 'list', '--data', dir]),
  ]);
  assert.deepEqual(
    orgs.map((o) => o.id),
    [first.orgId],
  );
  assert.deepEqual(
    projects.map((p) => p.id),
    [first.groupId],
  );
  assert.deepEqual(
    keys.map((k) => k.publicKey),
    [first.publicKey],
  );
});

test('orgs, projects and api-keys from the CLI; the new key works over curl Digest', async () => {
  const dir = dataDir();
  const init = await cliJson<Credentials>(['init', '--data', dir]);
  const org = await cliJson<{ id: string; name: string }>(['orgs', 'create', '--name', 'Second-Org', '--data', dir]);
  assert.match(org.id, HEX24);
  assert.equal(org.name, 'Second-Org');
  const orgs = await cliJson<Array<{ id: string; name: string }>>(['orgs', 'list', '--data', dir]);
  assert.deepEqual(orgs.map((o) => o.id).sort(), [init.orgId, org.id].sort());

  const project = await cliJson<{ id: string; name: string; orgId: string }>([
    'projects',
    'create',
    '--org',
    org.id,
    '--name',
    'Invites-E2E',
    '--data',
    dir,
  ]);
  assert.match(project.id, HEX24);
  assert.deepEqual({ name: project.name, orgId: project.orgId }, { name: 'Invites-E2E', orgId: org.id });
  const projects = await cliJson<Array<{ id: string; orgId: string }>>([
    'projects',
    'list',
    '--org',
    org.id,
    '--data',
    dir,
  ]);
  assert.deepEqual(projects, [{ id: project.id, name: 'Invites-E2E', orgId: org.id }]);

  const key = await cliJson<{ id: string; publicKey: string; privateKey: string }>([
    'api-keys',
    'create',
    '--org',
    org.id,
    '--roles',
    'ORG_MEMBER',
    '--project',
    `${project.id}:GROUP_OWNER`,
    '--data',
    dir,
  ]);
  assert.deepEqual(Object.keys(key).sort(), ['id', 'privateKey', 'publicKey']);
  assert.match(key.publicKey, /^[a-z]{8}$/);
  assert.match(key.privateKey, UUID);

  const server = await serve({ dataDir: dir, firstStart: false });
  assert.doesNotMatch(server.stdout(), /First start/, 'an initialised store prints no credentials');
  const created = await digest(server.baseUrl, key, project.id, {
    username: 'judy@example.com',
    roles: ['GROUP_READ_ONLY'],
  });
  assert.equal(created.status, 200, created.body);
  const inv = JSON.parse(created.body) as Record<string, unknown>;
  assert.equal(inv.groupId, project.id);
  assert.equal(inv.groupName, 'Invites-E2E');
  assert.equal(inv.inviterUsername, key.publicKey);
  const list = await digest(server.baseUrl, key, project.id);
  assert.equal(list.status, 200, list.body);
  assert.deepEqual(JSON.parse(list.body), [inv]);

  // ORG_MEMBER of another org: no access to the init project.
  const foreign = await digest(server.baseUrl, key, init.groupId);
  assert.equal(foreign.status, 401);
  assert.equal(foreign.headers['x-error-code'], 'USER_UNAUTHORIZED');
});

test('api-keys list --json never shows a private key, only its last 12 characters', async () => {
  const dir = dataDir();
  const init = await cliJson<Credentials>(['init', '--data', dir]);
  const extra = await cliJson<{ publicKey: string; privateKey: string }>([
    'api-keys',
    'create',
    '--org',
    init.orgId,
    '--roles',
    'ORG_READ_ONLY',
    '--data',
    dir,
  ]);
  const secrets = new Map([
    [init.publicKey, init.privateKey],
    [extra.publicKey, extra.privateKey],
  ]);

  const [json, human] = await Promise.all([
    runCli(['api-keys', 'list', '--data', dir, '--json']),
    runCli(['api-keys', 'list', '--data', dir]),
  ]);
  for (const r of [json, human]) {
    assert.equal(r.code, 0, r.stderr);
    for (const secret of secrets.values()) {
      assert.ok(!r.stdout.includes(secret), `a private key leaks:\n${r.stdout}`);
      assert.ok(!r.stdout.includes(secret.slice(0, 8)), `the head of a private key leaks:\n${r.stdout}`);
    }
  }
  const rows = JSON.parse(json.stdout) as Array<{ publicKey: string; privateKey: string }>;
  assert.equal(rows.length, 2);
  for (const row of rows) {
    const secret = secrets.get(row.publicKey);
    assert.ok(secret, `unknown key ${row.publicKey}`);
    assert.equal(row.privateKey, `********-****-****-${secret.slice(-12)}`);
  }
});

test('the bin shim runs the CLI: bin/cloud-invites --help', async () => {
  const [r, bad] = await Promise.all([runBin(['--help']), runBin(['no-such-command'])]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Usage: cloud-invites/);
  for (const command of ['init', 'serve', 'migrate', 'orgs', 'projects', 'api-keys']) {
    assert.match(r.stdout, new RegExp(`^\\s+${command}\\b`, 'm'), `--help lists ${command}`);
  }
  assert.notEqual(bad.code, 0, 'exit codes pass through the shim');
});

test("serve's first-start 'Try:' curl command works as printed", async () => {
  const server = await serve({});
  const line = /^Try: (curl .*)$/m.exec(server.stdout())?.[1];
  assert.ok(line, 'a Try: line');
  const [user, header, url] = [...line.matchAll(/"([^"]*)"/g)].map((m) => m[1]);
  assert.equal(new URL(url).origin, server.baseUrl, 'the printed URL points at the address actually listened on');
  const r = await runCurl(['--digest', '--user', user, '--header', header, url]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), []);
});

test('serve on PostgreSQL (--database-url, a database of its own): create and list over curl', async () => {
  const db = await freshDatabase();
  cleanups.push(db.drop);
  const url = new URL(db.url);

  const server = await serve({ args: ['--database-url', url.href, '--control-plane'] });
  assert.match(server.stdout(), /\(store: PostgreSQL\)/);
  const creds = server.creds;
  assert.ok(creds);
  assertInitResult({ ...creds }); // with --control-plane the first start also shows the control token
  const created = await digest(server.baseUrl, creds, creds.groupId, {
    username: 'ken@example.com',
    roles: ['GROUP_OWNER'],
  });
  assert.equal(created.status, 200, created.body);
  const list = await digest(server.baseUrl, creds, creds.groupId);
  assert.equal(list.status, 200, list.body);
  assert.deepEqual(JSON.parse(list.body), [JSON.parse(created.body)]);

  // The rows are in that database, not in SQLite under --data.
  const client = new pg.Client({ connectionString: url.href });
  await client.connect();
  try {
    const rows = await client.query("SELECT id, project_id, username FROM invitations WHERE kind = 'project'");
    const inv = JSON.parse(created.body) as { id: string };
    assert.deepEqual(rows.rows, [{ id: inv.id, project_id: creds.groupId, username: 'ken@example.com' }]);
  } finally {
    await client.end();
  }
});
