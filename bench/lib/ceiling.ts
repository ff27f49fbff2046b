/**
 * The "ceiling": a bare `node:http` server, run in its own process, that answers the bytes our
 * server answered for a scenario (captured beforehand: status, headers in order, body) without
 * doing anything else. `node bench/lib/ceiling.ts <answers.json> <port>`; prints `listening on URL`.
 * Node adds Date, Connection and Keep-Alive itself, as it does for Fastify; the keep-alive timeout
 * is taken from the captured Keep-Alive header so those bytes match too.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

export interface CapturedAnswer {
  /** Matched on method, then on `path` (exact) if given, else any path. */
  method: string;
  path?: string;
  status: number;
  /** Raw header pairs in the order our server sent them. */
  headers: [string, string][];
  body: string;
}

/** Headers Node's http server writes itself (or that depend on the connection). */
export const HOP_HEADERS = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

if (import.meta.url === `file://${process.argv[1]}`) {
  const answers = JSON.parse(readFileSync(process.argv[2], 'utf8')) as {
    keepAliveTimeoutS?: number;
    answers: CapturedAnswer[];
  };
  const port = Number(process.argv[3] ?? 0);
  const prepared = answers.answers.map((a) => ({
    ...a,
    raw: a.headers.filter(([k]) => !HOP_HEADERS.has(k.toLowerCase())).flat(),
    bytes: Buffer.from(a.body, 'utf8'),
  }));
  const server = createServer((req, res) => {
    const a =
      prepared.find((x) => x.method === req.method && x.path === req.url) ??
      prepared.find((x) => x.method === req.method && x.path === undefined);
    req.resume();
    req.on('end', () => {
      if (!a) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(a.status, a.raw);
      res.end(a.bytes);
    });
  });
  if (answers.keepAliveTimeoutS) server.keepAliveTimeout = answers.keepAliveTimeoutS * 1000;
  server.listen(port, '127.0.0.1', () => {
    const addr = server.address();
    if (addr && typeof addr === 'object') process.stdout.write(`listening on http://127.0.0.1:${addr.port}\n`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
