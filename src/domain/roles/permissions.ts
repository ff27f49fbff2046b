import { atlasError } from '../../errors/atlas-error.ts';
import type { Principal } from '../principal.ts';

/**
 * Atlas's role inheritance, as far as these endpoints need it:
 * - every org role makes the holder an Organization Member;
 * - Organization Owner holds every org role and Project Owner on every project of the org;
 * - Organization Read Only holds Project Read Only on every project of the org;
 * - Project Owner holds every project role; every project role includes Project Read Only.
 */
export type OrgRequirement = 'ORG_OWNER' | 'ORG_MEMBER' | 'ORG_GROUP_CREATOR' | 'ORG_READ_ONLY';
export type ProjectRequirement = 'GROUP_OWNER' | 'GROUP_USER_ADMIN' | 'GROUP_READ_ONLY';

/**
 * The spec's project `x-rolesRequirements`, the one rule every project operation follows.
 * "Project Access Manager" is no assignable Atlas role: Project Owner holds it, and so does
 * Cloud Manager's Project User Admin (`GROUP_USER_ADMIN`).
 */
export const SPEC_PROJECT_ROLE = {
  'Project Owner': 'GROUP_OWNER',
  'Project Access Manager': 'GROUP_USER_ADMIN',
  'Project Read Only': 'GROUP_READ_ONLY',
} as const satisfies Record<string, ProjectRequirement>;
export const PROJECT_ACCESS_MANAGER = SPEC_PROJECT_ROLE['Project Access Manager'];

/** The spec's organization `x-rolesRequirements`, as the requirement each names. */
export const SPEC_ORG_ROLE = {
  'Organization Owner': 'ORG_OWNER',
  'Organization Member': 'ORG_MEMBER',
  'Organization Read Only': 'ORG_READ_ONLY',
} as const satisfies Record<string, OrgRequirement>;

export function hasOrgRole(principal: Principal, orgId: string, required: OrgRequirement): boolean {
  if (principal.orgId !== orgId) return false;
  const roles = principal.orgRoles;
  if (roles.has('ORG_OWNER')) return true;
  switch (required) {
    case 'ORG_OWNER':
      return false;
    case 'ORG_MEMBER':
      return roles.size > 0;
    case 'ORG_GROUP_CREATOR':
      return roles.has('ORG_GROUP_CREATOR');
    case 'ORG_READ_ONLY':
      return roles.has('ORG_READ_ONLY');
  }
}

function effectiveProjectRoles(principal: Principal, project: { id: string; orgId: string }): Set<string> {
  const roles = new Set<string>();
  if (principal.orgId !== project.orgId) return roles;
  for (const r of principal.projectRoles.get(project.id) ?? []) roles.add(r);
  if (principal.orgRoles.has('ORG_OWNER')) roles.add('GROUP_OWNER');
  if (principal.orgRoles.has('ORG_READ_ONLY')) roles.add('GROUP_READ_ONLY');
  return roles;
}

export function hasProjectRole(
  principal: Principal,
  project: { id: string; orgId: string },
  required: ProjectRequirement,
): boolean {
  const roles = effectiveProjectRoles(principal, project);
  if (roles.has('GROUP_OWNER')) return true;
  if (required === 'GROUP_USER_ADMIN') return roles.has('GROUP_USER_ADMIN');
  if (required === 'GROUP_READ_ONLY') return roles.size > 0;
  return false;
}

export function requireOrgRole(principal: Principal, orgId: string, required: OrgRequirement): void {
  if (!hasOrgRole(principal, orgId, required)) throw atlasError('USER_UNAUTHORIZED');
}

export function requireProjectRole(
  principal: Principal,
  project: { id: string; orgId: string },
  required: ProjectRequirement,
): void {
  if (!hasProjectRole(principal, project, required)) throw atlasError('USER_UNAUTHORIZED');
}
