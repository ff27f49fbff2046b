/**
 * Latency against store size (issue 9, "Scale"): `npm run bench:scale [-- flags]`. Never run by the tests.
 *
 * For each dialect: `serve` as a user starts it, then for each size (10³ … 10⁶ invitations on SQLite,
 * … 10⁵ on PostgreSQL) `cloud-invites seed` adds invitations up to the size, and a load generator in
 * its own process (bench/lib/drive.ts, Digest, one connection) measures p50/p99 of getGroupInvite,
 * the filtered listGroupInvites, createGroupInvite, listGroupEvents, listOrgEvents, getOrgUser and
 * listOrgUsers. Then one organization grows to 10⁵ members for getOrgUser and listOrgUsers. Each
 * operation's p99 at the largest size is divided by its p99 at the smallest (target ≤ 1.5). The SQL
 * of each operation is caught in-process and explained on the loaded store. Results:
 * bench/results/scale-<date>.json; the plans and table go into docs/scale.md by hand.
 *
 * Flags: --max N (SQLite, default 1e6), --pg-max N (default 1e5), --members-max N (default 1e5),
 * --dialects sqlite,postgres, --seconds S per measurement (default 3), --database-url (a PostgreSQL
 * server where a scratch database is made and dropped; default the local one).
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { createDeps } from '../src/deps.ts';
import { listInvitations } from '../src/storage/repositories/invitations.repository.ts';
import { listOrgMembers } from '../src/storage/repositories/org-directory.repository.ts';
import { digestClient } from '../test/helpers/app.ts';
import { collect, distinct, explainPostgres, explainSqlite, fullScans, installCatcher } from './lib/plans.ts';
import { driveProcess, NODE, ROOT, serve, V2 } from './lib/server.ts';

const V25 = 'application/vnd.atlas.2025-02-19+json';
const { values: flags } = parseArgs({
  options: {
    max: { type: 'string', default: '1e6' },
    'pg-max': { type: 'string', default: '1e5' },
    'members-max': { type: 'string', default: '1e5' },
    dialects: { type: 'string', default: 'sqlite,postgres' },
    seconds: { type: 'string', default: '3' },
    'database-url': { type: 'string', default: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
  },
});
const durationMs = Number(flags.seconds) * 1000;
const sizesUpTo = (max: number) => [1e3, 1e4, 1e5, 1e6].filter((s) => s <= max);
installCatcher();

type Op = 'getGroupInvite' | 'listGroupInvites?username' | 'createGroupInvite' | 'listGroupEvents' | 'listOrgEvents' | 'getOrgUser' | 'listOrgUsers';
interface Measured {
  p50: number;
  p99: number;
  rps: number;
  statuses: Record<string, number>;
}

function cli(store: string[], args: string[]): string {
  return execFileSync(NODE, [join(ROOT, 'src/cli/main.ts'), ...args, ...store], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

function seedCli(store: string[], args: string[]): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, [join(ROOT, 'src/cli/main.ts'), 'seed', '--json', ...args, ...store], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`seed exited ${code}`))));
  });
}

async function scratchDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `cloud_invites_scale_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name}`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

async function runDialect(dialect: 'sqlite' | 'postgres') {
  const max = dialect === 'sqlite' ? Number(flags.max) : Number(flags['pg-max']);
  const membersMax = Number(flags['members-max']);
  const dir = mkdtempSync(join(tmpdir(), 'cloud-invites-scale-'));
  const scratch = dialect === 'postgres' ? await scratchDatabase(flags['database-url']) : null;
  const secretKey = randomBytes(32).toString('hex');
  const store = [...(scratch ? ['--database-url', scratch.url] : []), '--data', dir, '--secret-key', secretKey];
  const file = join(dir, 'cloud-invites.sqlite');
  const server = await serve([...store, '--rate-limits', 'off']);
  const deps = await createDeps(loadConfig({ data: dir, databaseUrl: scratch?.url, secretKey, rateLimits: 'off' }));
  const app = buildApp(deps);
  await app.ready();
  const out = { dialect, sizes: [] as Array<Record<string, unknown>>, members: [] as Array<Record<string, unknown>>, plans: {} as Record<string, unknown>, store: {} as Record<string, unknown> };
  try {
    const db = deps.ctx.db;
    const initOwner = { kind: 'digest' as const, username: server.creds.publicKey, password: server.creds.privateKey };
    // Creates go to an organization of their own, so the measured feeds and directories do not grow with them.
    const createOrg = cli(store, ['orgs', 'create', '--name', 'bench creates']).trim();
    const createProject = cli(store, ['projects', 'create', '--org', createOrg, '--name', 'creates']).trim();
    const createKey = JSON.parse(cli(store, ['api-keys', 'create', '--org', createOrg, '--roles', 'ORG_OWNER', '--json']));
    const createAuth = { kind: 'digest' as const, username: createKey.publicKey, password: createKey.privateKey };
    await seedCli(store, ['--members', '1000', '--members-org', server.creds.orgId]);

    let seeded = 0;
    let first: { orgId: string; projectId: string; auth: typeof initOwner } | null = null;
    const storeBytes = async () => {
      if (!scratch) {
        const wal = (() => {
          try {
            return statSync(`${file}-wal`).size;
          } catch {
            return 0;
          }
        })();
        return statSync(file).size + wal;
      }
      const r = await sql<{ n: string }>`select sum(pg_total_relation_size(c.oid)) as n from pg_class c
        join pg_namespace s on s.oid = c.relnamespace where s.nspname = current_schema() and c.relkind = 'r'`.execute(db);
      return Number(r.rows[0].n);
    };
    const bytesBefore = await storeBytes();

    const measure = async (path: string, auth: typeof initOwner, accept = V2, post?: string): Promise<Measured> => {
      const r = await driveProcess({
        base: server.base,
        path,
        auth,
        headers: { accept, 'content-type': accept },
        connections: 1,
        warmupMs: 500,
        durationMs,
        ...(post ? { mixed: { every: 1, method: 'POST', path, bodyTemplate: post } } : {}),
      });
      return { p50: r.latencyMs.p50, p99: r.latencyMs.p99, rps: r.requestsPerSecond, statuses: r.statuses };
    };

    const probes = async () => {
      if (!first) throw new Error('not seeded');
      const invitations = await listInvitations(db, { kind: 'project', scopeId: first.projectId });
      const probe = invitations[Math.floor(invitations.length / 2)];
      const members = await listOrgMembers(db, server.creds.orgId);
      const member = members[Math.floor(members.length / 2)];
      return { invitationId: probe.id, username: probe.username, memberId: member.userId };
    };
    const orgUserOps = async (memberId: string) => ({
      getOrgUser: await measure(`/api/atlas/v2/orgs/${server.creds.orgId}/users/${memberId}`, initOwner, V25),
      listOrgUsers: await measure(`/api/atlas/v2/orgs/${server.creds.orgId}/users?itemsPerPage=100`, initOwner, V25),
    });

    for (const size of sizesUpTo(max)) {
      const r = await seedCli(store, ['--invitations', String(size - seeded)]);
      seeded = size;
      if (!first) {
        const key = JSON.parse(cli(store, ['api-keys', 'create', '--org', String(r.firstOrgId), '--roles', 'ORG_OWNER', '--json']));
        first = { orgId: String(r.firstOrgId), projectId: String(r.firstProjectId), auth: { kind: 'digest', username: key.publicKey, password: key.privateKey } };
      }
      const p = await probes();
      const g = `/api/atlas/v2/groups/${first.projectId}`;
      const ops: Partial<Record<Op, Measured>> = {
        getGroupInvite: await measure(`${g}/invites/${p.invitationId}`, first.auth),
        'listGroupInvites?username': await measure(`${g}/invites?username=${encodeURIComponent(p.username)}`, first.auth),
        createGroupInvite: await measure(`/api/atlas/v2/groups/${createProject}/invites`, createAuth, V2, '{"username":"bench-{i}@example.com","roles":["GROUP_READ_ONLY"]}'),
        listGroupEvents: await measure(`${g}/events?itemsPerPage=100`, first.auth),
        listOrgEvents: await measure(`/api/atlas/v2/orgs/${first.orgId}/events?itemsPerPage=100`, first.auth),
        ...(await orgUserOps(p.memberId)),
      };
      const row = { invitations: size, members: 1000, storeBytes: await storeBytes(), ops };
      out.sizes.push(row);
      process.stderr.write(`${dialect} ${size}: ${JSON.stringify(Object.fromEntries(Object.entries(ops).map(([k, v]) => [k, [v.p50, v.p99]])))}\n`);
    }
    const bytesAfter = await storeBytes();
    out.store = { bytes: bytesAfter, bytesPerMillionInvitations: Math.round(((bytesAfter - bytesBefore) / seeded) * 1e6), invitations: seeded };

    let members = 1000;
    for (const size of [1e3, 1e4, 1e5].filter((s) => s <= membersMax)) {
      if (size > members) await seedCli(store, ['--members', String(size - members), '--members-org', server.creds.orgId]);
      members = Math.max(members, size);
      const p = await probes();
      const ops = await orgUserOps(p.memberId);
      const deep = await measure(`/api/atlas/v2/orgs/${server.creds.orgId}/users?itemsPerPage=100&pageNum=${Math.max(1, Math.floor(size / 200))}`, initOwner, V25);
      out.members.push({ members: size, invitations: seeded, ops: { ...ops, 'listOrgUsers (middle page)': deep } });
      process.stderr.write(`${dialect} members ${size}: ${JSON.stringify(Object.fromEntries(Object.entries(ops).map(([k, v]) => [k, [v.p50, v.p99]])))}\n`);
    }

    out.plans = await plans(app, dialect, file, scratch?.url, first as NonNullable<typeof first>, { createProject, createKey }, server.creds);
  } finally {
    await app.close();
    await deps.close();
    await server.stop();
    await scratch?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

/** Each operation once, in-process, on the loaded store: its statements and their plans. */
async function plans(
  app: Awaited<ReturnType<typeof buildApp>>,
  dialect: 'sqlite' | 'postgres',
  file: string,
  url: string | undefined,
  first: { orgId: string; projectId: string; auth: { username: string; password: string } },
  creates: { createProject: string; createKey: { publicKey: string; privateKey: string } },
  init: { orgId: string; publicKey: string; privateKey: string },
) {
  const seeded = digestClient(app, { publicKey: first.auth.username, privateKey: first.auth.password });
  const creator = digestClient(app, creates.createKey);
  const g = `/api/atlas/v2/groups/${first.projectId}`;
  const list = JSON.parse((await seeded({ url: `${g}/invites` })).body) as Array<{ id: string; username: string }>;
  const probe = list[Math.floor(list.length / 2)];
  const owner = digestClient(app, init);
  const memberId = JSON.parse((await owner({ url: `/api/atlas/v2/orgs/${init.orgId}/users?itemsPerPage=1&pageNum=500`, headers: { accept: V25 } })).body).results[0].id;
  const orgUsers = `/api/atlas/v2/orgs/${init.orgId}/users`;
  const v25 = { accept: V25, 'content-type': V25 };
  const requests: Record<string, () => Promise<unknown>> = {
    getGroupInvite: () => seeded({ url: `${g}/invites/${probe.id}` }),
    'listGroupInvites?username': () => seeded({ url: `${g}/invites?username=${encodeURIComponent(probe.username)}` }),
    createGroupInvite: () =>
      creator({ method: 'POST', url: `/api/atlas/v2/groups/${creates.createProject}/invites`, body: { username: `plan-${Date.now()}@example.com`, roles: ['GROUP_READ_ONLY'] } }),
    listGroupEvents: () => seeded({ url: `${g}/events?itemsPerPage=100` }),
    listOrgEvents: () => seeded({ url: `/api/atlas/v2/orgs/${first.orgId}/events?itemsPerPage=100` }),
    getOrgUser: () => owner({ url: `${orgUsers}/${memberId}`, headers: v25 }),
    listOrgUsers: () => owner({ url: `${orgUsers}?itemsPerPage=100`, headers: v25 }),
  };
  const out: Record<string, Array<{ sql: string; plan: string[]; fullScans: string[] }>> = {};
  for (const [op, run] of Object.entries(requests)) {
    await run(); // warm the access cache: what remains is what every call runs
    const caught = distinct(await collect(run));
    out[op] = [];
    for (const c of caught) {
      const plan = dialect === 'sqlite' ? explainSqlite(file, c) : await explainPostgres(url as string, c);
      out[op].push({ sql: c.sql.replace(/\s+/g, ' ').trim(), plan, fullScans: fullScans(plan) });
    }
  }
  return out;
}

function table(results: Array<Awaited<ReturnType<typeof runDialect>>>): string {
  const lines: string[] = [];
  const ratio = (rows: Array<{ ops: Record<string, Measured> }>, op: string) => {
    const a = rows[0]?.ops[op];
    const b = rows.at(-1)?.ops[op];
    return a && b && a.p99 > 0 ? (b.p99 / a.p99).toFixed(2) : '–';
  };
  for (const r of results) {
    const rows = r.sizes as Array<{ invitations: number; ops: Record<string, Measured> }>;
    const ops = Object.keys(rows[0]?.ops ?? {});
    lines.push(`\n${r.dialect}: p50 / p99 ms by invitations in the store (1 connection, Digest)`);
    lines.push(`| operation | ${rows.map((x) => x.invitations.toExponential(0).replace('e+', 'e')).join(' | ')} | p99 largest/smallest |`);
    lines.push(`|---|${rows.map(() => '---|').join('')}---|`);
    for (const op of ops) lines.push(`| ${op} | ${rows.map((x) => `${x.ops[op].p50} / ${x.ops[op].p99}`).join(' | ')} | ${ratio(rows, op)}× |`);
    const m = r.members as Array<{ members: number; ops: Record<string, Measured> }>;
    if (m.length > 0) {
      lines.push(`\n${r.dialect}: p50 / p99 ms by members in one organization`);
      lines.push(`| operation | ${m.map((x) => x.members.toExponential(0).replace('e+', 'e')).join(' | ')} | p99 largest/smallest |`);
      lines.push(`|---|${m.map(() => '---|').join('')}---|`);
      for (const op of Object.keys(m[0].ops)) lines.push(`| ${op} | ${m.map((x) => `${x.ops[op].p50} / ${x.ops[op].p99}`).join(' | ')} | ${ratio(m, op)}× |`);
    }
    lines.push(`\nstore: ${JSON.stringify(r.store)}`);
  }
  return lines.join('\n');
}

const started = Date.now();
const results = [];
for (const d of flags.dialects.split(',') as Array<'sqlite' | 'postgres'>) results.push(await runDialect(d));
const summary = table(results);
process.stdout.write(`${summary}\n`);
for (const r of results) {
  for (const [op, statements] of Object.entries(r.plans as Record<string, Array<{ sql: string; plan: string[]; fullScans: string[] }>>)) {
    process.stdout.write(`\n## ${r.dialect} ${op}\n`);
    for (const s of statements) process.stdout.write(`${s.sql}\n${s.plan.map((l) => `    ${l}`).join('\n')}\n`);
  }
}
mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
const date = new Date().toISOString().replace(/[:.]/g, '-');
const outFile = join(ROOT, `bench/results/scale-${date}.json`);
writeFileSync(outFile, `${JSON.stringify({ date: new Date().toISOString(), seconds: Math.round((Date.now() - started) / 1000), flags, node: process.version, results }, null, 2)}\n`);
process.stdout.write(`\nwritten ${outFile} in ${Math.round((Date.now() - started) / 1000)}s\n`);
