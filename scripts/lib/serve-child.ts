import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { CLI, type Credentials, NODE, ROOT } from '../../test/e2e/server.ts';
import { freshPgSchema, TEST_DATABASE_URL } from '../../test/helpers/database.ts';

/**
 * A `serve` child process the long-running scripts can watch (pid, RSS) and kill -9 at any moment,
 * unlike test/e2e/server.ts's startServer, which owns its data directory and stops politely.
 */
export interface ServeChild {
  child: ChildProcess;
  pid: number;
  /** Resolves once the server printed where it listens (and the credentials, on a first start). */
  ready: Promise<{ baseUrl: string; port: number; creds: Credentials | null }>;
  stdout(): string;
  stderr(): string;
  exited(): boolean;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * `firstStart`: true waits for the credentials block, false does not, 'maybe' (a store a kill may
 * have left half made) gives the block 500 ms after the listening line.
 */
export function spawnServe(opts: {
  dataDir: string;
  args?: string[];
  timeoutMs?: number;
  firstStart?: boolean | 'maybe';
}): ServeChild {
  const firstStart = opts.firstStart ?? true;
  const args = [
    CLI,
    'serve',
    '--data',
    opts.dataDir,
    '--port',
    '0',
    '--host',
    '127.0.0.1',
    '--log-level',
    'error',
    ...(opts.args ?? []),
  ];
  const child = spawn(NODE, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  const ready = new Promise<{ baseUrl: string; port: number; creds: Credentials | null }>((resolve, reject) => {
    const timeoutMs = opts.timeoutMs ?? 30_000;
    const timer = setTimeout(
      () => reject(new Error(`server not ready in ${timeoutMs} ms\nstdout:\n${out}\nstderr:\n${err}`)),
      timeoutMs,
    );
    let grace: NodeJS.Timeout | null = null;
    const check = (final = false) => {
      const listening = /^cloud-invites listening on (https?:\/\/127\.0\.0\.1:(\d+)) /m.exec(out);
      if (!listening) return;
      let creds: Credentials | null = null;
      const block = /^First start:.*\n(\{\n[\s\S]*?\n\})\nTry: .*\n/m.exec(out);
      if (block) creds = JSON.parse(block[1]) as Credentials;
      else if (firstStart === true || /^First start:/m.test(out))
        return; // still arriving
      else if (firstStart === 'maybe' && !final) {
        grace ??= setTimeout(() => check(true), 500);
        return;
      }
      if (grace) clearTimeout(grace);
      clearTimeout(timer);
      resolve({ baseUrl: listening[1], port: Number(listening[2]), creds });
    };
    child.stdout?.on('data', () => check());
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (grace) clearTimeout(grace);
      reject(new Error(`server exited (code ${code}, signal ${signal})\nstdout:\n${out}\nstderr:\n${err}`));
    });
  });
  ready.catch(() => {});
  return {
    child,
    pid: child.pid as number,
    ready,
    stdout: () => out,
    stderr: () => err,
    exited,
    kill9: async () => {
      if (!exited()) child.kill('SIGKILL');
      await exit;
    },
    stop: async () => {
      if (!exited()) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exit;
        clearTimeout(timer);
      }
    },
  };
}

/** Resident set size of a process in kB (Linux /proc), or null. */
export function rssKb(pid: number): { rss: number; peak: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1]);
    const peak = Number(/^VmHWM:\s+(\d+)/m.exec(status)?.[1]);
    return { rss, peak };
  } catch {
    return null;
  }
}

export { TEST_DATABASE_URL };

/**
 * A fresh PostgreSQL schema and a URL whose connections work in it: libpq's `options` parameter
 * (`-c search_path=…`), which node-postgres passes in the startup message. `serve --database-url`
 * and the CLI take it unchanged.
 */
export async function freshPgUrl(): Promise<{ url: string; schema: string; drop(): Promise<void> }> {
  const { schema, drop } = await freshPgSchema('fuzz');
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { url: url.href, schema, drop };
}

/** `node src/cli/main.ts …` on the pinned Node, never rejecting. */
export function cli(args: string[], timeout = 30_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(NODE, [CLI, ...args], { cwd: ROOT, timeout, encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

/** `--name value` and `--flag` from argv. */
export function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
export const argFlag = (name: string) => process.argv.includes(name);
