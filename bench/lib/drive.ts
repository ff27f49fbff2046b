/**
 * The load generator, run as its own process so it never shares an event loop with a server:
 * `node bench/lib/drive.ts '<json options>'` prints one JSON line of results.
 * Keep-alive connections, each a client of its own: Digest answers the challenge once per
 * connection and then reuses the nonce with a rising nc (renewing on stale=true), as curl and
 * the Go SDK do; Bearer sends a token; `none` sends the request as is.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';

export interface DriveOptions {
  base: string;
  /** Several nodes: connection i goes to `bases[i % bases.length]` (a client stays on its node, as behind a balancer by connection). */
  bases?: string[];
  path: string;
  method?: string;
  body?: string;
  headers?: Record<string, string>;
  auth: { kind: 'digest'; username: string; password: string } | { kind: 'bearer'; token: string } | { kind: 'none' };
  connections: number;
  warmupMs: number;
  durationMs: number;
  /** Alternate requests: every `writeEvery`-th request is this one instead (a mixed workload). */
  mixed?: { every: number; method: string; path: string; body?: (i: number) => string; bodyTemplate?: string };
}

export interface DriveResult {
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  statuses: Record<string, number>;
  nonceRenewals: number;
}

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

function digestHeader(challenge: string, username: string, password: string, method: string, uri: string, nc: number): string {
  const param = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(challenge)?.[1] ?? '';
  const realm = param('realm');
  const nonce = param('nonce');
  const cnonce = randomBytes(8).toString('hex');
  const ncHex = nc.toString(16).padStart(8, '0');
  const response = md5(`${md5(`${username}:${realm}:${password}`)}:${nonce}:${ncHex}:${cnonce}:auth:${md5(`${method}:${uri}`)}`);
  return `Digest username="${username}", realm="${realm}", nonce="${nonce}", uri="${uri}", algorithm=MD5, response="${response}", qop=auth, nc=${ncHex}, cnonce="${cnonce}"`;
}

type Answer = { status: number; www: string | undefined };

function send(agent: Agent, base: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, agent, headers }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, www: res.headers['www-authenticate'] as string | undefined }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

export async function drive(o: DriveOptions): Promise<DriveResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let renewals = 0;
  let measuring = false;
  let stop = false;
  let seq = 0;
  const worker = async (w: number) => {
    const base = o.bases ? o.bases[w % o.bases.length] : o.base;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    let challenge: string | null = null;
    let nc = 0;
    const headersFor = (method: string, path: string): Record<string, string> => {
      const h: Record<string, string> = { ...o.headers };
      if (o.auth.kind === 'bearer') h.authorization = `Bearer ${o.auth.token}`;
      if (o.auth.kind === 'digest' && challenge) h.authorization = digestHeader(challenge, o.auth.username, o.auth.password, method, path, ++nc);
      return h;
    };
    while (!stop) {
      const i = seq++;
      const alt = o.mixed && i % o.mixed.every === 0 ? o.mixed : null;
      const method = alt?.method ?? o.method ?? 'GET';
      const path = alt?.path ?? o.path;
      const body = alt?.bodyTemplate ? alt.bodyTemplate.replaceAll('{i}', `${process.pid}-${i}`) : o.body;
      const t0 = performance.now();
      let a = await send(agent, base, method, path, headersFor(method, path), body);
      if (o.auth.kind === 'digest' && a.status === 401 && a.www && (!challenge || a.www.includes('stale=true'))) {
        challenge = a.www;
        nc = 0;
        renewals++;
        a = await send(agent, base, method, path, headersFor(method, path), body);
      }
      if (measuring) {
        latencies.push(performance.now() - t0);
        statuses[a.status] = (statuses[a.status] ?? 0) + 1;
      }
    }
    agent.destroy();
  };
  const workers = Array.from({ length: o.connections }, (_, w) => worker(w));
  await new Promise((r) => setTimeout(r, o.warmupMs));
  measuring = true;
  renewals = 0;
  const started = performance.now();
  await new Promise((r) => setTimeout(r, o.durationMs));
  measuring = false;
  const seconds = (performance.now() - started) / 1000;
  stop = true;
  await Promise.all(workers);
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => Number((latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0).toFixed(2));
  return {
    requests: latencies.length,
    seconds: Number(seconds.toFixed(2)),
    requestsPerSecond: Math.round(latencies.length / seconds),
    latencyMs: { p50: pct(50), p90: pct(90), p99: pct(99), max: pct(100) },
    statuses,
    nonceRenewals: renewals,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await drive(JSON.parse(process.argv[2]) as DriveOptions);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
