import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import { redactUrl } from '../log-redaction.ts';

/**
 * One log line per request, when it is answered (Fastify's default writes two: on arrival and on
 * answer). It says what an access log says; never a header, so no Authorization, and the URL
 * without an invitee's link secret.
 */
export class AccessLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = {
      method: request.method,
      url: redactUrl(request.url),
      statusCode: reply.statusCode,
      remoteAddress: request.ip,
      responseTimeMs: Math.round(reply.elapsedTime * 100) / 100,
    };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request');
  }
}
