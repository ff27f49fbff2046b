import { atlasError } from '../../errors/atlas-error.ts';
import { findOrg } from '../../storage/repositories/orgs.repository.ts';
import { findProject } from '../../storage/repositories/projects.repository.ts';
import * as repo from '../../storage/repositories/service-accounts.repository.ts';
import { type DomainContext, withTx } from '../context.ts';
import type { Principal } from '../principal.ts';
import type { Page, PageRequest } from '../projects/project.service.ts';
import type { Project } from '../projects/project.ts';
import {
  type OrgRequirement,
  type ProjectRequirement,
  requireOrgRole,
  requireProjectRole,
  SPEC_PROJECT_ROLE,
} from '../roles/permissions.ts';
import { ATLAS_PROJECT_ROLES, isOrgRole } from '../roles/roles.ts';
import { type CreatedSecret, createServiceAccount, validateServiceAccountText } from './service-account.service.ts';
import { CLIENT_ID_PATTERN, type ServiceAccount, type ServiceAccountProjectAssignment } from './service-account.ts';

/** Where a management call addresses service accounts: an organization, or one of its projects. */
export type Scope =
  { readonly kind: 'org'; readonly orgId: string } | { readonly kind: 'group'; readonly groupId: string };

/**
 * What an operation needs (the spec's x-rolesRequirements): `read` Organization / Project Read Only,
 * `write` Organization / Project Owner, `accessList` Organization Owner / Project Access Manager,
 * `assign` Organization Owner of the project's organization (inviteGroupServiceAccount).
 */
export type Need = 'read' | 'write' | 'accessList' | 'assign';

const ORG_NEEDS: Record<Need, OrgRequirement> = {
  read: 'ORG_READ_ONLY',
  write: 'ORG_OWNER',
  accessList: 'ORG_OWNER',
  assign: 'ORG_OWNER',
};
const PROJECT_NEEDS: Record<Exclude<Need, 'assign'>, ProjectRequirement> = {
  read: SPEC_PROJECT_ROLE['Project Read Only'],
  write: SPEC_PROJECT_ROLE['Project Owner'],
  accessList: SPEC_PROJECT_ROLE['Project Access Manager'],
};

/** A scope the caller was checked against (made by `openScope`); `null` where one is taken means the operator's CLI. */
export interface ScopeAccess {
  readonly orgId: string;
  readonly project: Project | null;
  readonly principal: Principal;
}

/** Unknown org/project → 404 ORG_NOT_FOUND / GROUP_NOT_FOUND; a caller without the role (or from another org) → 401. */
export async function openScope(
  ctx: DomainContext,
  principal: Principal,
  scope: Scope,
  need: Need,
): Promise<ScopeAccess> {
  if (scope.kind === 'org') {
    if (!(await findOrg(ctx.db, scope.orgId))) throw atlasError('ORG_NOT_FOUND', scope.orgId);
    requireOrgRole(principal, scope.orgId, ORG_NEEDS[need]);
    return { orgId: scope.orgId, project: null, principal };
  }
  const project = await findProject(ctx.db, scope.groupId);
  if (!project) throw atlasError('GROUP_NOT_FOUND', scope.groupId);
  if (need === 'assign') requireOrgRole(principal, project.orgId, ORG_NEEDS.assign);
  else requireProjectRole(principal, project, PROJECT_NEEDS[need]);
  return { orgId: project.orgId, project, principal };
}

/** A client id as the spec writes it (`mdb_sa_id_` + 24 hex, either case), else 400 INVALID_PATH_PARAMETER. */
export function parseClientId(value: string): string {
  if (!CLIENT_ID_PATTERN.test(value)) throw atlasError('INVALID_PATH_PARAMETER', 'clientId');
  return `mdb_sa_id_${value.slice('mdb_sa_id_'.length).toLowerCase()}`;
}

const accountNotFound = (clientId: string) =>
  atlasError('RESOURCE_NOT_FOUND', `Service Account with client ID ${clientId}`);

/**
 * The account behind `clientId` as the scope sees it: in the scope's organization and, for a
 * project scope, assigned to that project (unless `assigned` is false). Otherwise 404.
 */
export async function accountIn(
  ctx: DomainContext,
  access: ScopeAccess | null,
  clientId: string,
  assigned = true,
): Promise<ServiceAccount> {
  const sa = await repo.findServiceAccountByClientId(ctx.db, parseClientId(clientId));
  const project = access?.project;
  if (
    !sa ||
    (access && sa.orgId !== access.orgId) ||
    (project && assigned && !sa.projectAssignments.some((a) => a.projectId === project.id))
  ) {
    throw accountNotFound(clientId);
  }
  return sa;
}

/** The roles an account holds in the scope: its org roles, or its roles in the scope's project. */
export function rolesIn(sa: ServiceAccount, projectId: string | null): readonly string[] {
  if (!projectId) return sa.orgRoles;
  return sa.projectAssignments.find((a) => a.projectId === projectId)?.roles ?? [];
}

function validateOrgRoles(roles: readonly string[], orgId: string): string[] {
  if (roles.length === 0) throw atlasError('VALIDATION_ERROR', 'roles must contain at least one role');
  for (const role of roles) if (!isOrgRole(role)) throw atlasError('INVALID_ROLE_FOR_ORG', role, orgId);
  return [...new Set(roles)];
}

/** Atlas's project roles (v2 validates against Atlas's catalogue, never Cloud Manager's). */
function validateProjectRoles(roles: readonly string[], projectId: string, unique: boolean): string[] {
  if (roles.length === 0) throw atlasError('VALIDATION_ERROR', 'roles must contain at least one role');
  for (const role of roles) {
    if (!(ATLAS_PROJECT_ROLES as readonly string[]).includes(role))
      throw atlasError('INVALID_ROLE_FOR_GROUP', role, projectId);
  }
  const distinct = [...new Set(roles)];
  if (unique && distinct.length !== roles.length)
    throw atlasError('VALIDATION_ERROR', 'roles must not contain duplicates');
  return distinct;
}

export function listServiceAccountsIn(
  ctx: DomainContext,
  access: ScopeAccess,
  page: PageRequest,
): Promise<Page<ServiceAccount>> {
  return repo.listServiceAccounts(ctx.db, {
    orgId: access.orgId,
    projectId: access.project?.id,
    offset: (page.pageNum - 1) * page.itemsPerPage,
    limit: page.itemsPerPage,
  });
}

export interface NewServiceAccount {
  name: string;
  description: string;
  roles: string[];
  secretExpiresAfterHours: number;
}

/**
 * createOrgServiceAccount: the account with its org roles. createGroupServiceAccount: an
 * Organization Member of the project's organization holding `roles` in the project. One
 * transaction either way; the secret is in the answer only.
 */
export async function createServiceAccountIn(
  ctx: DomainContext,
  access: ScopeAccess,
  input: NewServiceAccount,
): Promise<{ serviceAccount: ServiceAccount; secret: CreatedSecret }> {
  const base = {
    orgId: access.orgId,
    name: input.name,
    description: input.description,
    secretExpiresAfterHours: input.secretExpiresAfterHours,
  };
  if (!access.project) return createServiceAccount(ctx, { ...base, orgRoles: input.roles });
  validateServiceAccountText('name', input.name);
  validateServiceAccountText('description', input.description);
  const roles = validateProjectRoles(input.roles, access.project.id, false);
  return createServiceAccount(ctx, {
    ...base,
    orgRoles: ['ORG_MEMBER'],
    projectAssignments: [{ projectId: access.project.id, roles }],
  });
}

export interface ServiceAccountChanges {
  name?: string;
  description?: string;
  /** Org roles in an org scope, the project's roles in a project scope; replaces them. */
  roles?: string[];
}

export async function updateServiceAccountIn(
  ctx: DomainContext,
  access: ScopeAccess,
  clientId: string,
  changes: ServiceAccountChanges,
): Promise<ServiceAccount> {
  return withTx(ctx, async (ctx) => {
    const sa = await accountIn(ctx, access, clientId);
    if (changes.name !== undefined) validateServiceAccountText('name', changes.name);
    if (changes.description !== undefined) validateServiceAccountText('description', changes.description);
    const project = access.project;
    const roles =
      changes.roles === undefined
        ? undefined
        : project
          ? validateProjectRoles(changes.roles, project.id, false)
          : validateOrgRoles(changes.roles, access.orgId);
    if (project && roles) await repo.setServiceAccountProjectRoles(ctx.db, sa.id, project.id, roles);
    const orgRoles = project ? undefined : roles;
    await repo.updateServiceAccount(ctx.db, sa.id, { name: changes.name, description: changes.description, orgRoles });
    return (await repo.findServiceAccountByClientId(ctx.db, sa.clientId)) as ServiceAccount;
  });
}

/**
 * deleteOrgServiceAccount deletes the account, its secrets, project roles and access list (its
 * tokens stop working at once: each request looks the account up). deleteGroupServiceAccount
 * only unassigns it from the project; it stays in the organization with working credentials.
 */
export async function deleteServiceAccountIn(
  ctx: DomainContext,
  access: ScopeAccess | null,
  clientId: string,
): Promise<void> {
  await withTx(ctx, async (ctx) => {
    const sa = await accountIn(ctx, access, clientId);
    if (access?.project) await repo.removeServiceAccountFromProject(ctx.db, sa.id, access.project.id);
    else await repo.deleteServiceAccount(ctx.db, sa.id);
  });
}

/** getOrgServiceAccountGroups: the account's project assignments, by project id. */
export async function projectsOf(
  ctx: DomainContext,
  access: ScopeAccess,
  clientId: string,
  page: PageRequest,
): Promise<Page<ServiceAccountProjectAssignment>> {
  const sa = await accountIn(ctx, access, clientId);
  const start = (page.pageNum - 1) * page.itemsPerPage;
  return { items: sa.projectAssignments.slice(start, start + page.itemsPerPage), total: sa.projectAssignments.length };
}

/** inviteGroupServiceAccount: assigns an account of the project's organization, or replaces its roles there. */
export async function assignServiceAccount(
  ctx: DomainContext,
  access: ScopeAccess,
  clientId: string,
  roles: string[],
): Promise<ServiceAccount> {
  const project = access.project;
  if (!project) throw new Error('assignServiceAccount needs a project scope');
  return withTx(ctx, async (ctx) => {
    const sa = await accountIn(ctx, access, clientId, false);
    await repo.setServiceAccountProjectRoles(ctx.db, sa.id, project.id, validateProjectRoles(roles, project.id, true));
    return (await repo.findServiceAccountByClientId(ctx.db, sa.clientId)) as ServiceAccount;
  });
}

/** Every service account (of one org): the operator's CLI. */
export function listAllServiceAccounts(ctx: DomainContext, orgId?: string): Promise<ServiceAccount[]> {
  return repo.listAllServiceAccounts(ctx.db, orgId);
}
