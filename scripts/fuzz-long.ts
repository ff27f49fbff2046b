/**
 * The long HTTP fuzz (issue 8): the generator of test/fuzz/http-fuzz.test.ts against a real `serve`
 * child process on loopback, SQLite by default or PostgreSQL (`--pg`, a fresh schema).
 *
 *   npm run fuzz:long -- [--requests 50000] [--max-seconds 900] [--concurrency 4] [--pg] [--seed N]
 *                        [--rate-limits atlas|off]
 *
 * Prints the requests sent, a status histogram, the 5xx seen (with reproducers) and the server's RSS
 * at start and end. Exits 1 on any 5xx or if the server dies.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testWorld } from '../test/helpers/app.ts';
import {
  type Answer,
  checkAnswer,
  checkRaw,
  describe,
  digestSession,
  type Finding,
  httpTransport,
  makeGenerator,
  rng,
  routesOf,
  seedFromEnv,
  sendRaw,
  summarize,
} from '../test/fuzz/generator.ts';
import { seedPools } from '../test/fuzz/setup.ts';
import { argFlag, argValue, freshPgUrl, rssKb, spawnServe } from './lib/serve-child.ts';

const REQUESTS = Number(argValue('--requests') ?? 50_000);
const MAX_SECONDS = Number(argValue('--max-seconds') ?? 900);
const CONCURRENCY = Math.max(1, Number(argValue('--concurrency') ?? 4));
const PG = argFlag('--pg');
const SEED = argValue('--seed') !== undefined ? Number(argValue('--seed')) >>> 0 : seedFromEnv();
const RATE_LIMITS = argValue('--rate-limits') ?? 'off';
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

async function main(): Promise<number> {
  console.log(
    `fuzz:long seed ${SEED} (--seed ${SEED} or FUZZ_SEED=${SEED} replays the generator), ${REQUESTS} requests, at most ${MAX_SECONDS} s, store ${PG ? 'PostgreSQL' : 'SQLite'}`,
  );
  // The route list comes from an in-process app with the same routes as `serve --control-plane`.
  const probe = await testWorld({ controlPlane: true });
  const routes = routesOf(probe.app);
  await probe.close();

  const dataDir = mkdtempSync(join(tmpdir(), 'cloud-invites-fuzz-'));
  const pgStore = PG ? await freshPgUrl() : null;
  const args = [
    '--control-plane',
    '--rate-limits',
    RATE_LIMITS,
    '--rate-limit-overrides',
    'invitations-ip=1000000:1000000',
  ];
  if (pgStore) args.push('--database-url', pgStore.url);
  const server = spawnServe({ dataDir, args });
  const http = { close: () => {} };
  try {
    const { baseUrl, port, creds } = await server.ready;
    if (!creds?.controlToken) throw new Error(`no first-start credentials:\n${server.stdout()}`);
    const transport = httpTransport(baseUrl);
    http.close = transport.close;
    const send = transport.send;
    const ids = await seedPools({
      send,
      owner: creds,
      orgId: creds.orgId,
      groupId: creds.groupId,
      controlToken: creds.controlToken,
    });
    const rssStart = rssKb(server.pid);
    console.log(`server pid ${server.pid} at ${baseUrl}; RSS at start ${rssStart?.rss} kB; ${routes.length} routes`);

    const gen = makeGenerator(rng(SEED), {
      routes,
      ids,
      controlToken: creds.controlToken,
      basic:
        creds.clientId && creds.clientSecret
          ? { clientId: creds.clientId, clientSecret: creds.clientSecret }
          : undefined,
    });
    const r = rng(SEED ^ 0x5bd1e995);
    const statuses = new Map<number, number>();
    const fiveXx: Finding[] = [];
    const otherFindings: Finding[] = [];
    let generated = 0;
    let sent = 0;
    let dead: string | null = null;
    const started = Date.now();
    const deadline = started + MAX_SECONDS * 1000;
    let lastReport = started;

    const record = (
      index: number,
      classes: string[],
      reproducer: string,
      method: string,
      url: string,
      a: { status: number | null; ct?: string; body: string },
    ) => {
      sent++;
      if (a.status !== null) statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
      const problem = checkAnswer(method, url, a.status, a.ct, a.body);
      if (!problem) return;
      const f = {
        index,
        classes,
        problem: a.status !== null && a.status >= 500 ? `${problem}: ${a.body.slice(0, 200)}` : problem,
        reproducer,
      };
      (a.status !== null && a.status >= 500 ? fiveXx : otherFindings).push(f);
    };

    const worker = async () => {
      const owner = digestSession(send, creds);
      while (generated < REQUESTS && Date.now() < deadline && !dead) {
        const index = generated++;
        if (r.chance(0.03)) {
          const raw = gen.raw();
          try {
            const a = await sendRaw(port, raw.bytes);
            sent++;
            if (a.status !== null) statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
            const problem = checkRaw(raw, a);
            if (problem)
              (a.status !== null && a.status >= 500 ? fiveXx : otherFindings).push({
                index,
                classes: raw.classes,
                problem,
                reproducer: `raw socket: ${raw.expr}`,
              });
          } catch (e) {
            if (server.exited()) dead = `server died on raw request #${index}: raw socket: ${raw.expr} (${String(e)})`;
          }
          continue;
        }
        const req = gen.next();
        try {
          const seen = (a: Answer) => {
            const ct = a.headers['content-type'];
            record(index, req.classes, describe(req), req.method, req.url, {
              status: a.status,
              ct: typeof ct === 'string' ? ct : undefined,
              body: a.body.toString('utf8'),
            });
          };
          if (req.auth === 'owner') await owner(req.method, req.url, req.headers, req.body, seen);
          else seen(await send(req.method, req.url, req.headers, req.body));
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (server.exited()) dead = `server died on request #${index}: ${describe(req)}`;
          else if (
            code === 'ERR_INVALID_CHAR' ||
            code === 'ERR_INVALID_HTTP_TOKEN' ||
            code === 'ERR_UNESCAPED_CHARACTERS'
          )
            continue; // node's client refuses to send it
          else
            otherFindings.push({
              index,
              classes: req.classes,
              problem: `request threw ${code ?? ''} ${String(e).slice(0, 160)}${MUTATING.has(req.method) ? '' : ''}`,
              reproducer: describe(req),
            });
        }
        if (Date.now() - lastReport > 15_000) {
          lastReport = Date.now();
          console.log(
            `  … ${generated} requests, ${sent} answers, ${fiveXx.length} 5xx, RSS ${rssKb(server.pid)?.rss} kB, ${Math.round((Date.now() - started) / 1000)} s`,
          );
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    const rssEnd = rssKb(server.pid);
    const histogram = [...statuses.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([s, n]) => `${s}:${n}`)
      .join(' ');
    console.log(
      `\nrequests generated: ${generated}; HTTP answers: ${sent}; ${Math.round((Date.now() - started) / 1000)} s`,
    );
    console.log(`status histogram: ${histogram}`);
    console.log(`server RSS: start ${rssStart?.rss} kB, end ${rssEnd?.rss} kB, peak ${rssEnd?.peak} kB`);
    if (dead) console.log(`SERVER DIED: ${dead}\nstderr:\n${server.stderr().slice(-3000)}`);
    console.log(`5xx seen: ${fiveXx.length}`);
    if (fiveXx.length) console.log(summarize(fiveXx, SEED));
    if (otherFindings.length) console.log(`\nother findings (not failing the run):\n${summarize(otherFindings, SEED)}`);
    return fiveXx.length || dead ? 1 : 0;
  } finally {
    http.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
    await pgStore?.drop();
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(2);
  },
);
