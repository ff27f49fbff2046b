import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { type TestWorld, testWorld } from '../helpers/app.ts';
import {
  type Answer,
  checkAnswer,
  checkRaw,
  describe,
  digestSession,
  type Finding,
  injectTransport,
  makeGenerator,
  rng,
  routesOf,
  seedFromEnv,
  sendRaw,
  summarize,
} from './generator.ts';
import { seedPools } from './setup.ts';

/**
 * A bounded HTTP fuzz over every route the app registers (issue 8): hostile bodies, headers, paths
 * and queries, as the owner (Digest), unauthenticated and with garbage credentials, plus raw bytes on
 * a real socket. Every answer is below 500, every 4xx is an Atlas error body (RFC 6749 on the token
 * endpoints, HTML on the invitee's pages), and a refused mutating request leaves every table as it was.
 * FUZZ_SEED replays a run; FUZZ_REQUESTS changes the request budget (default 2,500); FUZZ_DIALECT=postgres
 * runs it on PostgreSQL.
 */

const SEED = seedFromEnv();
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 2500);
const RAW_REQUESTS = 150;
/** Stop generating after this long, so the file stays well under 30 s on a loaded 2-core machine. */
const BUDGET_MS = Number(process.env.FUZZ_BUDGET_MS ?? 18_000);

/** Tables a refused request may legitimately touch (rate-limit buckets draw on every request). */
const VOLATILE_TABLES = new Set(['rate_limit_buckets']);
/** Usage bookkeeping a refused but authenticated request may update. */
const VOLATILE_COLUMNS = new Set(['last_used_at', 'last_used_address', 'request_count']);

let w: TestWorld;
let tables: string[] = [];

/** SQLite in memory; FUZZ_DIALECT=postgres runs the same fuzz on a fresh PostgreSQL schema. */
const DIALECT = process.env.FUZZ_DIALECT === 'postgres' ? 'postgres' : 'sqlite';

before(async () => {
  w = await testWorld({ controlPlane: true, dialect: DIALECT });
  const rows =
    DIALECT === 'postgres'
      ? await sql<{
          name: string;
        }>`select table_name as name from information_schema.tables where table_schema = ${w.pgSchema as string}`.execute(
          w.deps.database.db,
        )
      : await sql<{
          name: string;
        }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(
          w.deps.database.db,
        );
  tables = rows.rows
    .map((r) => r.name)
    .filter((t) => !VOLATILE_TABLES.has(t) && !t.startsWith('kysely_'))
    .sort();
});
after(() => w.close());

/** One digest per table over all its rows (order-independent). */
async function snapshot(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const t of tables) {
    const res = await sql<Record<string, unknown>>`select * from ${sql.table(t)}`.execute(w.deps.database.db);
    const lines = res.rows
      .map((row) => JSON.stringify(Object.entries(row).filter(([k]) => !VOLATILE_COLUMNS.has(k))))
      .sort();
    out.set(t, `${lines.length}:${createHash('sha1').update(lines.join('\n')).digest('hex')}`);
  }
  return out;
}

function changedTables(a: Map<string, string>, b: Map<string, string>): string[] {
  return [...a.keys()]
    .filter((t) => a.get(t) !== b.get(t))
    .map((t) => `${t} (${a.get(t)?.split(':')[0]} -> ${b.get(t)?.split(':')[0]} rows)`);
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

test(`HTTP fuzz: hostile requests on every route never answer 5xx, always answer Atlas errors, and refused writes change nothing (seed ${SEED})`, async () => {
  console.log(`fuzz seed ${SEED} (set FUZZ_SEED=${SEED} to replay), store ${DIALECT}`);
  const started = Date.now();
  const send = injectTransport(w.app);
  // Operator actions that are destructive by design get their own tests (test/ci-double, test/http/ops):
  // a reset or restore would drop the fuzz's own credentials, an error fault would answer 5xx on purpose.
  const DESTRUCTIVE = /^\/_cloud-invites\/(reset|snapshots\/\{[A-Za-z]+\}\/restore|faults)$/;
  const routes = routesOf(w.app).filter((r) => !(r.method === 'POST' && DESTRUCTIVE.test(r.path)));
  const ids = await seedPools({
    send,
    owner: w.owner,
    orgId: w.orgId,
    groupId: w.groupId,
    controlToken: w.controlToken,
  });
  const r = rng(SEED);
  const gen = makeGenerator(r, { routes, ids, controlToken: w.controlToken, basic: w.serviceAccount });
  const owner = digestSession(send, w.owner);
  const findings: Finding[] = [];
  const statuses = new Map<number, number>();
  let sent = 0;
  let i = 0;
  for (; i < REQUESTS && Date.now() - started < BUDGET_MS; i++) {
    // Keep the rate-limit buckets from running dry: a minute passes every 100 requests.
    if (i % 100 === 99) w.clock.advance(61_000);
    const req = gen.next();
    const mutating = MUTATING.has(req.method);
    const before = mutating ? await snapshot() : null;
    const answers: Answer[] = [];
    try {
      if (req.auth === 'owner') await owner(req.method, req.url, req.headers, req.body, (a) => answers.push(a));
      else answers.push(await send(req.method, req.url, req.headers, req.body));
    } catch (e) {
      findings.push({
        index: i,
        classes: req.classes,
        problem: `request threw: ${String(e).slice(0, 200)}`,
        reproducer: describe(req),
      });
      continue;
    }
    for (const a of answers) {
      sent++;
      statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
      const ct = a.headers['content-type'];
      const problem = checkAnswer(
        req.method,
        req.url,
        a.status,
        typeof ct === 'string' ? ct : undefined,
        a.body.toString('utf8'),
      );
      if (problem)
        findings.push({
          index: i,
          classes: req.classes,
          problem: `${problem}${a.status >= 500 ? `: ${a.body.toString('utf8').slice(0, 200)}` : ''}`,
          reproducer: describe(req),
        });
    }
    const last = answers[answers.length - 1];
    if (before && last.status >= 400) {
      const changed = changedTables(before, await snapshot());
      if (changed.length) {
        findings.push({
          index: i,
          classes: [...req.classes, 'state'],
          problem: `refused ${last.status} but changed ${changed.join(', ')}`,
          reproducer: describe(req),
        });
      }
    }
  }

  const generatedMs = Date.now() - started;
  // Raw bytes on a real socket: request lines and framing no client library would send.
  const address = await w.app.listen({ port: 0, host: '127.0.0.1' });
  const port = Number(new URL(address).port);
  for (let j = 0; j < RAW_REQUESTS && Date.now() - started < BUDGET_MS + 4000; j++) {
    const raw = gen.raw();
    const before = await snapshot();
    const a = await sendRaw(port, raw.bytes, 20_000); // generous: a loaded 2-core CI machine can starve a socket for seconds
    sent++;
    if (a.status !== null) statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
    const problem = checkRaw(raw, a);
    if (problem)
      findings.push({
        index: i + j,
        classes: raw.classes,
        problem: `${problem} ${a.text.slice(0, 120)}`,
        reproducer: `raw socket: ${raw.expr}`,
      });
    if (a.status === null || a.status >= 400) {
      const changed = changedTables(before, await snapshot());
      if (changed.length)
        findings.push({
          index: i + j,
          classes: [...raw.classes, 'state'],
          problem: `refused but changed ${changed.join(', ')}`,
          reproducer: `raw socket: ${raw.expr}`,
        });
    }
  }

  // Still standing, and still answering the owner.
  const alive = await owner('GET', '/api/atlas/v2', { accept: 'application/vnd.atlas.2023-01-01+json' });
  if (alive.status !== 200)
    findings.push({
      index: -1,
      classes: ['liveness'],
      problem: `getSystemStatus answered ${alive.status} after the fuzz`,
      reproducer: `the whole run: FUZZ_SEED=${SEED}`,
    });

  const histogram = [...statuses.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([s, n]) => `${s}:${n}`)
    .join(' ');
  console.log(
    `fuzz: ${i} generated + raw, ${sent} HTTP answers over ${routes.length} routes in ${Date.now() - started} ms (generated part ${generatedMs} ms); statuses ${histogram}`,
  );
  if (findings.length) console.log(summarize(findings, SEED));
  assert.equal(findings.length, 0, summarize(findings, SEED));
});
