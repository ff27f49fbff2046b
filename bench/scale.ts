/**
 * Latency against store size (issue 9, "Scale"): `npm run bench:scale [-- flags]`. Never run by the tests.
 *
 * For each dialect: `serve` as a user starts it, then for each size (10³ … 10⁶ invitations on SQLite,
 * … 10⁵ on PostgreSQL) `cloud-invites seed` adds invitations up to the size, and a load generator in
 * its own process (bench/lib/drive.ts, Digest, one connection) measures p50/p99 of getGroupInvite,
 * the filtered listGroupInvites, createGroupInvite, listGroupEvents, listOrgEvents, getOrgUser and
 * listOrgUsers. Then one organization grows to 10⁵ members for getOrgUser and listOrgUsers. Each
 * operation's p99 at the largest size is divided by its p99 at the smallest (target ≤ 1.5) and, since
 * the machine may be busy with other work, also by the p99 of a second, 10³ store measured run for
 * run alongside it. The SQL of each operation is caught in-process and explained on the loaded
 * store. Results:
 * bench/results/scale-<date>.json; the plans and table go into docs/scale.md by hand.
 *
 * Flags: --max N (SQLite, default 1e6), --pg-max N (default 1e5), --members-max N (default 1e5),
 * --dialects sqlite,postgres, --seconds S per run (default 1.5), --reps N runs per measurement, the
 * median reported (default 3), --database-url (a PostgreSQL server where scratch databases are made
 * and dropped; default the local one).
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { freshPgDatabase } from '../test/helpers/database.ts';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { createDeps } from '../src/deps.ts';
import { listInvitations } from '../src/storage/repositories/invitations.repository.ts';
import { listOrgMemberships } from '../src/storage/repositories/memberships.repository.ts';
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
    seconds: { type: 'string', default: '1.5' },
    reps: { type: 'string', default: '3' },
    'database-url': {
      type: 'string',
      default: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    },
  },
});
const durationMs = Number(flags.seconds) * 1000;
const reps = Number(flags.reps);
const sizesUpTo = (max: number) => [1e3, 1e4, 1e5, 1e6].filter((s) => s <= max);
installCatcher();

interface Measured {
  p50: number;
  p99: number;
  rps: number;
  statuses: Record<string, number>;
}

function cli(store: string[], args: string[]): string {
  return execFileSync(NODE, [join(ROOT, 'src/cli/main.ts'), ...args, ...store], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

function seedCli(store: string[], args: string[]): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, [join(ROOT, 'src/cli/main.ts'), 'seed', '--json', ...args, ...store], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`seed exited ${code}`))));
  });
}

/** After a seed: flush the gigabytes it left dirty, so writeback does not land in the measurements. */
function settle(): void {
  execFileSync('sync');
}

type Auth = { kind: 'digest'; username: string; password: string };
interface Request {
  path: string;
  auth: Auth;
  accept: string;
  post?: string;
}

/**
 * One served store that grows: the server, an in-process handle on the same store (to pick probes
 * and explain plans), a members organization (the init one, 1000 members to start), and an
 * organization of its own for creates, so the measured feeds and directories do not grow with them.
 */
async function openTarget(dialect: 'sqlite' | 'postgres', tag: string) {
  const dir = mkdtempSync(join(tmpdir(), `cloud-invites-scale-${tag}-`));
  const scratch =
    dialect === 'postgres' ? await freshPgDatabase(`cloud_invites_scale_${tag}`, flags['database-url']) : null;
  const secretKey = randomBytes(32).toString('hex');
  const store = [...(scratch ? ['--database-url', scratch.url] : []), '--data', dir, '--secret-key', secretKey];
  const file = join(dir, 'cloud-invites.sqlite');
  const server = await serve([...store, '--rate-limits', 'off']);
  const deps = await createDeps(loadConfig({ data: dir, databaseUrl: scratch?.url, secretKey, rateLimits: 'off' }));
  const app = buildApp(deps);
  await app.ready();
  const db = deps.ctx.db;
  const initOwner: Auth = { kind: 'digest', username: server.creds.publicKey, password: server.creds.privateKey };
  const createOrg = cli(store, ['orgs', 'create', '--name', 'bench creates']).trim();
  const createProject = cli(store, ['projects', 'create', '--org', createOrg, '--name', 'creates']).trim();
  const createKey = JSON.parse(
    cli(store, ['api-keys', 'create', '--org', createOrg, '--roles', 'ORG_OWNER', '--json']),
  );
  const createAuth: Auth = { kind: 'digest', username: createKey.publicKey, password: createKey.privateKey };
  await seedCli(store, ['--members', '1000', '--members-org', server.creds.orgId]);
  let first: { orgId: string; projectId: string; auth: Auth } | null = null;
  const t = {
    dialect,
    server,
    app,
    file,
    url: scratch?.url,
    invitations: 0,
    members: 1000,
    createProject,
    createKey,
    get first() {
      if (!first) throw new Error('not seeded');
      return first;
    },
    async storeBytes(): Promise<number> {
      if (!scratch) {
        let wal = 0;
        try {
          wal = statSync(`${file}-wal`).size;
        } catch {}
        return statSync(file).size + wal;
      }
      const r = await sql<{ n: string }>`select sum(pg_total_relation_size(c.oid)) as n from pg_class c
        join pg_namespace s on s.oid = c.relnamespace where s.nspname = current_schema() and c.relkind = 'r'`.execute(
        db,
      );
      return Number(r.rows[0].n);
    },
    async growTo(invitations: number) {
      if (invitations <= t.invitations) return;
      const r = await seedCli(store, ['--invitations', String(invitations - t.invitations)]);
      settle();
      t.invitations = invitations;
      if (!first) {
        const key = JSON.parse(
          cli(store, ['api-keys', 'create', '--org', String(r.firstOrgId), '--roles', 'ORG_OWNER', '--json']),
        );
        first = {
          orgId: String(r.firstOrgId),
          projectId: String(r.firstProjectId),
          auth: { kind: 'digest', username: key.publicKey, password: key.privateKey },
        };
      }
    },
    async growMembersTo(members: number) {
      if (members <= t.members) return;
      await seedCli(store, ['--members', String(members - t.members), '--members-org', server.creds.orgId]);
      settle();
      t.members = members;
    },
    /** What each operation sends: probes from the middle of the first project and of the members. */
    async requests(): Promise<Record<string, Request>> {
      const f = t.first;
      const invitations = await listInvitations(db, { kind: 'project', scopeId: f.projectId });
      const probe = invitations[Math.floor(invitations.length / 2)];
      const members = await listOrgMemberships(db, server.creds.orgId);
      const member = members[Math.floor(members.length / 2)];
      const g = `/api/atlas/v2/groups/${f.projectId}`;
      const users = `/api/atlas/v2/orgs/${server.creds.orgId}/users`;
      return {
        getGroupInvite: { path: `${g}/invites/${probe.id}`, auth: f.auth, accept: V2 },
        'listGroupInvites?username': {
          path: `${g}/invites?username=${encodeURIComponent(probe.username)}`,
          auth: f.auth,
          accept: V2,
        },
        createGroupInvite: {
          path: `/api/atlas/v2/groups/${createProject}/invites`,
          auth: createAuth,
          accept: V2,
          post: '{"username":"bench-{i}@example.com","roles":["GROUP_READ_ONLY"]}',
        },
        listGroupEvents: { path: `${g}/events?itemsPerPage=100`, auth: f.auth, accept: V2 },
        listOrgEvents: { path: `/api/atlas/v2/orgs/${f.orgId}/events?itemsPerPage=100`, auth: f.auth, accept: V2 },
        getOrgUser: { path: `${users}/${member.userId}`, auth: initOwner, accept: V25 },
        listOrgUsers: { path: `${users}?itemsPerPage=100`, auth: initOwner, accept: V25 },
        'listOrgUsers (middle page)': {
          path: `${users}?itemsPerPage=100&pageNum=${Math.max(1, Math.floor(t.members / 200))}`,
          auth: initOwner,
          accept: V25,
        },
      };
    },
    async close() {
      await app.close();
      await deps.close();
      await server.stop();
      await scratch?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return t;
}
type Target = Awaited<ReturnType<typeof openTarget>>;

async function runOnce(t: Target, r: Request): Promise<Measured> {
  const d = await driveProcess({
    base: t.server.base,
    path: r.path,
    auth: r.auth,
    headers: { accept: r.accept, 'content-type': r.accept },
    connections: 1,
    warmupMs: 300,
    durationMs,
    ...(r.post ? { mixed: { every: 1, method: 'POST', path: r.path, bodyTemplate: r.post } } : {}),
  });
  return { p50: d.latencyMs.p50, p99: d.latencyMs.p99, rps: d.requestsPerSecond, statuses: d.statuses };
}

function median(runs: readonly Measured[]): Measured {
  const mid = (f: (m: Measured) => number) => runs.map(f).sort((a, b) => a - b)[Math.floor(runs.length / 2)];
  const statuses: Record<string, number> = {};
  for (const m of runs) for (const [k, v] of Object.entries(m.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
  return { p50: mid((m) => m.p50), p99: mid((m) => m.p99), rps: mid((m) => m.rps), statuses };
}

/**
 * Each operation on the grown store and on the 10³ baseline store, run after run in turn (the
 * median of `reps` each), so a burst of load from elsewhere on the machine hits both alike:
 * `vsBaseline` is the p99 ratio measured side by side.
 */
async function measureOps(
  t: Target,
  base: Target | null,
  ops: readonly string[],
): Promise<Record<string, Measured & { baseline?: Measured; vsBaseline?: number }>> {
  const mine = await t.requests();
  const theirs = base ? await base.requests() : null;
  const out: Record<string, Measured & { baseline?: Measured; vsBaseline?: number }> = {};
  for (const op of ops) {
    const a: Measured[] = [];
    const b: Measured[] = [];
    for (let i = 0; i < reps; i++) {
      a.push(await runOnce(t, mine[op]));
      if (base && theirs) b.push(await runOnce(base, theirs[op]));
    }
    const m = median(a);
    if (b.length === 0) {
      out[op] = m;
    } else {
      const baseline = median(b);
      out[op] = { ...m, baseline, vsBaseline: Number((m.p99 / baseline.p99).toFixed(2)) };
    }
  }
  return out;
}

const INVITATION_OPS = [
  'getGroupInvite',
  'listGroupInvites?username',
  'createGroupInvite',
  'listGroupEvents',
  'listOrgEvents',
  'getOrgUser',
  'listOrgUsers',
];
const MEMBER_OPS = ['getOrgUser', 'listOrgUsers', 'listOrgUsers (middle page)'];

async function runDialect(dialect: 'sqlite' | 'postgres') {
  const max = dialect === 'sqlite' ? Number(flags.max) : Number(flags['pg-max']);
  const membersMax = Number(flags['members-max']);
  const out = {
    dialect,
    sizes: [] as Array<Record<string, unknown>>,
    members: [] as Array<Record<string, unknown>>,
    plans: {} as Record<string, unknown>,
    store: {} as Record<string, unknown>,
  };
  const base = await openTarget(dialect, 'base');
  const t = await openTarget(dialect, 'grown');
  try {
    await base.growTo(1e3);
    const bytesBefore = await t.storeBytes();
    const sizes = sizesUpTo(max);
    for (const size of sizes) {
      await t.growTo(size);
      // Side by side with the 10³ store at the largest size only (it doubles the time).
      const ops = await measureOps(t, size === sizes.at(-1) ? base : null, INVITATION_OPS);
      out.sizes.push({ invitations: size, members: t.members, storeBytes: await t.storeBytes(), ops });
      process.stderr.write(
        `${dialect} ${size}: ${JSON.stringify(Object.fromEntries(Object.entries(ops).map(([k, v]) => [k, [v.p50, v.p99, v.vsBaseline]])))}\n`,
      );
    }
    const bytesAfter = await t.storeBytes();
    out.store = {
      bytes: bytesAfter,
      bytesPerMillionInvitations: Math.round(((bytesAfter - bytesBefore) / t.invitations) * 1e6),
      invitations: t.invitations,
    };
    const memberSizes = [1e3, 1e4, 1e5].filter((s) => s <= membersMax);
    for (const size of memberSizes) {
      await t.growMembersTo(size);
      const ops = await measureOps(t, size === memberSizes.at(-1) ? base : null, MEMBER_OPS);
      out.members.push({ members: size, invitations: t.invitations, ops });
      process.stderr.write(
        `${dialect} members ${size}: ${JSON.stringify(Object.fromEntries(Object.entries(ops).map(([k, v]) => [k, [v.p50, v.p99, v.vsBaseline]])))}\n`,
      );
    }
    out.plans = await plans(t);
  } finally {
    await t.close();
    await base.close();
  }
  return out;
}

/** Each operation once, in-process, on the loaded store: its statements and their plans. */
async function plans(t: Target) {
  const { app, dialect, file, url, first } = t;
  const creates = { createProject: t.createProject, createKey: t.createKey };
  const init = t.server.creds;
  const seeded = digestClient(app, { publicKey: first.auth.username, privateKey: first.auth.password });
  const creator = digestClient(app, creates.createKey);
  const g = `/api/atlas/v2/groups/${first.projectId}`;
  const list = JSON.parse((await seeded({ url: `${g}/invites` })).body) as Array<{ id: string; username: string }>;
  const probe = list[Math.floor(list.length / 2)];
  const owner = digestClient(app, init);
  const memberId = JSON.parse(
    (
      await owner({
        url: `/api/atlas/v2/orgs/${init.orgId}/users?itemsPerPage=1&pageNum=500`,
        headers: { accept: V25 },
      })
    ).body,
  ).results[0].id;
  const orgUsers = `/api/atlas/v2/orgs/${init.orgId}/users`;
  const v25 = { accept: V25, 'content-type': V25 };
  const requests: Record<string, () => Promise<unknown>> = {
    getGroupInvite: () => seeded({ url: `${g}/invites/${probe.id}` }),
    'listGroupInvites?username': () => seeded({ url: `${g}/invites?username=${encodeURIComponent(probe.username)}` }),
    createGroupInvite: () =>
      creator({
        method: 'POST',
        url: `/api/atlas/v2/groups/${creates.createProject}/invites`,
        body: { username: `plan-${Date.now()}@example.com`, roles: ['GROUP_READ_ONLY'] },
      }),
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

type Row = { ops: Record<string, Measured & { baseline?: Measured; vsBaseline?: number }> };

function table(results: Array<Awaited<ReturnType<typeof runDialect>>>): string {
  const lines: string[] = [];
  const bad = (rows: Row[], op: string) => {
    const odd = rows.flatMap((x) => Object.entries(x.ops[op].statuses).filter(([code]) => !code.startsWith('2')));
    return odd.length > 0 ? ` (answers ${JSON.stringify(Object.fromEntries(odd))})` : '';
  };
  const ratio = (rows: Row[], op: string) => {
    const a = rows[0]?.ops[op];
    const b = rows.at(-1)?.ops[op];
    return a && b && a.p99 > 0 ? (b.p99 / a.p99).toFixed(2) : '–';
  };
  const section = (title: string, rows: Row[], label: (x: Row) => string) => {
    if (rows.length === 0) return;
    lines.push(`\n${title} (p50 / p99 ms; 1 connection, Digest, median of ${reps} runs of ${flags.seconds}s)`);
    lines.push(
      `| operation | ${rows.map(label).join(' | ')} | p99 largest/smallest | p99 largest / 10³ store side by side |`,
    );
    lines.push(`|---|${rows.map(() => '---|').join('')}---|---|`);
    for (const op of Object.keys(rows[0].ops)) {
      const cells = rows.map((x) => `${x.ops[op].p50} / ${x.ops[op].p99}`);
      lines.push(
        `| ${op}${bad(rows, op)} | ${cells.join(' | ')} | ${ratio(rows, op)}× | ${rows.at(-1)?.ops[op].vsBaseline}× |`,
      );
    }
  };
  const exp = (n: number) => n.toExponential(0).replace('e+', 'e');
  for (const r of results) {
    section(`${r.dialect}: by invitations in the store`, r.sizes as unknown as Row[], (x) =>
      exp((x as unknown as { invitations: number }).invitations),
    );
    section(`${r.dialect}: by members in one organization`, r.members as unknown as Row[], (x) =>
      exp((x as unknown as { members: number }).members),
    );
    lines.push(`\n${r.dialect} store: ${JSON.stringify(r.store)}`);
  }
  return lines.join('\n');
}

const started = Date.now();
const results = [];
for (const d of flags.dialects.split(',') as Array<'sqlite' | 'postgres'>) results.push(await runDialect(d));
const summary = table(results);
process.stdout.write(`${summary}\n`);
for (const r of results) {
  for (const [op, statements] of Object.entries(
    r.plans as Record<string, Array<{ sql: string; plan: string[]; fullScans: string[] }>>,
  )) {
    process.stdout.write(`\n## ${r.dialect} ${op}\n`);
    for (const s of statements) process.stdout.write(`${s.sql}\n${s.plan.map((l) => `    ${l}`).join('\n')}\n`);
  }
}
mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
const date = new Date().toISOString().replace(/[:.]/g, '-');
const outFile = join(ROOT, `bench/results/scale-${date}.json`);
writeFileSync(
  outFile,
  `${JSON.stringify({ date: new Date().toISOString(), seconds: Math.round((Date.now() - started) / 1000), flags, node: process.version, results }, null, 2)}\n`,
);
process.stdout.write(`\nwritten ${outFile} in ${Math.round((Date.now() - started) / 1000)}s\n`);
