import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, test } from 'node:test';
import pg from 'pg';
import { CLI, freshDatabase, NODE, ROOT, run, runCli, type RunningServer, startServer, tempDir, V2 } from './server.ts';

/**
 * Issue 8 (3, 4, 5): `kill -9` during a first start (migrations, then the bootstrap) never leaves a
 * store that cannot start or that is half made; nodes started together bootstrap it once; the CLI
 * and the server write one SQLite file at once without "database is locked".
 */

const cleanups: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

function ownDir(): string {
  const dir = tempDir();
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function serve(opts: Parameters<typeof startServer>[0]): Promise<RunningServer> {
  const server = await startServer(opts);
  cleanups.push(server.stop);
  return server;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts `serve`, waits until `ready()` says the kill window has opened, waits `delayMs` more, and kills it with SIGKILL. */
async function killDuringStart(
  args: string[],
  ready: () => boolean | Promise<boolean>,
  delayMs: number,
): Promise<void> {
  const child = spawn(NODE, [CLI, 'serve', '--port', '0', '--log-level', 'warn', ...args], {
    cwd: ROOT,
    stdio: 'ignore',
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 10_000;
  while (!(await ready()) && Date.now() < deadline && child.exitCode === null) await sleep(1);
  await sleep(delayMs);
  child.kill('SIGKILL');
  await exited;
}

/** The rows the first start makes: one of each, or none at all if the kill came first. */
const BOOTSTRAP_TABLES = ['orgs', 'projects', 'api_keys', 'service_accounts'];

test('kill -9 at any moment of a first start on SQLite: the store always starts again, made whole', async () => {
  const outcomes: string[] = [];
  for (let i = 0; i < 8; i++) {
    const dataDir = ownDir();
    // The window opens when the SQLite file appears: the migrations and the bootstrap follow within ~100 ms.
    await killDuringStart(['--data', dataDir], () => existsSync(join(dataDir, 'cloud-invites.sqlite')), (i * 13) % 90);
    const server = await serve({ dataDir, firstStart: false });
    const res = await fetch(`${server.baseUrl}/api/atlas/v2`, { headers: { accept: V2 } });
    assert.equal(res.status, 401, `restart ${i} answers`);
    await server.stop();
    const db = new DatabaseSync(join(dataDir, 'cloud-invites.sqlite'), { readOnly: true });
    try {
      const counts = BOOTSTRAP_TABLES.map(
        (t) => (db.prepare(`select count(*) as n from ${t}`).get() as { n: number }).n,
      );
      assert.deepEqual(counts, [1, 1, 1, 1], `after kill ${i}: ${BOOTSTRAP_TABLES.join(', ')}`);
    } finally {
      db.close();
    }
    outcomes.push(/First start/.test(server.stdout()) ? 'bootstrapped on restart' : 'bootstrapped before the kill');
  }
  assert.equal(outcomes.length, 8);
});

async function pgCounts(url: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const counts: number[] = [];
    for (const t of BOOTSTRAP_TABLES) {
      const exists = (await client.query(`select to_regclass('${t}') is not null as e`)).rows[0].e as boolean;
      counts.push(exists ? Number((await client.query(`select count(*) as n from ${t}`)).rows[0].n) : 0);
    }
    return counts;
  } finally {
    await client.end();
  }
}

test('PostgreSQL: three nodes started together on an empty database bootstrap it once', async () => {
  const db = await freshDatabase();
  cleanups.push(db.drop);
  const dirs = [ownDir(), ownDir(), ownDir()];
  // Nodes of one deployment share the secret key (each would otherwise make its own in its data dir).
  const args = ['--database-url', db.url, '--secret-key', '42'.repeat(32)];
  const nodes = await Promise.all(dirs.map((dataDir) => serve({ dataDir, args, firstStart: false })));
  await sleep(200); // the banner follows the listening line
  const banners = nodes.filter((n) => /First start/.test(n.stdout())).length;
  assert.equal(banners, 1, nodes.map((n) => n.stdout()).join('\n---\n'));
  assert.deepEqual(await pgCounts(db.url), [1, 1, 1, 1]);
});

test('PostgreSQL: kill -9 during a first start, then a clean restart with one of everything', async () => {
  for (let i = 0; i < 4; i++) {
    const db = await freshDatabase();
    cleanups.push(db.drop);
    const dataDir = ownDir();
    const started = Date.now();
    await killDuringStart(['--data', dataDir, '--database-url', db.url], () => Date.now() - started > 250 + i * 120, 0);
    const before = await pgCounts(db.url);
    assert.ok(
      before.every((n) => n === before[0]),
      `killed ${i}: all or nothing, got ${before}`,
    );
    await (await serve({ dataDir, args: ['--database-url', db.url], firstStart: false })).stop();
    assert.deepEqual(await pgCounts(db.url), [1, 1, 1, 1]);
  }
});

test('SQLite: the CLI and the server write one store at once: no 500, no "database is locked"', async () => {
  const dataDir = ownDir();
  const server = await serve({
    dataDir,
    args: ['--rate-limit-overrides', 'invitations-ip=100000:100000,projects-group=100000:100000'],
  });
  const creds = server.creds;
  assert.ok(creds?.clientId && creds.clientSecret);
  const tokenRes = await fetch(`${server.baseUrl}/api/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${creds.clientId}:${creds.clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  const { access_token: token } = (await tokenRes.json()) as { access_token: string };

  let stop = false;
  const statuses = new Map<number, number>();
  const bodies: string[] = [];
  const writer = async (w: number) => {
    for (let i = 0; !stop && i < 400; i++) {
      const res = await fetch(`${server.baseUrl}/api/atlas/v2/groups/${creds.groupId}/invites`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, accept: V2, 'content-type': V2 },
        body: JSON.stringify({ roles: ['GROUP_READ_ONLY'], username: `w${w}-${i}@example.com` }),
      });
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status !== 200) bodies.push(await res.text());
      else await res.arrayBuffer();
    }
  };
  const cli = async (c: number) => {
    const results = [];
    for (let i = 0; i < 3; i++) {
      results.push(
        await runCli([
          'api-keys',
          'create',
          '--data',
          dataDir,
          '--org',
          creds.orgId,
          '--roles',
          'ORG_MEMBER',
          '--description',
          `cli ${c}-${i}`,
          '--json',
        ]),
      );
    }
    return results;
  };
  // Besides the CLI itself, a process writing through the CLI's domain services as fast as it can.
  const heavy = run(NODE, [join(ROOT, 'test/e2e/store-writer.ts'), dataDir, creds.orgId, '300'], 60_000);
  const writers = Promise.all(Array.from({ length: 8 }, (_, w) => writer(w)));
  const cliRuns = (await Promise.all(Array.from({ length: 2 }, (_, c) => cli(c)))).flat();
  const heavyRun = await heavy;
  stop = true;
  await writers;
  assert.equal(heavyRun.code, 0, heavyRun.stderr);
  assert.deepEqual(JSON.parse(heavyRun.stdout), { failed: 0, errors: [] });
  for (const r of cliRuns) assert.equal(r.code, 0, r.stderr);
  assert.deepEqual([...statuses.keys()], [200], `${JSON.stringify([...statuses])}\n${bodies.slice(0, 3).join('\n')}`);
});
