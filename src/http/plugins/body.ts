import type { FastifyInstance } from 'fastify';
import { atlasError } from '../../errors/atlas-error.ts';

const JSON_TYPES = /^application\/(json|vnd\.atlas\.(\d{4}-\d{2}-\d{2}|preview)\+json)$/i;

/**
 * Request bodies: JSON under `application/json` or any `application/vnd.atlas.<version>+json`.
 * Anything else, and anything that does not parse, is answered with Atlas's JSON errors.
 */
export function registerBodyParsers(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (request, body, done) => {
    const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const text = String(body);
    // The OAuth endpoints take forms (RFC 6749); their handlers judge what arrives.
    if (request.url.startsWith('/api/oauth/')) {
      return done(null, type === 'application/x-www-form-urlencoded' ? Object.fromEntries(new URLSearchParams(text)) : null);
    }
    // The invitee's page posts its buttons as (empty) forms; it reads no body.
    if (request.url.startsWith('/console/')) return done(null, undefined);
    if (text.trim() === '') return done(null, undefined);
    if (!JSON_TYPES.test(type)) return done(atlasError('INVALID_JSON'), undefined);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return done(atlasError('MALFORMED_JSON'), undefined);
    }
    // NUL cannot be stored in PostgreSQL text and has no place in any field of these APIs.
    if (containsNul(parsed)) return done(atlasError('INVALID_JSON'), undefined);
    done(null, parsed);
  });
}

function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(containsNul);
  if (value && typeof value === 'object') return Object.entries(value).some(([k, v]) => k.includes('\u0000') || containsNul(v));
  return false;
}
