import type { FastifyReply } from 'fastify';

/** A control-plane or probe answer: plain JSON, never cached. */
export const jsonReply = (reply: FastifyReply, status: number, body: unknown): FastifyReply =>
  reply
    .code(status)
    .header('content-type', 'application/json')
    .header('cache-control', 'no-store')
    .send(Buffer.from(JSON.stringify(body)));
