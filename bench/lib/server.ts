/** Starting `cloud-invites serve` as a user would (a child process on the pinned Node), for the benchmarks. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const NODE = join(ROOT, 'node_modules/node/bin/node');
export const V2 = 'application/vnd.atlas.2023-01-01+json';

export interface Served {
  child: ChildProcess;
  base: string;
  creds: { orgId: string; groupId: string; publicKey: string; privateKey: string; clientId: string; clientSecret: string };
  startedAtMs: number;
  /** Milliseconds from spawn to the "listening" line. */
  listeningAfterMs: number;
  stop(): Promise<void>;
}

export async function serve(args: string[] = [], nodeFlags: string[] = [], opts: { firstStart?: boolean } = {}): Promise<Served> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cloud-invites-bench-'));
  const startedAtMs = performance.now();
  const child = spawn(NODE, [...nodeFlags, join(ROOT, 'src/cli/main.ts'), 'serve', '--data', dataDir, '--port', '0', '--log-level', 'warn', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout?.setEncoding('utf8');
  const ready = new Promise<{ base: string; creds: Served['creds'] }>((resolve, reject) => {
    child.stdout?.on('data', (d: string) => {
      out += d;
      const listening = /listening on (http:\/\/[\d.:]+)/.exec(out);
      const block = /^(\{\n[\s\S]*?\n\})\n/m.exec(out);
      if (listening && opts.firstStart === false) resolve({ base: listening[1], creds: null as unknown as Served['creds'] });
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
    headers: { authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

/** Runs the load generator in its own process and returns its JSON line. */
export function driveProcess(options: object): Promise<import('./drive.ts').DriveResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, [join(ROOT, 'bench/lib/drive.ts'), JSON.stringify(options)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`drive exited ${code}: ${out}`))));
  });
}
