import type { FastifyInstance } from 'fastify';
import { atlasError } from '../../errors/atlas-error.ts';

const JSON_TYPES = /^application\/(json|vnd\.atlas\.(\d{4}-\d{2}-\d{2}|preview)\+json)$/i;

/**
 * Request bodies of the Atlas API: JSON under `application/json` or any
 * `application/vnd.atlas.<version>+json`. Anything else, and anything that does not parse, is
 * answered with Atlas's JSON errors. Other surfaces (OAuth, console) replace these in their scope.
 */
export function registerBodyParsers(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (request, body, done) => {
    const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    if (!JSON_TYPES.test(type)) return done(atlasError('INVALID_JSON'), undefined);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return done(atlasError('MALFORMED_JSON'), undefined);
    }
    const problem = jsonProblem(parsed);
    // Nesting past Jackson's limit is a parse failure on Atlas; a NUL cannot be stored in
    // PostgreSQL text and has no place in any field of these APIs.
    if (problem === 'too-deep') return done(atlasError('MALFORMED_JSON'), undefined);
    if (problem === 'nul') return done(atlasError('INVALID_JSON'), undefined);
    done(null, parsed);
  });
}

/** Jackson's default `StreamReadConstraints.maxNestingDepth`, which Atlas's parser enforces. */
export const MAX_JSON_DEPTH = 1000;

/**
 * Walks a parsed body without recursion (any depth JSON.parse accepts must not overflow the
 * stack): too deep, a NUL in a key or a string, or null when the body is fine.
 */
export function jsonProblem(root: unknown): 'too-deep' | 'nul' | null {
  const stack: Array<{ value: unknown; depth: number }> = [{ value: root, depth: 0 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop() as { value: unknown; depth: number };
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return 'nul';
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) return 'too-deep';
    if (Array.isArray(value)) {
      for (const v of value) stack.push({ value: v, depth: depth + 1 });
      continue;
    }
    for (const [k, v] of Object.entries(value)) {
      if (k.includes('\u0000')) return 'nul';
      stack.push({ value: v, depth: depth + 1 });
    }
  }
  return null;
}
