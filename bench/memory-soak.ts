/**
 * Memory under a long mixed load: is growth a leak or a bounded cache filling up?
 * Usage: node --expose-gc bench/memory-soak.ts [requests=50000] [concurrency=8]   (npm run soak)
 * Serves the real app in this process (embedded store in a temp dir, pino at info into /dev/null)
 * and sends, over loopback only: Digest-signed reads (a fresh nonce per request, as curl does, and
 * reused nonces), wrong keys, garbage Authorization headers and bodies, random unknown paths and
 * query strings, bodies up to 1.5 MiB, some on closing connections. Every 5,000 requests it forces gc and prints RSS and
 * heapUsed (MiB). Never run by the tests; numbers, not assertions.
 *
 * Findings (2026-12, 100,000 requests): heapUsed after gc stays at 24-30 MiB; RSS climbs from about
 * 130 to 250-280 MiB in the first 15,000 requests and then levels off. The climb is V8's young
 * generation growing to its maximum and staying committed (with --max-semi-space-size=2 RSS stays
 * near 140 MiB), not a leak. Per-input state is bounded: Digest nonce counts (100,000 nonces, each
 * forgotten when it expires after 5 minutes); rate-limit buckets live in the store, pruned when idle.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { createDeps } from '../src/deps.ts';
import { initStore } from '../src/domain/bootstrap.ts';
import { requestSerializer } from '../src/http/log-redaction.ts';
import { digestAuthorization } from '../test/helpers/digest-signer.ts';

const MAX_REQUESTS = 1_000_000;
const total = Math.min(MAX_REQUESTS, Math.max(1, Number(process.argv[2] ?? 50_000)));
const concurrency = Math.min(64, Math.max(1, Number(process.argv[3] ?? 8)));
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc (npm run soak)');

const dir = mkdtempSync(join(tmpdir(), 'soak-'));
const deps = await createDeps(
  loadConfig({
    data: dir,
    rateLimits: 'atlas',
    rateLimitOverrides: 'projects-group=10000000:10000000,orgs-user=10000000:10000000,projects-user=10000000:10000000',
  }),
);
const init = await initStore(deps.ctx);
if (!init) throw new Error('store not empty');
const logStream = createWriteStream('/dev/null');
const app = buildApp(deps, { logger: { level: 'info', serializers: { req: requestSerializer }, stream: logStream } });
const address = await app.listen({ port: 0, host: '127.0.0.1' });
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
const accept = 'application/vnd.atlas.2023-01-01+json';
const invites = `/api/atlas/v2/groups/${init.groupId}/invites`;
const creds = { username: init.publicKey, password: init.privateKey };

interface Answer {
  status: number;
  challenge: string;
}

function send(method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve) => {
    const req = request(`${address}${path}`, { method, agent, headers }, (res) => {
      res.resume();
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, challenge: String(res.headers['www-authenticate'] ?? '') }),
      );
    });
    req.on('error', () => resolve({ status: 0, challenge: '' }));
    req.end(body);
  });
}

const rand = (n: number) => randomBytes(n).toString('hex');
let shared = (await send('GET', invites, { accept })).challenge;
let sharedNc = 0;
const statuses = new Map<number, number>();

/** One request of the mix, chosen by its index. */
async function one(i: number): Promise<void> {
  const kind = i % 10;
  let answer: Answer;
  if (kind === 0) {
    // curl --digest: a challenge, then one signed request with a fresh nonce (nc=1)
    const challenge = (await send('GET', invites, { accept })).challenge;
    answer = await send('GET', invites, {
      accept,
      authorization: digestAuthorization({ ...creds, method: 'GET', uri: invites, challenge, nc: 1 }),
    });
  } else if (kind === 1 || kind === 2) {
    sharedNc += 1;
    answer = await send('GET', invites, {
      accept,
      authorization: digestAuthorization({ ...creds, method: 'GET', uri: invites, challenge: shared, nc: sharedNc }),
    });
    if (answer.status === 401 && answer.challenge) {
      shared = answer.challenge;
      sharedNc = 0;
    }
  } else if (kind === 3) {
    answer = await send('GET', invites, {
      accept,
      authorization: digestAuthorization({
        ...creds,
        password: 'wrong',
        method: 'GET',
        uri: invites,
        challenge: shared,
        nc: 1,
      }),
    });
  } else if (kind === 4) {
    answer = await send('GET', invites, {
      accept,
      authorization: `Digest ${rand(40)}="${rand(200)}", nonce="${rand(16)}"`,
    });
  } else if (kind === 5) {
    const uri = invites;
    const authorization = digestAuthorization({
      ...creds,
      method: 'POST',
      uri,
      challenge: (await send('GET', invites, { accept })).challenge,
      nc: 1,
    });
    answer = await send('POST', uri, { accept, 'content-type': accept, authorization }, `{"username":${rand(30)}`);
  } else if (kind === 6) {
    answer = await send('GET', `/api/atlas/v2/${rand(8)}/${rand(12)}?${rand(6)}=${rand(20)}`, { accept });
  } else if (kind === 7) {
    answer = await send('GET', `/${rand(10)}/${rand(10)}?q=${rand(30)}`, { accept, connection: 'close' });
  } else if (kind === 8) {
    // unauthenticated garbage bodies, one in twenty of them 0.5 to 1.5 MiB (past the 1 MiB limit at times)
    const size = i % 200 === 8 ? 512 * 1024 + Math.floor(Math.random() * 1024 * 1024) : 2048;
    answer = await send(
      'POST',
      `/api/atlas/v2/groups/${rand(12)}/invites`,
      { accept, 'content-type': 'application/json' },
      rand(size / 2),
    );
  } else {
    // a signed call on a random project: 404 GROUP_NOT_FOUND, after the rate-limit bucket is touched
    const path = `/api/atlas/v2/groups/${rand(12)}/invites?pretty=true&${rand(4)}=1`;
    const challenge = (await send('GET', path, { accept })).challenge;
    answer = await send('GET', path, {
      accept,
      authorization: digestAuthorization({ ...creds, method: 'GET', uri: path, challenge, nc: 1 }),
    });
  }
  statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
}

const mib = (n: number) => (n / 1024 / 1024).toFixed(1);
function report(done: number): void {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  process.stdout.write(
    `${String(done).padStart(8)} requests  rss ${mib(m.rss)} MiB  heapUsed ${mib(m.heapUsed)} MiB  external ${mib(m.external)} MiB\n`,
  );
}

report(0);
let next = 0;
let done = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < total) {
      await one(next++);
      done += 1;
      if (done % 5000 === 0) report(done);
    }
  }),
);
if (done % 5000 !== 0) report(done);
process.stdout.write(`statuses ${JSON.stringify(Object.fromEntries(statuses))}\n`);
agent.destroy();
await app.close();
await deps.close();
logStream.end();
rmSync(dir, { recursive: true, force: true });
