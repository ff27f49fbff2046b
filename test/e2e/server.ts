import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freshPgDatabase } from '../helpers/database.ts';

/** Shared by the end-to-end tests: the real CLI and server as child processes, and curl. */

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The Node.js pinned in node_modules, as bin/cloud-invites uses. */
export const NODE = join(ROOT, 'node_modules/node/bin/node');
export const CLI = join(ROOT, 'src/cli/main.ts');
export const BIN = join(ROOT, 'bin/cloud-invites');

export const V2 = 'application/vnd.atlas.2023-01-01+json';
export const V2_CONTENT_TYPE = 'application/vnd.atlas.2023-01-01+json;charset=utf-8';
export const DEPRECATION = 'Wed, 4 Oct 2023 00:00:00 GMT';
export const SUNSET = 'Thu, 1 Jul 2027 00:00:00 GMT';
export const HEX24 = /^[0-9a-f]{24}$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** The challenge Atlas sends, byte for byte, for any 32-character base64 nonce. */
export const CHALLENGE =
  /^Digest realm="MMS Public API", domain="", nonce="[A-Za-z0-9+/]{32}", algorithm=MD5, qop="auth", stale=false$/;

export interface Credentials {
  orgId: string;
  groupId: string;
  publicKey: string;
  privateKey: string;
  /** The Organization Owner service account's OAuth client credentials. */
  clientId?: string;
  clientSecret?: string;
  /** The control plane's bearer token (used with --control-plane). */
  controlToken?: string;
  /** The web console's first owner (printed on first start). */
  consoleEmail?: string;
  consolePassword?: string;
}

export interface RunningServer {
  /** e.g. http://127.0.0.1:41234 (https:// with --tls-cert), as printed on the "listening on" line. */
  baseUrl: string;
  port: number;
  dataDir: string;
  /** Printed on first start only. */
  creds: Credentials | null;
  stdout(): string;
  stderr(): string;
  /** Sends a signal to the server process (graceful-shutdown tests). */
  kill(signal: NodeJS.Signals): void;
  /** Resolves when the process exits. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** An existing data directory (kept); default: a fresh temp dir removed by stop(). */
  dataDir?: string;
  /** Extra `serve` flags, e.g. --database-url. */
  args?: string[];
  /** Wait for the first-start credentials block (default true). */
  firstStart?: boolean;
  timeoutMs?: number;
  /** The CLI entry to run (default: the sources, src/cli/main.ts; the bundle test runs dist/…). */
  entry?: string;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'cloud-invites-e2e-'));
}

const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

/** Spawns `serve --port 0` and resolves once it has printed where it listens (and, on first start, the credentials). */
export async function startServer(opts: StartOptions = {}): Promise<RunningServer> {
  const owned = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? tempDir();
  const firstStart = opts.firstStart ?? true;
  const args = [
    opts.entry ?? CLI,
    'serve',
    '--data',
    dataDir,
    '--port',
    '0',
    '--host',
    '127.0.0.1',
    '--log-level',
    'warn',
    ...(opts.args ?? []),
  ];
  const child = spawn(NODE, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    children.delete(child);
    if (owned) rmSync(dataDir, { recursive: true, force: true });
  };

  const ready = new Promise<{ baseUrl: string; creds: Credentials | null }>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`server not ready in ${opts.timeoutMs ?? 15_000} ms`)),
      opts.timeoutMs ?? 15_000,
    );
    const fail = (e: Error) => {
      clearTimeout(timer);
      reject(new Error(`${e.message}\nstdout:\n${out}\nstderr:\n${err}`));
    };
    const check = () => {
      const listening = /^cloud-invites listening on (https?:\/\/127\.0\.0\.1:\d+) /m.exec(out);
      if (!listening) return;
      let creds: Credentials | null = null;
      if (firstStart) {
        const block = /^First start:.*\n(\{\n[\s\S]*?\n\})\nTry: .*\n/m.exec(out);
        if (!block) return;
        creds = JSON.parse(block[1]) as Credentials;
      }
      clearTimeout(timer);
      child.stdout.off('data', check);
      resolve({ baseUrl: listening[1], creds });
    };
    child.stdout.on('data', check);
    child.once('exit', (code, signal) => fail(new Error(`server exited early (code ${code}, signal ${signal})`)));
    child.once('error', fail);
  });

  try {
    const { baseUrl, creds } = await ready;
    return {
      baseUrl,
      port: Number(new URL(baseUrl).port),
      dataDir,
      creds,
      stdout: () => out,
      stderr: () => err,
      kill: (signal) => child.kill(signal),
      exited,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(file: string, args: string[], timeout = 15_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd: ROOT, timeout, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(error);
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

/** `node src/cli/main.ts …` on the pinned Node. */
export const runCli = (args: string[]) => run(NODE, [CLI, ...args]);
export const runBin = (args: string[]) => run(BIN, args);
export const runCurl = (args: string[]) => run('curl', args);

/** Runs the CLI, expects exit 0, parses its --json output. */
export async function cliJson<T>(args: string[]): Promise<T> {
  const r = await runCli([...args, '--json']);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** Runs the CLI, expects exit 1 and stderr matching. */
export async function cliFails(args: string[], stderr: RegExp): Promise<void> {
  const r = await runCli(args);
  assert.equal(r.code, 1, `${args.join(' ')} should fail: ${r.stdout}`);
  assert.match(r.stderr, stderr);
}

/** `curl --digest --include` with an API key and the v2 media type (parse the output with parseInclude). */
export const curlDigest = (key: { publicKey: string; privateKey: string }, url: string, extra: string[] = []) =>
  runCurl([
    '-sS',
    '--include',
    '--digest',
    '--user',
    `${key.publicKey}:${key.privateKey}`,
    '-H',
    `Accept: ${V2}`,
    ...extra,
    url,
  ]);

export interface HttpResponse {
  status: number;
  /** Lower-cased names; a repeated header keeps its last value. */
  headers: Record<string, string>;
  body: string;
}

/** Splits curl `--include` output into the responses it shows (the Digest 401, then the final one). */
export function parseInclude(text: string): HttpResponse[] {
  const responses: HttpResponse[] = [];
  let rest = text;
  while (rest.startsWith('HTTP/')) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) throw new Error(`unterminated header block in curl output:\n${text}`);
    const [statusLine, ...lines] = rest.slice(0, end).split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const i = line.indexOf(':');
      headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    rest = rest.slice(end + 4);
    const next = rest.search(/^HTTP\/[\d.]+ \d{3}/m);
    const body = next < 0 ? rest : rest.slice(0, next);
    rest = next < 0 ? '' : rest.slice(next);
    responses.push({ status: Number(statusLine.split(' ')[1]), headers, body });
  }
  if (responses.length === 0) throw new Error(`no HTTP response in curl output:\n${text}`);
  return responses;
}

/** A PostgreSQL database of its own on the local server (for `serve --database-url`), and how to drop it. */
export const freshDatabase = () => freshPgDatabase('e2e');
