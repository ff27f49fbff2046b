import type { FastifyInstance } from 'fastify';
import type { IncomingMessage } from 'node:http';

export interface DrainLimits {
  /** Body bytes read and discarded, at most, before an early answer goes out anyway. */
  readonly maxBytes: number;
  /** How long an early answer waits, at most, for the rest of the body. */
  readonly maxMs: number;
}

function bodyPending(raw: IncomingMessage): boolean {
  // `complete`: the parser has seen the whole message; `readableEnded` covers injected requests, which never set it.
  if (raw.httpVersionMajor !== 1 || raw.complete || raw.readableEnded || raw.destroyed) return false;
  return Number(raw.headers['content-length'] ?? 0) > 0 || raw.headers['transfer-encoding'] !== undefined;
}

/** Reads and discards the rest of the body: true once it has all arrived, false past the limits or if the client went away. */
function drain(raw: IncomingMessage, limits: DrainLimits): Promise<boolean> {
  return new Promise((resolve) => {
    let seen = 0;
    const finish = (complete: boolean) => {
      clearTimeout(timer);
      raw.off('data', onData).off('end', onEnd).off('close', onClose);
      resolve(complete);
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > limits.maxBytes) finish(false);
    };
    const onEnd = () => finish(true);
    const onClose = () => finish(raw.complete);
    const timer = setTimeout(() => finish(false), limits.maxMs);
    raw.on('data', onData).on('end', onEnd).on('close', onClose);
    raw.resume();
  });
}

/**
 * An answer sent before the request body was read (the Digest challenge, a 404, a body over the
 * limit) waits for the rest of the body, discarding it. Closing a socket with unread data resets
 * the connection, and a client still uploading loses the answer it had not yet read. Past the
 * limits the answer goes out anyway and the connection closes.
 */
export function registerRequestDrain(app: FastifyInstance, limits: DrainLimits): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (!bodyPending(request.raw) || (await drain(request.raw, limits))) return payload;
    reply.header('connection', 'close');
    return payload;
  });
}
