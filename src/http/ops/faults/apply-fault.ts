import { constants as h2 } from 'node:http2';
import { setTimeout as sleepFor } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AtlasError } from '../../../errors/atlas-error.ts';
import { atlasPath, decodedPath } from '../../route-path.ts';
import { sendError } from '../../wire.ts';
import { operationIdOf } from '../operation-id.ts';
import type { FaultBook, FaultRule } from './fault-book.ts';

const CONTROL_PREFIX = '/_cloud-invites';

/** The path a rule's pattern is matched against: decoded, without the query, slashes collapsed. */
const requestPath = (url: string) => decodedPath(url, true);

/** The answer a rule's error sends, rendered like every other error (wire.ts). */
function faultError(rule: FaultRule, request: FastifyRequest) {
  const error = rule.error as NonNullable<FaultRule['error']>;
  const resource = atlasPath(request.routeOptions.url ?? requestPath(request.url)).replace(/^\//, '');
  const err = new AtlasError(error.name, ...error.parameters.map((p) => (p === '{resource}' ? resource : p)));
  // A status other than the registry's (e.g. 503 with UNEXPECTED_ERROR): the code stays Atlas's.
  return error.status === err.status ? err : Object.assign(err, { status: error.status });
}

/** No answer at all: the connection (HTTP/1.1) or the stream (HTTP/2) goes away. */
function dropConnection(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  reply.hijack();
  const stream = (request.raw as { stream?: { close(code?: number): void } }).stream;
  if (stream) stream.close(h2.NGHTTP2_INTERNAL_ERROR);
  else request.raw.socket.destroy();
  return reply;
}

export interface FaultHookDeps {
  book: FaultBook;
  /** Waits out an injected latency (tests inject their own timer). */
  sleep?: (ms: number) => Promise<unknown>;
  onApplied?: (kind: 'latency' | 'error' | 'drop') => void;
}

/** Waits out the rule's latency, then answers for it; true when the call got its answer (or none) here. */
async function applyRule(
  rule: FaultRule,
  request: FastifyRequest,
  reply: FastifyReply,
  deps: FaultHookDeps,
  sleep: (ms: number) => Promise<unknown>,
) {
  if (rule.latencyMs > 0) {
    deps.onApplied?.('latency');
    await sleep(rule.latencyMs);
  }
  if (rule.drop) {
    deps.onApplied?.('drop');
    dropConnection(request, reply);
    return true;
  }
  if (rule.error) {
    deps.onApplied?.('error');
    if (rule.error.retryAfterSeconds !== null) reply.header('retry-after', String(rule.error.retryAfterSeconds));
    sendError(request, reply, faultError(rule, request));
    return true;
  }
  return false;
}

/**
 * Applies the first matching rule to a call once it is authenticated and routed (preHandler, so a
 * Digest challenge round trip does not use up a rule's `times`), never to `/_cloud-invites/…`.
 * With no rules, the cost per request is one property read (a callback hook: no promise).
 */
export function registerFaultHook(app: FastifyInstance, deps: FaultHookDeps): void {
  const sleep = deps.sleep ?? sleepFor;
  app.addHook('preHandler', (request, reply, done) => {
    if (!deps.book.active) return done();
    const path = requestPath(request.url);
    if (path.toLowerCase().startsWith(CONTROL_PREFIX) || request.routeOptions.url?.startsWith(CONTROL_PREFIX))
      return done();
    const rule = deps.book.pick(operationIdOf(request), request.method, path);
    if (!rule) return done();
    applyRule(rule, request, reply, deps, sleep).then((answered) => answered || done(), done);
  });
}
