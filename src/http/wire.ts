import { STATUS_CODES } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AtlasError } from '../errors/atlas-error.ts';
import { prettyJson } from '../lib/json.ts';
import './types.ts';

// Bodies go out as Buffers: Fastify would otherwise append `; charset=utf-8` to Atlas's exact content types.

/** Atlas reads boolean query flags the Java way: only "true" (any case) is true. */
export function queryFlag(request: FastifyRequest, name: string): boolean {
  const v = ((request.query ?? {}) as Record<string, unknown>)[name];
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' && s.toLowerCase() === 'true';
}

function isPage(body: unknown): body is Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body) && 'results' in body;
}

/** envelope=true: lists get `status` among their keys; everything else becomes {content, status}. */
function envelopeOf(body: unknown, status: number): unknown {
  if (isPage(body)) {
    const merged: Record<string, unknown> = { ...body, status };
    return Object.fromEntries(
      Object.keys(merged)
        .sort()
        .map((k) => [k, merged[k]]),
    );
  }
  return { content: body, status };
}

function serialize(request: FastifyRequest, body: unknown, status: number): string {
  const payload = queryFlag(request, 'envelope') ? envelopeOf(body, status) : body;
  return queryFlag(request, 'pretty') ? prettyJson(payload) : JSON.stringify(payload);
}

function successHeaders(request: FastifyRequest, reply: FastifyReply): void {
  const meta = request.routeOptions.config.resource;
  if (meta?.surface === 'v2') {
    reply.header('content-type', `application/vnd.atlas.${request.apiVersion ?? '2023-01-01'}+json;charset=utf-8`);
  } else {
    reply.header('content-type', 'application/json');
  }
  if (meta?.deprecation) reply.header('deprecation', meta.deprecation);
  if (meta?.sunset) reply.header('sunset', meta.sunset);
  if (request.rateLimit) {
    reply.header('ratelimit-limit', String(request.rateLimit.limit));
    reply.header('ratelimit-remaining', String(request.rateLimit.remaining));
  }
}

export function sendEntity(request: FastifyRequest, reply: FastifyReply, status: number, body: unknown): FastifyReply {
  successHeaders(request, reply);
  return reply.code(status).send(Buffer.from(serialize(request, body, status)));
}

/** 204: no body, but Atlas still sends the content type, deprecation and rate-limit headers. */
export function sendNoContent(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  successHeaders(request, reply);
  return reply.code(204).send();
}

export function errorBody(err: AtlasError): Record<string, unknown> {
  return {
    detail: err.detail,
    error: err.status,
    errorCode: err.errorCode,
    parameters: err.parameters,
    reason: STATUS_CODES[err.status] ?? 'Error',
  };
}

export function sendError(request: FastifyRequest, reply: FastifyReply, err: AtlasError): FastifyReply {
  return reply
    .code(err.status)
    .header('content-type', 'application/json')
    .header('x-error-code', err.errorCode)
    .send(Buffer.from(serialize(request, errorBody(err), err.status)));
}

/** The Digest challenge answer, byte for byte as Atlas sends it (pretty, its own key order). */
const CHALLENGE_BODY =
  '{\n  "error" : 401,\n  "reason" : "Unauthorized",\n  "detail" : "You are not authorized for this resource.",\n  "errorCode" : "UNEXPECTED_ERROR"\n}';

export function sendChallenge(reply: FastifyReply, challenge: string): FastifyReply {
  return reply
    .code(401)
    .header('content-type', 'application/json')
    .header('vary', 'Accept-Encoding')
    .header('www-authenticate', challenge)
    .send(Buffer.from(CHALLENGE_BODY));
}
