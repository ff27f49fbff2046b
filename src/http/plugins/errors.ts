import type { FastifyError, FastifyInstance } from 'fastify';
import { AtlasError, atlasError } from '../../errors/atlas-error.ts';
import { sendError } from '../wire.ts';

/** Every failure leaves as an Atlas ApiError; nothing unexpected leaks more than UNEXPECTED_ERROR. */
export function registerErrorHandlers(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler((error: FastifyError | AtlasError, request, reply) => {
    if (error instanceof AtlasError) return sendError(request, reply, error);
    // The token endpoints speak RFC 6749 to OAuth clients, even about oversized or unreadable bodies.
    if (request.url.startsWith('/api/oauth/') && (error as FastifyError).code?.startsWith('FST_ERR_CTP_')) {
      return reply
        .code(400)
        .header('content-type', 'application/json')
        .header('cache-control', 'no-store')
        .send(Buffer.from(JSON.stringify({ error_description: 'The request body could not be read.', error: 'invalid_request' })));
    }
    switch ((error as FastifyError).code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return sendError(request, reply, atlasError('VALIDATION_ERROR', `the request body exceeds ${bodyLimit} bytes`));
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return sendError(request, reply, atlasError('INVALID_JSON'));
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return sendError(request, reply, atlasError('MALFORMED_JSON'));
    }
    request.log.error({ err: error }, 'unexpected error');
    return sendError(request, reply, atlasError('UNEXPECTED_ERROR'));
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    return sendError(request, reply, atlasError('RESOURCE_NOT_FOUND', path));
  });
}
