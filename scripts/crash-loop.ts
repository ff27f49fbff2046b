/**
 * The crash loop (issue 8): start `serve`, drive concurrent acknowledged writes (createGroupInvite
 * over Digest, and `cloud-invites api-keys create` from the CLI part of the time), kill -9 the server
 * at a random moment (also during a fresh store's first start and migrations), restart it, and check
 * that it starts and that every write it acknowledged with 200 (or the CLI with exit 0) is still there.
 *
 *   npm run crash:long -- [--kills 40] [--pg] [--writers 6] [--max-seconds 900] [--seed N] [--no-cli] [--fresh-every 6]
 *
 * Prints kills, acknowledged writes, writes lost, failed restarts and first starts left half made.
 * Exits 1 if any write was lost, any restart failed or a first start was left unusable.
 */
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type Answer, digestSession, httpTransport, rng, seedFromEnv } from '../test/fuzz/generator.ts';
import type { Credentials } from '../test/e2e/server.ts';
import { argFlag, argValue, cli, freshPgUrl, type ServeChild, spawnServe } from './lib/serve-child.ts';

const KILLS = Number(argValue('--kills') ?? 40);
const PG = argFlag('--pg');
const WRITERS = Number(argValue('--writers') ?? 6);
const MAX_SECONDS = Number(argValue('--max-seconds') ?? 900);
const USE_CLI = !argFlag('--no-cli');
/** A fresh store (whose first start is killed) every this many cycles. */
const FRESH_EVERY = Math.max(2, Number(argValue('--fresh-every') ?? 6));
const SEED = argValue('--seed') !== undefined ? Number(argValue('--seed')) >>> 0 : seedFromEnv();
const V2 = 'application/vnd.atlas.2023-01-01+json';
const r = rng(SEED);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const between = (lo: number, hi: number) => lo + r.int(hi - lo + 1);

interface Ack {
  kind: 'invitation' | 'apiKey';
  id: string;
  label: string;
  cycle: number;
}

interface Store {
  n: number;
  dataDir: string;
  pg: { url: string; drop(): Promise<void> } | null;
  creds: Credentials | null;
  acks: Ack[];
  /** acks[0..verified) were already found after a restart. */
  verified: number;
  /** Set when the store cannot be used any more (half made); the loop moves on to a fresh one. */
  abandoned: boolean;
}

const totals = {
  kills: 0,
  killsDuringFirstStart: 0,
  restarts: 0,
  failedRestarts: 0,
  halfMadeFirstStarts: 0,
  /** Whole stores whose first start was killed after it committed, before it printed the credentials. */
  credentialsLostToKill: 0,
  acknowledged: 0,
  acknowledgedByCli: 0,
  lost: 0,
  verified: 0,
  server5xx: 0,
  writeErrors: new Map<string, number>(),
  cliFailures: new Map<string, number>(),
};
const problems: string[] = [];
let storeSerial = 0;

async function freshStore(): Promise<Store> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cloud-invites-crash-'));
  const pgStore = PG ? await freshPgUrl() : null;
  return { n: storeSerial++, dataDir, pg: pgStore, creds: null, acks: [], verified: 0, abandoned: false };
}

const storeArgs = (s: Store) => (s.pg ? ['--database-url', s.pg.url] : []);
const serveArgs = (s: Store) => ['--rate-limits', 'off', ...storeArgs(s)];

async function disposeStore(s: Store): Promise<void> {
  rmSync(s.dataDir, { recursive: true, force: true });
  await s.pg?.drop();
}

/** Rows in `orgs`, read beside the server (SQLite WAL reader, or the schema on PostgreSQL); null if not there yet. */
async function orgRows(s: Store): Promise<number | null> {
  try {
    if (s.pg) {
      const c = new pg.Client({ connectionString: s.pg.url });
      await c.connect();
      try {
        return Number((await c.query('select count(*) as n from orgs')).rows[0].n);
      } finally {
        await c.end();
      }
    }
    const file = join(s.dataDir, 'cloud-invites.sqlite');
    if (!existsSync(file)) return null;
    const db = new DatabaseSync(file, { readOnly: true });
    try {
      return Number((db.prepare('select count(*) as n from orgs').get() as { n: number }).n);
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}

function note(map: Map<string, number>, key: string) {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** Starts the server on the store; null (counted as a failed restart) if it does not come up. */
async function start(s: Store, what: string): Promise<{ server: ServeChild; baseUrl: string } | null> {
  totals.restarts++;
  const server = spawnServe({ dataDir: s.dataDir, args: serveArgs(s), firstStart: 'maybe', timeoutMs: 30_000 });
  try {
    const { baseUrl, creds } = await server.ready;
    if (creds) s.creds = creds;
    if (!s.creds) {
      // The kill landed after the first start committed but before it printed the credentials (or,
      // were the first start not atomic, in its middle). Whole: one org with its project, API key and
      // service account; the printout is lost with the kill (`cloud-invites api-keys create` makes
      // another key). Half made: some of them only, a store nobody can use.
      const list = async (what: string) => {
        const r = await cli([...what.split(' '), 'list', '--json', '--data', s.dataDir, ...storeArgs(s)]);
        try {
          return (JSON.parse(r.stdout) as unknown[]).length;
        } catch {
          return -1;
        }
      };
      const counts = {
        orgs: await list('orgs'),
        projects: await list('projects'),
        apiKeys: await list('api-keys'),
        serviceAccounts: await list('service-accounts'),
      };
      if (Object.values(counts).every((n) => n === 1)) totals.credentialsLostToKill++;
      else {
        totals.halfMadeFirstStarts++;
        problems.push(
          `store #${s.n} (${what}): a kill during the first start left a half-made store: ${JSON.stringify(counts)}`,
        );
      }
      s.abandoned = true;
    }
    return { server, baseUrl };
  } catch (e) {
    totals.failedRestarts++;
    problems.push(`store #${s.n} (${what}) failed to start: ${String(e).slice(0, 1500)}`);
    await server.kill9();
    s.abandoned = true;
    return null;
  }
}

/** Every acknowledged write not yet seen after a restart must be there now. */
async function verify(s: Store, baseUrl: string, all = false): Promise<void> {
  if (!s.creds) return;
  const t = httpTransport(baseUrl);
  const owner = digestSession(t.send, s.creds);
  try {
    const from = all ? 0 : s.verified;
    for (const ack of s.acks.slice(from)) {
      const url =
        ack.kind === 'invitation'
          ? `/api/atlas/v2/groups/${s.creds.groupId}/invites/${ack.id}`
          : `/api/atlas/v2/orgs/${s.creds.orgId}/apiKeys/${ack.id}`;
      let res: Answer | null = null;
      for (let attempt = 0; attempt < 3 && (!res || res.status >= 500); attempt++)
        res = await owner('GET', url, { accept: V2 });
      if (res?.status === 200) {
        if (!all) totals.verified++;
        continue;
      }
      totals.lost++;
      problems.push(
        `store #${s.n}: acknowledged ${ack.kind} ${ack.id} (${ack.label}, cycle ${ack.cycle}) is gone after a restart: GET ${url} answered ${res?.status} ${res?.body.toString().slice(0, 200)}`,
      );
    }
    s.verified = s.acks.length;
  } finally {
    t.close();
  }
}

/** Concurrent Digest writers (and a CLI writer) until `stop` resolves. */
async function drive(
  s: Store,
  server: ServeChild,
  baseUrl: string,
  cycle: number,
  withCli: boolean,
  stop: Promise<void>,
): Promise<void> {
  let stopped = false;
  void stop.then(() => {
    stopped = true;
  });
  const creds = s.creds as Credentials;
  const writer = async (w: number) => {
    const t = httpTransport(baseUrl);
    const owner = digestSession(t.send, creds);
    try {
      for (let n = 0; !stopped; n++) {
        const username = `crash-s${s.n}-c${cycle}-w${w}-${n}@example.com`;
        const body = Buffer.from(JSON.stringify({ username, roles: ['GROUP_READ_ONLY'] }));
        try {
          const res = await owner(
            'POST',
            `/api/atlas/v2/groups/${creds.groupId}/invites`,
            { accept: V2, 'content-type': V2 },
            body,
          );
          if (res.status === 200) {
            const id = (JSON.parse(res.body.toString()) as { id: string }).id;
            s.acks.push({ kind: 'invitation', id, label: username, cycle });
            totals.acknowledged++;
          } else {
            note(totals.writeErrors, `${res.status} ${res.body.toString().slice(0, 120)}`);
            if (res.status >= 500) {
              totals.server5xx++;
              await sleep(50);
              const logged =
                server
                  .stdout()
                  .split('\n')
                  .filter((l) => l.includes('unexpected error'))
                  .pop() ?? '(nothing logged)';
              problems.push(
                `store #${s.n} cycle ${cycle}${withCli ? ' (CLI writing too)' : ''}: createGroupInvite answered ${res.status}; server log: ${logged.slice(0, 600)}`,
              );
            }
          }
        } catch (e) {
          if (!stopped) note(totals.writeErrors, String((e as NodeJS.ErrnoException).code ?? e).slice(0, 120));
          return; // the server is gone
        }
      }
    } finally {
      t.close();
    }
  };
  const cliWriter = async () => {
    for (let n = 0; !stopped; n++) {
      const res = await cli([
        'api-keys',
        'create',
        '--org',
        creds.orgId,
        '--roles',
        'ORG_MEMBER',
        '--description',
        `crash s${s.n} c${cycle} ${n}`,
        '--json',
        '--data',
        s.dataDir,
        ...storeArgs(s),
      ]);
      if (res.code === 0) {
        const id = (JSON.parse(res.stdout) as { id: string }).id;
        s.acks.push({ kind: 'apiKey', id, label: `cli key ${n}`, cycle });
        totals.acknowledged++;
        totals.acknowledgedByCli++;
      } else {
        note(totals.cliFailures, (res.stderr.trim().split('\n')[0] || `exit ${res.code}`).slice(0, 160));
      }
    }
  };
  await Promise.all([...Array.from({ length: WRITERS }, (_, w) => writer(w)), ...(withCli ? [cliWriter()] : [])]);
}

async function main(): Promise<number> {
  console.log(
    `crash:long seed ${SEED} (--seed ${SEED} replays the schedule), ${KILLS} kills, ${WRITERS} writers${USE_CLI ? ' + CLI' : ''}, store ${PG ? 'PostgreSQL (a schema per store)' : 'SQLite'}`,
  );
  const started = Date.now();
  const deadline = started + MAX_SECONDS * 1000;
  let store = await freshStore();
  let fresh = true;
  let typicalStartMs = 1500;
  const stores: Store[] = [store];

  for (let cycle = 0; totals.kills < KILLS && Date.now() < deadline; cycle++) {
    if (store.abandoned || (!fresh && cycle % FRESH_EVERY === 0)) {
      // Look at the old store once more (its last kill), then begin a fresh one.
      if (!store.abandoned) {
        const up = await start(store, 'final check');
        if (up) {
          await verify(store, up.baseUrl);
          await up.server.stop();
        }
      }
      store = await freshStore();
      stores.push(store);
      fresh = true;
    }

    if (fresh && cycle > 0) {
      // Kill the first start: at 0-60 ms, at a random point of a start, or just after the first row of init commits.
      const mode = r.pick(['early', 'random', 'after-first-row'] as const);
      const spawnedAt = Date.now();
      const server = spawnServe({ dataDir: store.dataDir, args: serveArgs(store), firstStart: 'maybe' });
      if (mode === 'early') await sleep(between(0, 60));
      else if (mode === 'random')
        await Promise.race([sleep(between(60, typicalStartMs)), server.ready.catch(() => {})]);
      else {
        while (!server.exited() && Date.now() - spawnedAt < 20_000) {
          const n = await orgRows(store);
          if (n !== null && n > 0) break;
          await sleep(1);
        }
      }
      await server.kill9();
      const printed = await server.ready.catch(() => null);
      if (printed?.creds) store.creds = printed.creds;
      totals.kills++;
      totals.killsDuringFirstStart++;
      console.log(
        `cycle ${cycle}: store #${store.n} killed during its first start (${mode}, ${Date.now() - spawnedAt} ms after spawn${store.creds ? ', credentials already printed' : ''})`,
      );
      fresh = false;
      continue;
    }

    const spawnedAt = Date.now();
    const up = await start(store, fresh ? 'first start' : `restart after kill ${totals.kills}`);
    fresh = false;
    if (!up) continue;
    if (store.abandoned) {
      await up.server.kill9();
      continue;
    }
    typicalStartMs = Math.max(300, Date.now() - spawnedAt);
    await verify(store, up.baseUrl);

    const withCli = USE_CLI && cycle % 3 === 1;
    const killAfter = between(100, withCli ? 4000 : 2000);
    let fire: () => void = () => {};
    const stop = new Promise<void>((resolve) => {
      fire = resolve;
    });
    const driving = drive(store, up.server, up.baseUrl, cycle, withCli, stop);
    await sleep(killAfter);
    await up.server.kill9();
    fire();
    totals.kills++;
    await driving;
    console.log(
      `cycle ${cycle}: store #${store.n} killed ${killAfter} ms into writes${withCli ? ' (CLI writing too)' : ''}; acknowledged so far ${totals.acknowledged}`,
    );
  }

  // Last look at the current store: it starts, and everything it ever acknowledged is there.
  if (!store.abandoned) {
    const up = await start(store, 'final check');
    if (up) {
      await verify(store, up.baseUrl);
      await verify(store, up.baseUrl, true);
      await up.server.stop();
    }
  }
  for (const s of stores) await disposeStore(s);

  console.log(`\n${Math.round((Date.now() - started) / 1000)} s, ${stores.length} store(s)`);
  console.log(`kills: ${totals.kills} (${totals.killsDuringFirstStart} during a first start)`);
  console.log(`restarts: ${totals.restarts}`);
  console.log(
    `acknowledged writes: ${totals.acknowledged} (${totals.acknowledgedByCli} by the CLI); found again after a restart: ${totals.verified}`,
  );
  console.log(`acknowledged writes lost: ${totals.lost}`);
  console.log(`stores that failed to restart: ${totals.failedRestarts}`);
  console.log(`first starts left half made: ${totals.halfMadeFirstStarts}`);
  console.log(
    `first starts killed after committing, before printing the credentials (store whole): ${totals.credentialsLostToKill}`,
  );
  console.log(
    `server 5xx on acknowledged-write attempts: ${totals.server5xx} (not counted as lost: they were never acknowledged)`,
  );
  if (totals.writeErrors.size)
    console.log(`refused or failed API writes: ${JSON.stringify(Object.fromEntries(totals.writeErrors))}`);
  if (totals.cliFailures.size)
    console.log(`failed CLI writes: ${JSON.stringify(Object.fromEntries(totals.cliFailures))}`);
  if (problems.length) console.log(`\nproblems:\n- ${problems.join('\n- ')}`);
  return totals.lost || totals.failedRestarts || totals.halfMadeFirstStarts ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(2);
  },
);
