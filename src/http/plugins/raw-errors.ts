import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { atlasError } from '../../errors/atlas-error.ts';
import { errorBody } from '../wire.ts';

/**
 * Answers that Node's HTTP server would otherwise write itself, with an empty body, before any
 * route or hook runs: still Atlas errors, in Atlas's shape.
 */

function errorText(detail: string): { status: number; code: string; body: string } {
  const err = atlasError('VALIDATION_ERROR', detail);
  return { status: err.status, code: err.errorCode, body: JSON.stringify(errorBody(err)) };
}

/** A request Node could not parse (bad request line, headers past the limit …). HEAD gets no body. */
export function answerClientError(err: Error & { rawPacket?: Buffer; code?: string }, socket: Duplex): void {
  if (!socket.writable) return;
  const { status, code, body } = errorText(err.code === 'HPE_HEADER_OVERFLOW' ? 'the request headers are too large' : 'the request line is malformed');
  const head = err.rawPacket?.subarray(0, 5).toString('latin1') === 'HEAD ';
  const content = head ? '' : body;
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nX-Error-Code: ${code}\r\nContent-Length: ${Buffer.byteLength(content)}\r\nConnection: close\r\n\r\n${content}`,
  );
}

/** `Expect:` other than `100-continue` (Node would answer 417 with no body). */
export function answerUnknownExpectation(req: IncomingMessage, res: ServerResponse): void {
  const { status, code, body } = errorText(`the Expect header ${JSON.stringify(String(req.headers.expect))} is not supported`);
  res.writeHead(status, { 'content-type': 'application/json', 'x-error-code': code, 'content-length': Buffer.byteLength(body), connection: 'close' });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** HTTP/1.1 requires Host; Node's own check answers 400 with no body, so it is switched off and done here. */
export function missingHost(req: IncomingMessage): boolean {
  return req.httpVersion === '1.1' && !req.headers.host;
}
