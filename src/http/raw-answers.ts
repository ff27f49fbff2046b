import type { FastifyInstance } from 'fastify';
import { type IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { atlasError } from '../errors/atlas-error.ts';
import type { AtlasError } from '../errors/atlas-error.ts';
import { errorBody } from './wire.ts';

/** An Atlas error written straight to a socket Node's HTTP parser gave up on; the connection closes. HEAD gets no body. */
function endWithError(socket: Duplex, err: AtlasError, head = false): void {
  if (!socket.writable) return;
  const body = head ? '' : JSON.stringify(errorBody(err));
  const reason = String(errorBody(err).reason);
  socket.end(
    `HTTP/1.1 ${err.status} ${reason}\r\nContent-Type: application/json\r\nX-Error-Code: ${err.errorCode}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** `FOO /path HTTP/1.1`: a well-formed request line whose method Node's parser does not know. */
const UNKNOWN_METHOD_LINE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+ (\S+) HTTP\/1\.[01]\r?\n/;

/**
 * Fastify's clientErrorHandler. A method Node does not know (`FOO`, `BREW`) is answered as a method
 * the path does not have: 404 RESOURCE_NOT_FOUND (ADR 0003: the catalogue has no 405 code).
 * Anything else the parser cannot read gets 400 VALIDATION_ERROR.
 */
export function answerClientError(err: Error & { code?: string; rawPacket?: Buffer }, socket: Duplex): void {
  const raw = err.rawPacket?.toString('latin1') ?? '';
  const line = err.code === 'HPE_INVALID_METHOD' ? UNKNOWN_METHOD_LINE.exec(raw) : null;
  if (line) return endWithError(socket, atlasError('RESOURCE_NOT_FOUND', line[1].split('?')[0]));
  const detail =
    err.code === 'HPE_HEADER_OVERFLOW' ? 'the request headers are too large' : 'the request line is malformed';
  // `[]HEAD /…`: the unframed body of a previous request (some clients send one with HEAD) glued to
  // a HEAD request line; its client reads no body either.
  endWithError(socket, atlasError('VALIDATION_ERROR', detail), /^\S*HEAD /.test(raw));
}

/** `Expect:` other than `100-continue`: Node would answer 417 with no body. */
export function answerUnknownExpectation(req: IncomingMessage, res: ServerResponse): void {
  const err = atlasError(
    'VALIDATION_ERROR',
    `the Expect header ${JSON.stringify(String(req.headers.expect))} is not supported`,
  );
  const body = JSON.stringify(errorBody(err));
  res.writeHead(err.status, {
    'content-type': 'application/json',
    'x-error-code': err.errorCode,
    'content-length': Buffer.byteLength(body),
    connection: 'close',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** HTTP/1.1 requires Host. Node's own check (switched off) answers 400 with no body; the app answers instead. */
export function missingHost(req: IncomingMessage): boolean {
  return req.httpVersion === '1.1' && !req.headers.host;
}

/**
 * Node hands CONNECT to 'connect' listeners and, with none, drops an HTTP/1 socket without a word
 * (HTTP/2 gets a bare 405). The app answers it like any other method it does not route (challenge
 * first on API paths, then 404), and an HTTP/1 connection closes: nothing after the head is read.
 */
export function answerConnect(app: FastifyInstance): void {
  app.server.on('connect', (req: IncomingMessage, socketOrResponse: Socket | ServerResponse) => {
    if (req.url === undefined) req.url = String(req.headers[':authority'] ?? ''); // HTTP/2 CONNECT has no :path
    if ('writeHead' in socketOrResponse) return route(app, req, socketOrResponse); // HTTP/2: a stream, not the connection
    const socket = socketOrResponse;
    socket.on('error', () => socket.destroy());
    const res = new ServerResponse(req);
    res.shouldKeepAlive = false;
    res.assignSocket(socket);
    res.on('finish', () => {
      res.detachSocket(socket);
      socket.end();
    });
    route(app, req, res);
  });
}

/** A listener that throws would take the process down: a request the router cannot take is dropped. */
function route(app: FastifyInstance, req: IncomingMessage, res: ServerResponse): void {
  try {
    app.routing(req, res);
  } catch {
    res.destroy();
  }
}

/**
 * A client may half-close its connection once it has sent its request (HTTP/1.0 style, `nc -q`,
 * some proxies). Node's default then aborts the request still being answered and closes: the
 * client gets nothing. Half-open, the server answers and closes after that answer.
 */
export function answerHalfClosedRequests(app: FastifyInstance): void {
  if ('httpAllowHalfOpen' in app.server) (app.server as { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
}
