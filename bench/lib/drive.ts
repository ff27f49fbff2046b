/**
 * The load generator, run as its own process so it never shares an event loop with a server:
 * `node bench/lib/drive.ts '<json options>'` prints one JSON line of results.
 * Keep-alive connections, each a client of its own: Digest answers the challenge once per
 * connection and then reuses the nonce with a rising nc (renewing on stale=true), as curl and
 * the Go SDK do; Bearer sends a token; `none` sends the request as is.
 * With `watchPid` it also reads that process's CPU time (from /proc) at the start and end of the
 * measured window, and samples its RSS during it, so the figures cover exactly the requests counted.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';

export interface DriveOptions {
  base: string;
  /** Several nodes: connection i goes to `bases[i % bases.length]` (a client stays on its node). */
  bases?: string[];
  path: string;
  method?: string;
  body?: string;
  headers?: Record<string, string>;
  /**
   * Digest: `challenge` starts every connection with that WWW-Authenticate value instead of waiting
   * for a 401 (used against the bare ceiling, which never challenges, so it gets the same request bytes).
   */
  auth:
    | { kind: 'digest'; username: string; password: string; challenge?: string }
    | { kind: 'bearer'; token: string }
    | { kind: 'none' };
  connections: number;
  warmupMs: number;
  durationMs: number;
  /** Alternate requests: every `writeEvery`-th request is this one instead (a mixed workload). */
  mixed?: { every: number; method: string; path: string; body?: (i: number) => string; bodyTemplate?: string };
  /**
   * Writes: every `every`-th request of a connection is a write, and a connection's writes
   * alternate create (POST `create.path`, `{i}` in the body made unique) and delete (DELETE
   * `deletePath` with `{id}` taken from the create's JSON answer). `every: 1` gives
   * create + delete pairs; `every: 10` a 90/10 read/write mix. What a connection created last is
   * deleted after the window (not counted), so runs leave the store as they found it.
   */
  writes?: {
    every: number;
    create: { path: string; headers?: Record<string, string>; bodyTemplate: string };
    deletePath: string;
  };
  /** A process (the server) whose CPU time and RSS are read over the measured window. */
  watchPid?: number;
}

export interface DriveResult {
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  statuses: Record<string, number>;
  nonceRenewals: number;
  /** CPU seconds (user + system) the watched process used in the window, and its peak RSS then. */
  watched?: { cpuSeconds: number; cpuMicrosPerRequest: number; maxRssMiB: number };
  /** The load generator's own CPU seconds in the window (to see when the client is the limit). */
  clientCpuSeconds: number;
  /** Requests by kind, when `writes` is set. */
  kinds?: Record<string, number>;
}

export function procCpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100/s)
}

export function procRssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

export function digestHeader(
  challenge: string,
  username: string,
  password: string,
  method: string,
  uri: string,
  nc: number,
): string {
  const param = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(challenge)?.[1] ?? '';
  const realm = param('realm');
  const nonce = param('nonce');
  const cnonce = randomBytes(8).toString('hex');
  const ncHex = nc.toString(16).padStart(8, '0');
  const response = md5(
    `${md5(`${username}:${realm}:${password}`)}:${nonce}:${ncHex}:${cnonce}:auth:${md5(`${method}:${uri}`)}`,
  );
  return `Digest username="${username}", realm="${realm}", nonce="${nonce}", uri="${uri}", algorithm=MD5, response="${response}", qop=auth, nc=${ncHex}, cnonce="${cnonce}"`;
}

type Answer = { status: number; www: string | undefined; body: string };

/**
 * One keep-alive HTTP/1.1 connection, written and parsed by hand: node:http's client costs the
 * load generator two to three times the CPU a bare server spends per request, which on a small
 * machine would make the client, not the server, the limit. Requests go one at a time (no
 * pipelining); the answer is framed by Content-Length or chunked encoding; a closed connection
 * (or `Connection: close`) is reopened for the next request.
 */
export class Connection {
  private socket: Socket | null = null;
  private buf: Buffer = Buffer.alloc(0);
  private waiter: {
    resolve: (a: Answer) => void;
    reject: (e: Error) => void;
    keepBody: boolean;
    head: boolean;
  } | null = null;
  private readonly host: string;
  private readonly port: number;
  private readonly hostHeader: string;

  constructor(base: string) {
    const u = new URL(base);
    this.host = u.hostname;
    this.port = Number(u.port || 80);
    this.hostHeader = u.host;
  }

  private open(): Socket {
    const socket = connect({ host: this.host, port: this.port, noDelay: true });
    socket.on('data', (d: Buffer) => {
      this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
      this.parse();
    });
    const fail = (e: Error) => {
      if (this.socket === socket) this.socket = null;
      const w = this.waiter;
      this.waiter = null;
      w?.reject(e);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed before the answer')));
    this.buf = Buffer.alloc(0);
    this.socket = socket;
    return socket;
  }

  private parse(): void {
    const w = this.waiter;
    if (!w) return;
    const end = this.buf.indexOf('\r\n\r\n');
    if (end < 0) return;
    const head = this.buf.toString('latin1', 0, end);
    const status = Number(head.slice(9, 12));
    let length = -1;
    let chunked = false;
    let close = false;
    let www: string | undefined;
    for (const line of head.split('\r\n').slice(1)) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === 'content-length') length = Number(value);
      else if (name === 'transfer-encoding') chunked = value.toLowerCase().includes('chunked');
      else if (name === 'connection') close = value.toLowerCase() === 'close';
      else if (name === 'www-authenticate') www = value;
    }
    let body: Buffer;
    let rest: number;
    if (w.head || status === 204 || status === 304 || (status >= 100 && status < 200)) {
      body = Buffer.alloc(0);
      rest = end + 4;
    } else if (chunked) {
      const parts: Buffer[] = [];
      let at = end + 4;
      for (;;) {
        const eol = this.buf.indexOf('\r\n', at);
        if (eol < 0) return;
        const size = Number.parseInt(this.buf.toString('latin1', at, eol), 16);
        if (this.buf.length < eol + 2 + size + 2) return;
        if (size === 0) {
          rest = eol + 4;
          break;
        }
        parts.push(this.buf.subarray(eol + 2, eol + 2 + size));
        at = eol + 2 + size + 2;
      }
      body = Buffer.concat(parts);
    } else if (length >= 0) {
      if (this.buf.length < end + 4 + length) return;
      body = this.buf.subarray(end + 4, end + 4 + length);
      rest = end + 4 + length;
    } else {
      w.reject(new Error('answer without length framing'));
      return;
    }
    this.buf = this.buf.subarray(rest);
    this.waiter = null;
    if (close) {
      this.socket?.destroy();
      this.socket = null;
    }
    w.resolve({ status, www, body: w.keepBody ? body.toString('utf8') : '' });
  }

  send(
    method: string,
    path: string,
    headers: Record<string, string>,
    body: string | undefined,
    keepBody: boolean,
  ): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const socket = this.socket ?? this.open();
      this.waiter = { resolve, reject, keepBody, head: method === 'HEAD' };
      let req = `${method} ${path} HTTP/1.1\r\nhost: ${this.hostHeader}\r\n`;
      for (const [k, v] of Object.entries(headers)) req += `${k}: ${v}\r\n`;
      const payload = body === undefined ? undefined : Buffer.from(body);
      if (payload) req += `content-length: ${payload.length}\r\n`;
      req += 'connection: keep-alive\r\n\r\n';
      socket.write(payload ? Buffer.concat([Buffer.from(req, 'latin1'), payload]) : req);
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = null;
  }
}

export async function drive(o: DriveOptions): Promise<DriveResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const kinds: Record<string, number> = {};
  let renewals = 0;
  let measuring = false;
  let stop = false;
  let seq = 0;
  let conn = 0;
  const worker = async () => {
    const connection = conn++;
    const http = new Connection(o.bases ? o.bases[connection % o.bases.length] : o.base);
    let challenge: string | null = o.auth.kind === 'digest' ? (o.auth.challenge ?? null) : null;
    let nc = 0;
    let own = 0;
    let created: string | null = null;
    let writes = 0;
    const headersFor = (method: string, path: string, extra?: Record<string, string>): Record<string, string> => {
      const h: Record<string, string> = { ...o.headers, ...extra };
      if (o.auth.kind === 'bearer') h.authorization = `Bearer ${o.auth.token}`;
      if (o.auth.kind === 'digest' && challenge)
        h.authorization = digestHeader(challenge, o.auth.username, o.auth.password, method, path, ++nc);
      return h;
    };
    const exchange = async (
      method: string,
      path: string,
      body: string | undefined,
      extra: Record<string, string> | undefined,
      keepBody: boolean,
    ) => {
      let a = await http.send(method, path, headersFor(method, path, extra), body, keepBody);
      if (o.auth.kind === 'digest' && a.status === 401 && a.www && (!challenge || a.www.includes('stale=true'))) {
        challenge = a.www;
        nc = 0;
        renewals++;
        a = await http.send(method, path, headersFor(method, path, extra), body, keepBody);
      }
      return a;
    };
    while (!stop) {
      const i = seq++;
      own++;
      let method = o.method ?? 'GET';
      let path = o.path;
      let body = o.body;
      let extra: Record<string, string> | undefined;
      let kind = 'read';
      const alt = o.mixed && i % o.mixed.every === 0 ? o.mixed : null;
      if (alt) {
        method = alt.method;
        path = alt.path;
        body = alt.bodyTemplate ? alt.bodyTemplate.replaceAll('{i}', `${process.pid}-${i}`) : o.body;
        kind = 'mixed';
      }
      const w = o.writes && own % o.writes.every === 0 ? o.writes : null;
      if (w) {
        if (created === null) {
          method = 'POST';
          path = w.create.path;
          body = w.create.bodyTemplate.replaceAll('{i}', `${process.pid}-${connection}-${writes++}`);
          extra = w.create.headers;
          kind = 'create';
        } else {
          method = 'DELETE';
          path = w.deletePath.replace('{id}', created);
          body = undefined;
          kind = 'delete';
        }
      }
      const t0 = performance.now();
      const a = await exchange(method, path, body, extra, kind === 'create');
      if (kind === 'create')
        created = a.status === 200 || a.status === 201 ? (JSON.parse(a.body) as { id: string }).id : null;
      if (kind === 'delete') created = null;
      if (measuring) {
        latencies.push(performance.now() - t0);
        statuses[a.status] = (statuses[a.status] ?? 0) + 1;
        kinds[kind] = (kinds[kind] ?? 0) + 1;
      }
    }
    if (created !== null && o.writes)
      await exchange('DELETE', o.writes.deletePath.replace('{id}', created), undefined, undefined, false);
    http.close();
  };
  const workers = Array.from({ length: o.connections }, worker);
  await new Promise((r) => setTimeout(r, o.warmupMs));
  measuring = true;
  renewals = 0;
  const started = performance.now();
  const client0 = process.cpuUsage();
  const cpu0 = o.watchPid ? procCpuSeconds(o.watchPid) : 0;
  let maxRss = o.watchPid ? procRssMiB(o.watchPid) : 0;
  const sampler = o.watchPid
    ? setInterval(() => {
        maxRss = Math.max(maxRss, procRssMiB(o.watchPid as number));
      }, 250)
    : null;
  await new Promise((r) => setTimeout(r, o.durationMs));
  measuring = false;
  const cpu1 = o.watchPid ? procCpuSeconds(o.watchPid) : 0;
  const client = process.cpuUsage(client0);
  if (sampler) clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  stop = true;
  await Promise.all(workers);
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    Number((latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0).toFixed(2));
  return {
    requests: latencies.length,
    seconds: Number(seconds.toFixed(2)),
    requestsPerSecond: Math.round(latencies.length / seconds),
    latencyMs: { p50: pct(50), p90: pct(90), p99: pct(99), max: pct(100) },
    statuses,
    nonceRenewals: renewals,
    ...(o.watchPid
      ? {
          watched: {
            cpuSeconds: Number((cpu1 - cpu0).toFixed(2)),
            cpuMicrosPerRequest: latencies.length ? Math.round(((cpu1 - cpu0) * 1e6) / latencies.length) : 0,
            maxRssMiB: Math.round(maxRss),
          },
        }
      : {}),
    clientCpuSeconds: Number(((client.user + client.system) / 1e6).toFixed(2)),
    ...(o.writes || o.mixed ? { kinds } : {}),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await drive(JSON.parse(process.argv[2]) as DriveOptions);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
