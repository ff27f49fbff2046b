import { readFileSync } from 'node:fs';

/** The official OpenAPI subset and the implementer's reference, as kept in test/fixtures/reference. */
const REFERENCE = new URL('../fixtures/reference/', import.meta.url);
const SPEC = readFileSync(new URL('atlas-invitations-openapi.yaml', REFERENCE), 'utf8') + readFileSync(new URL('atlas-access-openapi.yaml', REFERENCE), 'utf8');
export const FACTS = readFileSync(new URL('api-facts.md', REFERENCE), 'utf8');

/** method and path of each operationId in the spec subset. */
export function specOperations(): Map<string, { method: string; path: string }> {
  const ops = new Map<string, { method: string; path: string }>();
  let path = '';
  let method = '';
  for (const line of SPEC.split('\n')) {
    const p = /^ {4}(\/api\/\S+):$/.exec(line);
    if (p) path = p[1];
    const m = /^ {8}(get|post|patch|put|delete):$/.exec(line);
    if (m) method = m[1].toUpperCase();
    const o = /^ {12}operationId: (\w+)$/.exec(line);
    if (o && path) ops.set(o[1], { method, path });
  }
  return ops;
}
