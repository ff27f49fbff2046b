/** Atlas project roles (docs "Atlas User Roles"; the spec's enum until 2026-01). */
export const ATLAS_PROJECT_ROLES = [
  'GROUP_OWNER',
  'GROUP_CLUSTER_MANAGER',
  'GROUP_STREAM_PROCESSING_OWNER',
  'GROUP_DATA_ACCESS_ADMIN',
  'GROUP_DATA_ACCESS_READ_WRITE',
  'GROUP_DATA_ACCESS_READ_ONLY',
  'GROUP_DATABASE_ACCESS_ADMIN',
  'GROUP_BACKUP_MANAGER',
  'GROUP_OBSERVABILITY_VIEWER',
  'GROUP_READ_ONLY',
  'GROUP_SEARCH_INDEX_EDITOR',
] as const;

/** Cloud Manager project roles (CM docs, includes/api/lists/project-roles.rst). */
const CLOUD_MANAGER_PROJECT_ROLES = [
  'GROUP_AUTOMATION_ADMIN',
  'GROUP_BACKUP_ADMIN',
  'GROUP_DATA_ACCESS_ADMIN',
  'GROUP_DATA_ACCESS_READ_ONLY',
  'GROUP_DATA_ACCESS_READ_WRITE',
  'GROUP_MONITORING_ADMIN',
  'GROUP_OWNER',
  'GROUP_READ_ONLY',
  'GROUP_USER_ADMIN',
] as const;

/** Atlas organization roles, in the spec's order. */
export const ORG_ROLES = [
  'ORG_OWNER',
  'ORG_MEMBER',
  'ORG_GROUP_CREATOR',
  'ORG_BILLING_ADMIN',
  'ORG_BILLING_READ_ONLY',
  'ORG_STREAM_PROCESSING_ADMIN',
  'ORG_READ_ONLY',
] as const;

/** Which product's catalogue an API surface validates roles against. */
export type RoleCatalogue = 'atlas' | 'cloud-manager';

export function projectRolesFor(catalogue: RoleCatalogue): readonly string[] {
  return catalogue === 'atlas' ? ATLAS_PROJECT_ROLES : CLOUD_MANAGER_PROJECT_ROLES;
}

/** Every project role either product knows: what may be stored on a project assignment. */
const ALL_PROJECT_ROLES: readonly string[] = [...new Set([...ATLAS_PROJECT_ROLES, ...CLOUD_MANAGER_PROJECT_ROLES])];

/** Cloud Manager organization roles (CM docs, includes/api/lists/org-roles.rst): no ORG_STREAM_PROCESSING_ADMIN. */
const CLOUD_MANAGER_ORG_ROLES = [
  'ORG_OWNER',
  'ORG_MEMBER',
  'ORG_GROUP_CREATOR',
  'ORG_BILLING_ADMIN',
  'ORG_READ_ONLY',
  'ORG_BILLING_READ_ONLY',
] as const;

export function orgRolesFor(catalogue: RoleCatalogue): readonly string[] {
  return catalogue === 'atlas' ? ORG_ROLES : CLOUD_MANAGER_ORG_ROLES;
}

export function isOrgRole(role: string): boolean {
  return (ORG_ROLES as readonly string[]).includes(role);
}

export function isProjectRole(role: string): boolean {
  return ALL_PROJECT_ROLES.includes(role);
}
