/** Starting `cloud-invites serve` as a user would (a child process on the pinned Node), for the benchmarks. */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { digestHeader } from './drive.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const NODE = join(ROOT, 'node_modules/node/bin/node');
export const V2 = 'application/vnd.atlas.2023-01-01+json';
/** What `npm start` runs: the bundle, built (when a source is newer) before any bench starts it. */
export const ENTRY = join(ROOT, 'dist/cloud-invites.mjs');
execFileSync(NODE, [join(ROOT, 'scripts/build.ts'), '--if-stale'], { cwd: ROOT, stdio: 'inherit' });

export interface Served {
  child: ChildProcess;
  base: string;
  creds: {
    orgId: string;
    groupId: string;
    publicKey: string;
    privateKey: string;
    clientId: string;
    clientSecret: string;
  };
  dataDir: string;
  startedAtMs: number;
  /** Milliseconds from spawn to the "listening" line. */
  listeningAfterMs: number;
  stop(): Promise<void>;
}

export async function serve(
  args: string[] = [],
  nodeFlags: string[] = [],
  dataDir = mkdtempSync(join(tmpdir(), 'cloud-invites-bench-')),
  opts: { firstStart?: boolean } = {},
): Promise<Served> {
  const startedAtMs = performance.now();
  const child = spawn(
    NODE,
    [...nodeFlags, ENTRY, 'serve', '--data', dataDir, '--port', '0', '--log-level', 'warn', ...args],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout?.setEncoding('utf8');
  const ready = new Promise<{ base: string; creds: Served['creds'] }>((resolve, reject) => {
    child.stdout?.on('data', (d: string) => {
      out += d;
      const listening = /listening on (http:\/\/[\d.:]+)/.exec(out);
      const block = /^(\{\n[\s\S]*?\n\})\n/m.exec(out);
      if (listening && opts.firstStart === false)
        resolve({ base: listening[1], creds: null as unknown as Served['creds'] });
      else if (listening && block) resolve({ base: listening[1], creds: JSON.parse(block[1]) });
    });
    child.once('exit', (code) => reject(new Error(`serve exited (${code}): ${out}`)));
  });
  const { base, creds } = await ready;
  const listeningAfterMs = performance.now() - startedAtMs;
  return {
    child,
    base,
    creds,
    dataDir,
    startedAtMs,
    listeningAfterMs,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT');
      await exited;
    },
  };
}

/** CPU seconds (user + system) a process has used so far, from /proc. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100/s)
}

export function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : 0;
}

export async function bearerToken(base: string, clientId: string, clientSecret: string): Promise<string> {
  const res = await fetch(`${base}/api/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

/** Runs the load generator in its own process and returns its JSON line. */
export function driveProcess(options: object): Promise<import('./drive.ts').DriveResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, [join(ROOT, 'bench/lib/drive.ts'), JSON.stringify(options)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.once('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`drive exited ${code}: ${out}`)),
    );
  });
}

/** A port free on loopback right now (bound and released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Stops a child we started (SIGINT, then SIGKILL after a grace period) and waits for it. */
export async function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Spawns a Node script on the pinned Node; resolves once it prints `listening on URL`. */
export async function spawnListening(
  script: string,
  args: string[],
  timeoutMs = 30_000,
): Promise<{ child: ChildProcess; base: string; startedAtMs: number }> {
  const startedAtMs = performance.now();
  const child = spawn(NODE, [script, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout?.setEncoding('utf8');
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script}: not listening after ${timeoutMs} ms`)), timeoutMs);
    child.stdout?.on('data', (d: string) => {
      out += d;
      const m = /listening on (http:\/\/[\d.:]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${code}): ${out}`));
    });
  });
  return { child, base, startedAtMs };
}

export interface Answer {
  status: number;
  rawHeaders: string[];
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * One request on a fresh keep-alive connection (so the answer carries the Keep-Alive header a load
 * generator sees), closed after; rejects on connection errors (e.g. refused while starting).
 */
export function once(url: string, method: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  return new Promise<Answer>((resolve, reject) => {
    const req = httpRequest(url, { method, headers, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, rawHeaders: res.rawHeaders, headers: res.headers, body: text }),
      );
    });
    req.on('error', reject);
    req.end(body);
  }).finally(() => agent.destroy());
}

export type Auth =
  { kind: 'digest'; username: string; password: string } | { kind: 'bearer'; token: string } | { kind: 'none' };

/**
 * An authenticated request as a client makes it: Digest answers the 401 challenge (returned as
 * `challenge`, so a load generator can start from it), Bearer sends the token.
 */
export async function authed(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  auth: Auth,
  body?: string,
): Promise<Answer & { challenge?: string }> {
  if (auth.kind === 'bearer')
    return once(`${base}${path}`, method, { ...headers, authorization: `Bearer ${auth.token}` }, body);
  if (auth.kind === 'none') return once(`${base}${path}`, method, headers, body);
  const first = await once(`${base}${path}`, method, headers, body);
  const challenge = first.headers['www-authenticate'];
  if (first.status !== 401 || typeof challenge !== 'string') return first;
  const authorization = digestHeader(challenge, auth.username, auth.password, method, path, 1);
  return { ...(await once(`${base}${path}`, method, { ...headers, authorization }, body)), challenge };
}

/**
 * Cold start: spawns a process and polls `probe` (every 2 ms, on fresh connections) from the
 * spawn until it gives 200. Returns the milliseconds from spawn to that answer.
 */
export async function untilFirst200(
  start: () => ChildProcess,
  probe: () => Promise<Answer>,
  timeoutMs = 60_000,
): Promise<{ child: ChildProcess; ms: number }> {
  const t0 = performance.now();
  const child = start();
  let exited = false;
  child.once('exit', () => (exited = true));
  for (;;) {
    if (exited) throw new Error('process exited before answering 200');
    if (performance.now() - t0 > timeoutMs) throw new Error(`no 200 within ${timeoutMs} ms`);
    try {
      const a = await probe();
      if (a.status === 200) return { child, ms: performance.now() - t0 };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Spawns `serve` (as `npm start` does: the bundle on the pinned Node) on an existing data dir and port, as a user restarts it. */
export function spawnServe(dataDir: string, port: number, args: string[] = []): ChildProcess {
  return spawn(NODE, [ENTRY, 'serve', '--data', dataDir, '--port', String(port), '--log-level', 'warn', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, PATH: `${join(ROOT, 'node_modules/.bin')}:${process.env.PATH ?? ''}` },
  });
}
