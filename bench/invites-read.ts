/**
 * Throughput of Digest-authenticated invitation reads on the embedded store.
 * Usage: node bench/invites-read.ts [requests=5000] [concurrency=16] [rateLimits=atlas|off]
 * With `atlas` every call also draws from its shared token bucket (one small write per request).
 * Prints one JSON line. Never run by the tests; numbers, not assertions.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { createDeps } from '../src/deps.ts';
import { initStore } from '../src/domain/bootstrap.ts';
import { digestAuthorization } from '../test/helpers/digest-signer.ts';

const total = Number(process.argv[2] ?? 5000);
const concurrency = Number(process.argv[3] ?? 16);
const rateLimits = process.argv[4] === 'off' ? 'off' : 'atlas';
const dir = mkdtempSync(join(tmpdir(), 'bench-'));
// The seeding below sends 50 invitations at once: lift the per-address invitation limit (10 a minute).
const deps = await createDeps(
  loadConfig({ data: dir, rateLimits, rateLimitOverrides: 'invitations-ip=1000:1000,projects-group=100000:100000' }),
);
const init = await initStore(deps.ctx);
if (!init) throw new Error('store not empty');
const app = buildApp(deps);
const address = await app.listen({ port: 0, host: '127.0.0.1' });
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
const accept = 'application/vnd.atlas.2023-01-01+json';

function send(method: string, path: string, headers: Record<string, string>, body?: string) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const req = request(`${address}${path}`, { method, agent, headers }, (res) => {
      let data = '';
      res.on('data', (c) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const creds = { username: init.publicKey, password: init.privateKey };
const path = `/api/atlas/v2/groups/${init.groupId}/invites`;
let challenge = String((await send('GET', path, { accept })).headers['www-authenticate']);
let nc = 0;
let renewals = 0;
const signed = (method: string, uri: string) => ({
  accept,
  'content-type': accept,
  authorization: digestAuthorization({ ...creds, method, uri, challenge, nc: ++nc }),
});

for (let i = 0; i < 50; i++) {
  const body = JSON.stringify({ roles: ['GROUP_READ_ONLY'], username: `user${i}@example.com` });
  const r = await send('POST', path, signed('POST', path), body);
  if (r.status !== 200) throw new Error(`seed failed: ${r.status} ${r.body}`);
}

const latencies: number[] = [];
let next = 0;
let failures = 0;
const started = process.hrtime.bigint();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < total) {
      next++;
      const t0 = process.hrtime.bigint();
      let r = await send('GET', path, signed('GET', path));
      const www = String(r.headers['www-authenticate'] ?? '');
      if (r.status === 401 && www.includes('stale=true')) {
        // What curl and the Go SDK do: take the new nonce and send again.
        if (www !== challenge) {
          challenge = www;
          nc = 0;
          renewals++;
        }
        r = await send('GET', path, signed('GET', path));
      }
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (r.status !== 200) failures++;
    }
  }),
);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
latencies.sort((a, b) => a - b);
const pct = (p: number) =>
  Number(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(2));
console.log(
  JSON.stringify({
    bench: 'GET /api/atlas/v2/groups/{id}/invites (50 invitations, Digest, SQLite file)',
    requests: latencies.length,
    concurrency,
    rateLimits,
    failures,
    nonceRenewals: renewals,
    requestsPerSecond: Math.round(latencies.length / seconds),
    latencyMs: { p50: pct(50), p90: pct(90), p99: pct(99), max: pct(100) },
    rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
    node: process.version,
  }),
);
await app.close();
await deps.close();
agent.destroy();
rmSync(dir, { recursive: true, force: true });
