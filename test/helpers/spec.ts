import { readFileSync } from 'node:fs';

/** The official OpenAPI subset and the implementer's reference, as kept in test/fixtures/reference. */
const REFERENCE = new URL('../fixtures/reference/', import.meta.url);
const SPEC =
  readFileSync(new URL('atlas-invitations-openapi.yaml', REFERENCE), 'utf8') +
  readFileSync(new URL('atlas-access-openapi.yaml', REFERENCE), 'utf8');
export const FACTS = readFileSync(new URL('api-facts.md', REFERENCE), 'utf8');

export interface SpecOperation {
  readonly operationId: string;
  readonly method: string;
  readonly path: string;
  /** `x-rolesRequirements`, as the spec names the roles ("Project Owner", …); empty when it names none. */
  readonly roles: readonly string[];
  /** The resource versions its responses are published in (`application/vnd.atlas.{v}+json`), sorted. */
  readonly versions: readonly string[];
}

/** Every operation of the spec subset with its required roles and versions (line-based: the files are machine-written YAML). */
export function specOperationDetails(): SpecOperation[] {
  const out: SpecOperation[] = [];
  let path = '';
  let current: { operationId: string; method: string; path: string; roles: string[]; versions: Set<string> } | null =
    null;
  let inRoles = false;
  const flush = () => {
    if (current?.operationId) out.push({ ...current, versions: [...current.versions].sort() });
    current = null;
  };
  for (const line of SPEC.split('\n')) {
    const p = /^ {4}(\/api\/\S+):$/.exec(line);
    if (p || /^\S/.test(line)) {
      flush();
      path = p ? p[1] : '';
      continue;
    }
    const m = /^ {8}(get|post|patch|put|delete):$/.exec(line);
    if (m) {
      flush();
      if (path) current = { operationId: '', method: m[1].toUpperCase(), path, roles: [], versions: new Set() };
      continue;
    }
    if (!current) continue;
    const op: { operationId: string; roles: string[]; versions: Set<string> } = current;
    const o = /^ {12}operationId: (\w+)$/.exec(line);
    if (o) op.operationId = o[1];
    if (/^ {12}\S/.test(line)) inRoles = /^ {12}x-rolesRequirements:$/.test(line);
    const r = /^ {16}- (.+)$/.exec(line);
    if (inRoles && r) op.roles.push(r[1]);
    const v = /application\/vnd\.atlas\.(\d{4}-\d{2}-\d{2})\+json:$/.exec(line);
    if (v) op.versions.add(v[1]);
  }
  flush();
  return out;
}
