import type { FastifyReply } from 'fastify';

/** Plain JSON (not the Atlas media type), for the control plane and the probes. */
export function jsonReply(reply: FastifyReply, status: number, body: unknown, noStore = false): FastifyReply {
  reply.code(status).header('content-type', 'application/json');
  if (noStore) reply.header('cache-control', 'no-store');
  return reply.send(Buffer.from(JSON.stringify(body)));
}

/** `jsonReply` that no cache may keep. */
export const noStoreReply = (reply: FastifyReply, status: number, body: unknown): FastifyReply =>
  jsonReply(reply, status, body, true);
