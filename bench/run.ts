/**
 * `npm run bench`: cloud-invites against a bare node:http "ceiling" (answering the bytes our
 * server answers) and Stoplight Prism, each in its own process, each driven by a load generator in
 * its own process (bench/lib/drive.ts). Per scenario: warm-ups, then `--runs` measured runs of
 * ours and of its ceiling, alternating; medians and spread. Writes bench/results/<date>.json, .svg and .md, and prints the table.
 *
 *   node bench/run.ts [--duration 5] [--runs 3] [--warmup 2] [--connections 10]
 *                     [--only REGEX] [--no-prism] [--no-pg] [--max-load 1.5] [--wait-budget 60] [--readme]
 *   node bench/run.ts --render bench/results/<date>.json [--readme]   (table and chart again, no measuring)
 *
 * Never part of `npm test`; numbers, not assertions.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { freshPgDatabase } from '../test/helpers/database.ts';
import type { CapturedAnswer } from './lib/ceiling.ts';
import type { DriveOptions, DriveResult } from './lib/drive.ts';
import { type BenchReport, markdown, median, type ScenarioResult, summarize, svg } from './lib/report.ts';
import {
  type Auth,
  authed,
  bearerToken,
  driveProcess,
  freePort,
  NODE,
  once,
  ROOT,
  rssMiB,
  type Served,
  serve,
  spawnListening,
  spawnServe,
  stopChild,
  untilFirst200,
  V2,
} from './lib/server.ts';
import { spawn } from 'node:child_process';
import { updateReadme } from './lib/readme.ts';

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    runs: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '10' },
    only: { type: 'string' },
    'no-prism': { type: 'boolean', default: false },
    'no-pg': { type: 'boolean', default: false },
    'max-load': { type: 'string', default: '1.5' },
    'wait-budget': { type: 'string', default: '60' },
    readme: { type: 'boolean', default: false },
    render: { type: 'string' },
    out: { type: 'string', default: join(ROOT, 'bench/results') },
  },
});
const DURATION_MS = Number(flags.duration) * 1000;
const RUNS = Math.max(1, Number(flags.runs));
const WARMUP_MS = Number(flags.warmup) * 1000;
const CONNECTIONS = Number(flags.connections);
const ONLY = flags.only ? new RegExp(flags.only, 'i') : null;
const PG_ADMIN_URL =
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Atlas's buckets stay on and are drawn from on every call, but never empty (and creates are not held to 10 a minute). */
const RATE_ON = [
  '--rate-limits',
  'atlas',
  '--rate-limit-overrides',
  'projects-group=1000000000:1000000000,invitations-ip=1000000000:1000000000',
];
const RATE_OFF = ['--rate-limits', 'off'];
const INVITATIONS = 3;
const V1_JSON = 'application/json';
const notes: string[] = [];
const cleanups: (() => Promise<void>)[] = [];
const log = (s: string) => process.stderr.write(`${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits (bounded) for a quiet machine: the 1-minute load under --max-load. */
async function quiet(): Promise<number[]> {
  const max = Number(flags['max-load']);
  for (let i = 0; i < 20 && loadavg()[0] > max; i++) {
    log(`load ${loadavg()[0].toFixed(2)} > ${max}: waiting 15 s (${i + 1}/20)`);
    await sleep(15_000);
  }
  if (loadavg()[0] > max)
    notes.push(`The machine was busy: 1-minute load ${loadavg()[0].toFixed(2)} when measuring started.`);
  return loadavg().map((x) => Number(x.toFixed(2)));
}

type Target = Omit<DriveOptions, 'warmupMs' | 'durationMs'>;
let waitedMs = 0;
const WAIT_BUDGET_MS = Number(flags['wait-budget']) * 1000;
const busyBefore: number[] = [];

/** Share of all cores busy over 500 ms (from /proc/stat), taken while our processes sit idle. */
async function busyShare(): Promise<number> {
  const sample = () => {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = f[3] + (f[4] ?? 0);
    return { idle, total: f.reduce((a, b) => a + b, 0) };
  };
  const a = sample();
  await sleep(500);
  const b = sample();
  return b.total === a.total ? 0 : 1 - (b.idle - a.idle) / (b.total - a.total);
}

/**
 * Before each measured run: while other processes keep more than a quarter of the machine busy,
 * wait (a second at a time, at most --wait-budget seconds over the whole bench), and record what was seen.
 */
async function quietEnough(): Promise<void> {
  let busy = await busyShare();
  while (busy > 0.25 && waitedMs < WAIT_BUDGET_MS) {
    await sleep(1000);
    waitedMs += 1500;
    busy = await busyShare();
  }
  busyBefore.push(busy);
}

/**
 * Warm-ups (discarded), then RUNS measured runs of each target, interleaved (A B A B …) so a
 * change in the machine's background load falls on both; each run from a fresh load-generator process.
 */
async function measure(...targets: Target[]): Promise<DriveResult[][]> {
  for (const t of targets) await driveProcess({ ...t, warmupMs: WARMUP_MS, durationMs: 200 });
  const runs: DriveResult[][] = targets.map(() => []);
  for (let i = 0; i < RUNS; i++) {
    for (const [k, t] of targets.entries()) {
      await quietEnough();
      runs[k].push(await driveProcess({ ...t, warmupMs: 300, durationMs: DURATION_MS }));
    }
  }
  return runs;
}

function strip(
  a: { status: number; rawHeaders: string[]; body: string },
  method: string,
  path?: string,
): CapturedAnswer {
  const headers: [string, string][] = [];
  for (let i = 0; i < a.rawHeaders.length; i += 2) headers.push([a.rawHeaders[i], a.rawHeaders[i + 1]]);
  return { method, ...(path === undefined ? {} : { path }), status: a.status, headers, body: a.body };
}

interface Ceiling {
  answers: CapturedAnswer[];
  keepAliveTimeoutS?: number;
}

async function startCeiling(c: Ceiling, port = 0) {
  const dir = mkdtempSync(join(tmpdir(), 'cloud-invites-ceiling-'));
  const file = join(dir, 'answers.json');
  writeFileSync(file, JSON.stringify({ keepAliveTimeoutS: c.keepAliveTimeoutS, answers: c.answers }));
  const started = await spawnListening(join(ROOT, 'bench/lib/ceiling.ts'), [file, String(port)]);
  return {
    ...started,
    file,
    stop: async () => {
      await stopChild(started.child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const keepAliveOf = (a: CapturedAnswer) => {
  const v = a.headers.find(([k]) => k.toLowerCase() === 'keep-alive')?.[1];
  const m = v ? /timeout=(\d+)/.exec(v) : null;
  return m ? Number(m[1]) : undefined;
};

interface Scenario {
  id: string;
  title: string;
  short: string;
  auth: 'Digest' | 'Bearer';
  options: (
    s: ServerCtx,
  ) => Omit<DriveOptions, 'warmupMs' | 'durationMs' | 'base' | 'auth' | 'watchPid' | 'connections'>;
  /** Captures our answers for the ceiling (one authenticated exchange per route involved). */
  capture: (s: ServerCtx, auth: Auth) => Promise<CapturedAnswer[]>;
  expect: string[];
}

interface ServerCtx {
  served: Served;
  token: string;
  groupId: string;
  invitationIds: string[];
  store: 'SQLite' | 'PostgreSQL';
  rateLimits: 'on' | 'off';
}

const listPath = (s: ServerCtx) => `/api/atlas/v2/groups/${s.groupId}/invites`;
const v1ListPath = (s: ServerCtx) => `/api/public/v1.0/groups/${s.groupId}/invites`;
const getPath = (s: ServerCtx) => `${listPath(s)}/${s.invitationIds[0]}`;
const createBody = '{"roles":["GROUP_READ_ONLY"],"username":"bench-{i}@example.com"}';

async function captureOne(
  s: ServerCtx,
  auth: Auth,
  method: string,
  path: string,
  headers: Record<string, string>,
  matchPath: string | undefined,
  body?: string,
) {
  const a = await authed(s.served.base, method, path, headers, auth, body);
  return { answer: strip(a, method, matchPath), raw: a };
}

async function captureWrites(s: ServerCtx, auth: Auth, withList: boolean): Promise<CapturedAnswer[]> {
  const out: CapturedAnswer[] = [];
  if (withList) out.push((await captureOne(s, auth, 'GET', listPath(s), { accept: V2 }, listPath(s))).answer);
  const created = await captureOne(
    s,
    auth,
    'POST',
    listPath(s),
    { accept: V2, 'content-type': V2 },
    undefined,
    createBody.replace('{i}', 'capture'),
  );
  out.push(created.answer);
  const id = (JSON.parse(created.raw.body) as { id: string }).id;
  out.push((await captureOne(s, auth, 'DELETE', `${listPath(s)}/${id}`, { accept: V2 }, undefined)).answer);
  return out;
}

const SCENARIOS: Record<string, Scenario> = {
  listDigest: {
    id: 'list-digest',
    title: 'listGroupInvites, Digest',
    short: 'list, Digest',
    auth: 'Digest',
    options: (s) => ({ path: listPath(s), headers: { accept: V2 } }),
    capture: async (s, auth) => [(await captureOne(s, auth, 'GET', listPath(s), { accept: V2 }, undefined)).answer],
    expect: ['200'],
  },
  listBearer: {
    id: 'list-bearer',
    title: 'listGroupInvites, Bearer',
    short: 'list, Bearer',
    auth: 'Bearer',
    options: (s) => ({ path: listPath(s), headers: { accept: V2 } }),
    capture: async (s, auth) => [(await captureOne(s, auth, 'GET', listPath(s), { accept: V2 }, undefined)).answer],
    expect: ['200'],
  },
  getDigest: {
    id: 'get-digest',
    title: 'getGroupInvite, Digest',
    short: 'get, Digest',
    auth: 'Digest',
    options: (s) => ({ path: getPath(s), headers: { accept: V2 } }),
    capture: async (s, auth) => [(await captureOne(s, auth, 'GET', getPath(s), { accept: V2 }, undefined)).answer],
    expect: ['200'],
  },
  v1ListDigest: {
    id: 'v1-list-digest',
    title: 'v1.0 listGroupInvites, Digest',
    short: 'v1.0 list, Digest',
    auth: 'Digest',
    options: (s) => ({ path: v1ListPath(s), headers: { accept: V1_JSON } }),
    capture: async (s, auth) => [
      (await captureOne(s, auth, 'GET', v1ListPath(s), { accept: V1_JSON }, undefined)).answer,
    ],
    expect: ['200'],
  },
  pairs: {
    id: 'create-delete',
    title: 'createGroupInvite + deleteGroupInvite pairs, Digest',
    short: 'create + delete, Digest',
    auth: 'Digest',
    options: (s) => ({
      path: listPath(s),
      headers: { accept: V2 },
      writes: {
        every: 1,
        create: { path: listPath(s), headers: { 'content-type': V2 }, bodyTemplate: createBody },
        deletePath: `${listPath(s)}/{id}`,
      },
    }),
    capture: (s, auth) => captureWrites(s, auth, false),
    expect: ['200', '204'],
  },
  mixed: {
    id: 'mixed-90-10',
    title: 'mixed 90% listGroupInvites / 10% create or delete, Digest',
    short: '90/10 read/write, Digest',
    auth: 'Digest',
    options: (s) => ({
      path: listPath(s),
      headers: { accept: V2 },
      writes: {
        every: 10,
        create: { path: listPath(s), headers: { 'content-type': V2 }, bodyTemplate: createBody },
        deletePath: `${listPath(s)}/{id}`,
      },
    }),
    capture: (s, auth) => captureWrites(s, auth, true),
    expect: ['200', '204'],
  },
};

const results: ScenarioResult[] = [];
let prismSummary: BenchReport['prism'] = { skipped: 'not run' };
const loadRss: number[] = [];

async function runGroup(
  store: 'SQLite' | 'PostgreSQL',
  rateLimits: 'on' | 'off',
  scenarios: Scenario[],
  databaseUrl?: string,
) {
  scenarios = scenarios.filter((sc) => !ONLY || ONLY.test(`${sc.id} ${store} rl-${rateLimits}`));
  if (!scenarios.length) return;
  log(`\n== ${store}, rate limits ${rateLimits}: starting cloud-invites serve`);
  const served = await serve([
    ...(rateLimits === 'on' ? RATE_ON : RATE_OFF),
    ...(databaseUrl ? ['--database-url', databaseUrl] : []),
  ]);
  try {
    const { creds } = served;
    const token = await bearerToken(served.base, creds.clientId, creds.clientSecret);
    const invitationIds: string[] = [];
    for (let i = 0; i < INVITATIONS; i++) {
      const a = await once(
        `${served.base}/api/atlas/v2/groups/${creds.groupId}/invites`,
        'POST',
        { authorization: `Bearer ${token}`, accept: V2, 'content-type': V2 },
        JSON.stringify({ roles: ['GROUP_READ_ONLY'], username: `user${i}@example.com` }),
      );
      if (a.status !== 200) throw new Error(`seeding failed: ${a.status} ${a.body}`);
      invitationIds.push((JSON.parse(a.body) as { id: string }).id);
    }
    const ctx: ServerCtx = { served, token, groupId: creds.groupId, invitationIds, store, rateLimits };
    const digest = { kind: 'digest' as const, username: creds.publicKey, password: creds.privateKey };
    for (const sc of scenarios) {
      const auth: Auth = sc.auth === 'Digest' ? digest : { kind: 'bearer', token };
      const answers = await sc.capture(ctx, auth);
      const challenge = (await once(`${served.base}${listPath(ctx)}`, 'GET', { accept: V2 })).headers[
        'www-authenticate'
      ] as string;
      log(`-- ${sc.title} (${store}, rate limits ${rateLimits}): ours and its ceiling, interleaved`);
      const opts = sc.options(ctx);
      const c = await startCeiling({ answers, keepAliveTimeoutS: keepAliveOf(answers[0]) });
      let ours: DriveResult[];
      let ceilingRuns: DriveResult[];
      try {
        // Same request bytes to the ceiling: Digest signs from our challenge (the ceiling never sends one).
        const ceilingAuth = auth.kind === 'digest' ? { ...auth, challenge } : auth;
        [ours, ceilingRuns] = await measure(
          { ...opts, base: served.base, auth, connections: CONNECTIONS, watchPid: served.child.pid },
          { ...opts, base: c.base, auth: ceilingAuth, connections: CONNECTIONS, watchPid: c.child.pid },
        );
      } finally {
        await c.stop();
      }
      const oursSummary = summarize(ours);
      if (oursSummary.maxRssMiB !== null) loadRss.push(oursSummary.maxRssMiB);
      const ceiling = summarize(ceilingRuns);
      const prismRps = 'requestsPerSecond' in prismSummary ? prismSummary.requestsPerSecond : null;
      const problems = Object.keys(oursSummary.statuses)
        .filter((k) => !sc.expect.includes(k))
        .map((k) => `ours answered ${k} ${oursSummary.statuses[k]} times`);
      // A nonce serves 1,024 counts, then stale=true and the client takes a new one: more than that is news.
      const rest = ours.flatMap((r) =>
        r.nonceRenewals > r.requests / 1024 + 2 * CONNECTIONS
          ? [`${r.nonceRenewals} nonce renewals in ${r.requests} requests`]
          : [],
      );
      const result: ScenarioResult = {
        id: sc.id,
        title: sc.title,
        short: sc.short,
        store,
        rateLimits,
        auth: sc.auth,
        ours: { ...oursSummary, runsRaw: ours },
        ceiling,
        ratios: {
          rpsVsCeiling: ceiling ? Number((oursSummary.requestsPerSecond / ceiling.requestsPerSecond).toFixed(3)) : null,
          rpsVsPrism: prismRps ? Number((oursSummary.requestsPerSecond / prismRps).toFixed(2)) : null,
          cpuVsCeiling:
            ceiling?.cpuMicrosPerRequest && oursSummary.cpuMicrosPerRequest !== null
              ? Number((oursSummary.cpuMicrosPerRequest / ceiling.cpuMicrosPerRequest).toFixed(2))
              : null,
          p99VsCeiling: ceiling ? Number((oursSummary.p99Ms / ceiling.p99Ms).toFixed(2)) : null,
        },
        problems: [...problems, ...rest],
      };
      results.push(result);
      log(
        `   ${oursSummary.requestsPerSecond} req/s (±${oursSummary.spread.percent}%), ceiling ${ceiling?.requestsPerSecond}, ` +
          `CPU ${oursSummary.cpuMicrosPerRequest} µs/req vs ${ceiling?.cpuMicrosPerRequest}, p50 ${oursSummary.p50Ms} p99 ${oursSummary.p99Ms} ms${result.problems.length ? `; PROBLEMS: ${result.problems.join('; ')}` : ''}`,
      );
    }
  } finally {
    await served.stop();
    rmSync(served.dataDir, { recursive: true, force: true });
  }
}

async function runPrism(token: string, groupId: string) {
  const spec = resolve(ROOT, '../shared/reference/atlas-invitations-openapi.yaml');
  const bin = join(ROOT, 'node_modules/.bin/prism');
  if (flags['no-prism']) return void (prismSummary = { skipped: 'skipped (--no-prism)' });
  if (!existsSync(spec))
    return void (prismSummary = { skipped: `skipped: ${spec} not found (shared/ should sit beside the repository)` });
  if (!existsSync(bin))
    return void (prismSummary = { skipped: 'skipped: @stoplight/prism-cli is not installed (npm i)' });
  log('\n== Stoplight Prism mock');
  const port = await freePort();
  const path = `/api/atlas/v2/groups/${groupId}/invites`;
  const headers = { accept: V2, authorization: `Bearer ${token}` };
  // Prism's own CLI, default options (static examples, info logging to a discarded stdout).
  const started = await untilFirst200(
    () =>
      spawn(NODE, [realpathSync(bin), 'mock', spec, '-p', String(port), '-h', '127.0.0.1'], {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'ignore'],
      }),
    () => once(`http://127.0.0.1:${port}${path}`, 'GET', headers),
  );
  try {
    const version = execFileSync(NODE, [realpathSync(bin), '--version'], { encoding: 'utf8' }).trim();
    const [runs] = await measure({
      base: `http://127.0.0.1:${port}`,
      path,
      headers: { accept: V2 },
      auth: { kind: 'bearer', token },
      connections: CONNECTIONS,
      watchPid: started.child.pid,
    });
    prismSummary = {
      ...summarize(runs),
      version,
      startMs: Math.round(started.ms),
      request: `GET ${path.replace(groupId, '{groupId}')} (Accept ${V2}, a Bearer header: Prism checks one is present)`,
    };
    log(`   Prism ${prismSummary.requestsPerSecond} req/s, p50 ${prismSummary.p50Ms} p99 ${prismSummary.p99Ms} ms`);
  } finally {
    await stopChild(started.child);
  }
}

/**
 * The framework's own floor: a Fastify hello-world (no authentication, no store, one route)
 * driven like our scenarios. Its CPU per request against the ceiling's says how much of the
 * target is left once Fastify itself is paid for.
 */
async function runFastifyFloor(): Promise<BenchReport['fastifyFloor']> {
  log('\n== Fastify hello-world (the framework floor)');
  const port = await freePort();
  const started = await untilFirst200(
    () => spawn(NODE, [join(ROOT, 'bench/lib/hello-fastify.ts'), String(port)], { cwd: ROOT, stdio: 'ignore' }),
    () => once(`http://127.0.0.1:${port}/`, 'GET', {}),
  );
  try {
    const [runs] = await measure({
      base: `http://127.0.0.1:${port}`,
      path: '/',
      headers: {},
      auth: { kind: 'none' },
      connections: CONNECTIONS,
      watchPid: started.child.pid,
    });
    const s = summarize(runs);
    log(`   Fastify hello-world ${s.requestsPerSecond} req/s, ${s.cpuMicrosPerRequest} µs CPU/req, p99 ${s.p99Ms} ms`);
    return s;
  } finally {
    await stopChild(started.child);
  }
}

/** Cold start (spawn → first 200) and idle RSS: ours (restart and first run), the ceiling, a Fastify hello-world. */
async function startAndMemory(): Promise<BenchReport['start']> {
  log('\n== cold start and idle RSS');
  const restart: number[] = [];
  const firstRun: number[] = [];
  const ceilingStart: number[] = [];
  const idleOurs: number[] = [];
  const idleCeiling: number[] = [];
  const idleHello: number[] = [];
  const idle = async (pid: number) => {
    await sleep(2000);
    return rssMiB(pid);
  };
  let listAnswer: CapturedAnswer | null = null;
  for (let i = 0; i < 3; i++) {
    // First run: a fresh store (init: migrations, org, project, keys), then the first authenticated 200.
    const served = await serve(RATE_ON);
    const { creds, dataDir } = served;
    const path = `/api/atlas/v2/groups/${creds.groupId}/invites`;
    const auth: Auth = { kind: 'digest', username: creds.publicKey, password: creds.privateKey };
    const a = await authed(served.base, 'GET', path, { accept: V2 }, auth);
    if (a.status !== 200) throw new Error(`first request: ${a.status}`);
    firstRun.push(performance.now() - served.startedAtMs);
    listAnswer = strip(a, 'GET');
    await served.stop();
    // Restart on that store, as a user restarts the service: spawn → first authenticated 200.
    const port = await freePort();
    const r = await untilFirst200(
      () => spawnServe(dataDir, port, RATE_ON),
      () => authed(`http://127.0.0.1:${port}`, 'GET', path, { accept: V2 }, auth),
    );
    restart.push(r.ms);
    idleOurs.push(await idle(r.child.pid as number));
    await stopChild(r.child);
    rmSync(dataDir, { recursive: true, force: true });
  }
  for (let i = 0; i < 3; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'cloud-invites-ceiling-'));
    const file = join(dir, 'answers.json');
    writeFileSync(file, JSON.stringify({ answers: [listAnswer] }));
    const port = await freePort();
    const c = await untilFirst200(
      () => spawn(NODE, [join(ROOT, 'bench/lib/ceiling.ts'), file, String(port)], { cwd: ROOT, stdio: 'ignore' }),
      () => once(`http://127.0.0.1:${port}/`, 'GET', { accept: V2 }),
    );
    ceilingStart.push(c.ms);
    idleCeiling.push(await idle(c.child.pid as number));
    await stopChild(c.child);
    rmSync(dir, { recursive: true, force: true });
    const hport = await freePort();
    const h = await untilFirst200(
      () => spawn(NODE, [join(ROOT, 'bench/lib/hello-fastify.ts'), String(hport)], { cwd: ROOT, stdio: 'ignore' }),
      () => once(`http://127.0.0.1:${hport}/`, 'GET', {}),
    );
    idleHello.push(await idle(h.child.pid as number));
    await stopChild(h.child);
  }
  const m = (xs: number[]) => Math.round(median(xs));
  const start = {
    coldStartMs: {
      oursRestart: m(restart),
      oursFirstRun: m(firstRun),
      ceiling: m(ceilingStart),
      ratioRestartVsCeiling: Number((median(restart) / median(ceilingStart)).toFixed(2)),
    },
    idleRssMiB: {
      ours: m(idleOurs),
      fastifyHello: m(idleHello),
      ceiling: m(idleCeiling),
      ratioOursVsHello: Number((median(idleOurs) / median(idleHello)).toFixed(2)),
    },
    loadRssMiB: { ours: 0, ratioOursVsHelloIdle: 0 },
    samples: Object.fromEntries(
      Object.entries({ restart, firstRun, ceilingStart, idleOurs, idleCeiling, idleHello }).map(([k, v]) => [
        k,
        v.map(Math.round),
      ]),
    ),
  };
  log(
    `   cold start: ours ${start.coldStartMs.oursRestart} ms (first run ${start.coldStartMs.oursFirstRun} ms), ceiling ${start.coldStartMs.ceiling} ms; idle RSS ours ${start.idleRssMiB.ours} MiB, hello ${start.idleRssMiB.fastifyHello}, ceiling ${start.idleRssMiB.ceiling}`,
  );
  return start;
}

async function benchDatabase(): Promise<string | null> {
  if (flags['no-pg']) {
    notes.push('PostgreSQL scenarios skipped (--no-pg).');
    return null;
  }
  try {
    const db = await freshPgDatabase('cloud_invites_bench', PG_ADMIN_URL);
    cleanups.push(db.drop);
    return db.url;
  } catch (e) {
    notes.push(`PostgreSQL scenarios skipped: ${(e as Error).message} (${PG_ADMIN_URL}; set BENCH_DATABASE_URL).`);
    return null;
  }
}

async function main() {
  const started = Date.now();
  const loadAtStart = await quiet();
  log(`machine: ${cpus().length} cores, load ${loadAtStart.join(' ')}`);
  const date = new Date().toISOString().slice(0, 10);
  const commit = execFileSync('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();

  const start = await startAndMemory();

  // Prism first, with a real-looking Bearer header (any token: Prism checks only that one is sent).
  await runPrism('bench.prism.token.0123456789abcdef0123456789abcdef', '5f1d8c8e8e8e8e8e8e8e8e8e');
  const fastifyFloor = await runFastifyFloor();
  const S = SCENARIOS;
  await runGroup('SQLite', 'on', [S.listDigest, S.listBearer, S.getDigest, S.v1ListDigest, S.pairs, S.mixed]);
  await runGroup('SQLite', 'off', [S.listDigest, S.listBearer, S.getDigest, S.v1ListDigest]);
  const url = await benchDatabase();
  if (url) await runGroup('PostgreSQL', 'on', [S.listDigest, S.pairs, S.mixed], url);

  start.loadRssMiB.ours = loadRss.length ? Math.max(...loadRss) : 0;
  start.loadRssMiB.ratioOursVsHelloIdle = Number((start.loadRssMiB.ours / start.idleRssMiB.fastifyHello).toFixed(2));
  notes.push(
    'Rate limits on: `--rate-limit-overrides projects-group=1000000000:1000000000,invitations-ip=1000000000:1000000000` (every call draws from its bucket, which never empties; creates also draw from the per-address invitation bucket).',
    'Writes count each request (a create and a delete are two); the mix sends every 10th request of a connection as a write, alternating create and delete, so the list stays at 3 to 13 invitations.',
    'The ceiling gets the same request bytes (Digest signed from our challenge, the same Bearer token) and answers our captured status, headers and body; its runs alternate with ours (ours, ceiling, ours, …) so both see the same background.',
    `Digest clients renew their nonce after 1,024 uses (the server answers stale=true): about one extra round trip per 1,024 requests, counted in the latency.`,
    `Background: before each run the machine (other processes; ours idle) was ${Math.round(100 * median(busyBefore))}% busy at the median, ${Math.round(100 * Math.max(...busyBefore))}% at most${waitedMs ? `; the bench waited ${Math.round(waitedMs / 1000)} s for quiet` : ''}.`,
    'CPU µs/req: user + system time of the server process (from /proc, 10 ms ticks) over the measured window divided by the requests in it.',
  );
  for (const s of results)
    for (const p of s.problems) notes.push(`${s.title} (${s.store}, rate limits ${s.rateLimits}): ${p}.`);
  const report: BenchReport = {
    date,
    machine: {
      cores: cpus().length,
      cpu: cpus()[0]?.model ?? 'unknown',
      memGiB: Math.round(totalmem() / 2 ** 30),
      loadAtStart,
      loadAtEnd: loadavg().map((x) => Number(x.toFixed(2))),
      node: process.version,
      commit,
    },
    settings: {
      durationS: DURATION_MS / 1000,
      warmupS: WARMUP_MS / 1000,
      runs: RUNS,
      connections: CONNECTIONS,
      invitations: INVITATIONS,
    },
    prism: prismSummary,
    fastifyFloor,
    scenarios: results,
    start,
    notes,
  };
  mkdirSync(flags.out, { recursive: true });
  const base = join(flags.out, date);
  writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(`${base}.svg`, svg(report));
  const md = markdown(report);
  writeFileSync(`${base}.md`, md);
  if (flags.readme) updateReadme(join(ROOT, 'README.md'), md, `bench/results/${date}.svg`);
  process.stdout.write(
    `\n${md}\nwrote ${base}.json, ${base}.svg, ${base}.md (${Math.round((Date.now() - started) / 1000)} s)\n`,
  );
}

/** Writes the chart and table of a results file again (after a change to the report), without measuring. */
function render(file: string) {
  const report = JSON.parse(readFileSync(file, 'utf8')) as BenchReport;
  const base = file.replace(/\.json$/, '');
  writeFileSync(`${base}.svg`, svg(report));
  const md = markdown(report);
  writeFileSync(`${base}.md`, md);
  if (flags.readme) updateReadme(join(ROOT, 'README.md'), md, `bench/results/${report.date}.svg`);
  process.stdout.write(md);
}

try {
  if (flags.render) render(flags.render);
  else await main();
} finally {
  for (const c of cleanups) await c().catch((e) => log(`cleanup: ${(e as Error).message}`));
}
