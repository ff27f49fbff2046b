import { atlasError } from '../../errors/atlas-error.ts';
import { projectRolesFor, type RoleCatalogue } from '../roles/roles.ts';

/**
 * A practical address check (RFC 5321 sizes, one @, a dotted domain, no spaces or controls):
 * what Atlas calls "a valid email address".
 */
const EMAIL =
  /^[^\s@"(),:;<>[\\\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export function isValidUsername(username: string): boolean {
  return (
    username.length <= 254 && username.split('@')[0].length <= 64 && !CONTROL.test(username) && EMAIL.test(username)
  );
}

export function validateUsername(username: string): void {
  if (!isValidUsername(username)) throw atlasError('INVALID_USERNAME');
}

/** Roles must be non-empty, unique, and project roles of the surface's product. */
export function validateProjectRoles(roles: readonly string[], catalogue: RoleCatalogue, projectId: string): void {
  if (roles.length === 0) throw atlasError('VALIDATION_ERROR', 'roles must contain at least one role');
  const allowed = projectRolesFor(catalogue);
  for (const role of roles) {
    if (!allowed.includes(role)) throw atlasError('INVALID_ROLE_FOR_GROUP', role, projectId);
  }
  const seen = new Set<string>();
  for (const role of roles) {
    if (seen.has(role))
      throw atlasError('VALIDATION_ERROR', `roles must not contain duplicates, ${role} appears twice`);
    seen.add(role);
  }
}
