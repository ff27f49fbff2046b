import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AtlasError, atlasError } from '../../errors/atlas-error.ts';
import { sendError } from '../wire.ts';

/** Every failure leaves as an Atlas ApiError; nothing unexpected leaks more than UNEXPECTED_ERROR. */
export function atlasErrorHandler(bodyLimit: number) {
  return (error: FastifyError | AtlasError, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    if (error instanceof AtlasError) return sendError(request, reply, error);
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
  };
}

export function registerErrorHandlers(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler(atlasErrorHandler(bodyLimit));
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    return sendError(request, reply, atlasError('RESOURCE_NOT_FOUND', path));
  });
}
