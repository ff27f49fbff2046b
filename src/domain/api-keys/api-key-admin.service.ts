import { atlasError } from '../../errors/atlas-error.ts';
import * as accessLists from '../../storage/repositories/access-lists.repository.ts';
import * as repo from '../../storage/repositories/api-keys.repository.ts';
import { findOrg } from '../../storage/repositories/orgs.repository.ts';
import { findProject } from '../../storage/repositories/projects.repository.ts';
import { type DomainContext, withTx } from '../context.ts';
import type { Principal } from '../principal.ts';
import type { Page, PageRequest } from '../projects/project.service.ts';
import type { Project } from '../projects/project.ts';
import {
  PROJECT_ACCESS_MANAGER,
  type ProjectRequirement,
  requireOrgRole,
  requireProjectRole,
} from '../roles/permissions.ts';
import { isOrgRole, projectRolesFor } from '../roles/roles.ts';
import { type CreatedApiKey, createApiKey } from './api-key.service.ts';
import type { ApiKey } from './api-key.ts';

/**
 * The Atlas v2 "Programmatic API Keys" operations on organizations and projects. `principal` is
 * null for the operator's CLI, which acts without a credential. Who may act is checked before what
 * they sent; every write is one transaction.
 */

const DESC_MAX = 250;

export interface ApiKeyInput {
  desc: string;
  roles: readonly string[];
}

export interface ApiKeyChanges {
  desc?: string;
  roles?: readonly string[];
}

const visible = ({ privateKeySealed: _, ...key }: repo.StoredApiKey): ApiKey => key;

function validateDescription(desc: string): void {
  if (desc.trim() === '') throw atlasError('API_KEY_REQUIRES_DESCRIPTION');
  if (desc.length > DESC_MAX) throw atlasError('INVALID_API_KEY_DESC', DESC_MAX);
}

/** Organization roles, deduplicated in the order given: unknown or project roles → INVALID_ROLE_FOR_ORG. */
function validateOrgRoles(roles: readonly string[], orgId: string): string[] {
  if (roles.length === 0) throw atlasError('MISSING_API_KEY_ROLES');
  for (const role of roles) if (!isOrgRole(role)) throw atlasError('INVALID_ROLE_FOR_ORG', role, orgId);
  return [...new Set(roles)];
}

/** Atlas project roles (the v2 catalogue), deduplicated: anything else → INVALID_ROLE_FOR_GROUP. */
function validateProjectRoles(roles: readonly string[], groupId: string): string[] {
  if (roles.length === 0) throw atlasError('MISSING_API_KEY_ROLES');
  const known = projectRolesFor('atlas');
  for (const role of roles) if (!known.includes(role)) throw atlasError('INVALID_ROLE_FOR_GROUP', role, groupId);
  return [...new Set(roles)];
}

async function requireOrg(
  ctx: DomainContext,
  principal: Principal | null,
  orgId: string,
  required: 'ORG_MEMBER' | 'ORG_OWNER',
) {
  if (!(await findOrg(ctx.db, orgId))) throw atlasError('ORG_NOT_FOUND', orgId);
  if (principal) requireOrgRole(principal, orgId, required);
}

async function requireProject(
  ctx: DomainContext,
  principal: Principal | null,
  groupId: string,
  required: ProjectRequirement,
): Promise<Project> {
  const project = await findProject(ctx.db, groupId);
  if (!project) throw atlasError('GROUP_NOT_FOUND', groupId);
  if (principal) requireProjectRole(principal, project, required);
  return project;
}

/** The key if it belongs to the organization; otherwise Atlas's 400 API_KEY_NOT_FOUND. */
export async function keyInOrg(db: DomainContext['db'], orgId: string, apiKeyId: string): Promise<repo.StoredApiKey> {
  const key = await repo.findApiKeyById(db, apiKeyId);
  if (!key || key.orgId !== orgId) throw atlasError('API_KEY_NOT_FOUND', apiKeyId);
  return key;
}

async function reload(db: DomainContext['db'], apiKeyId: string): Promise<ApiKey> {
  const key = await repo.findApiKeyById(db, apiKeyId);
  if (!key) throw new Error('API key vanished inside its own transaction');
  return visible(key);
}

const offsetOf = (page: PageRequest) => ({ offset: (page.pageNum - 1) * page.itemsPerPage, limit: page.itemsPerPage });

// ---- Organization keys -------------------------------------------------------------------------

/** listOrgApiKeys: Organization Member. */
export async function listOrgApiKeys(
  ctx: DomainContext,
  principal: Principal | null,
  orgId: string,
  page: PageRequest,
): Promise<Page<ApiKey>> {
  await requireOrg(ctx, principal, orgId, 'ORG_MEMBER');
  const result = await repo.listApiKeysPage(ctx.db, { orgId, ...offsetOf(page) });
  return { items: result.items.map(visible), total: result.total };
}

/** getOrgApiKey: Organization Member. */
export async function getOrgApiKey(
  ctx: DomainContext,
  principal: Principal | null,
  orgId: string,
  apiKeyId: string,
): Promise<ApiKey> {
  await requireOrg(ctx, principal, orgId, 'ORG_MEMBER');
  return visible(await keyInOrg(ctx.db, orgId, apiKeyId));
}

/** createOrgApiKey: Organization Owner. The private key is in the answer and nowhere else. */
export async function createOrgApiKey(
  ctx: DomainContext,
  principal: Principal | null,
  orgId: string,
  input: ApiKeyInput,
): Promise<CreatedApiKey> {
  await requireOrg(ctx, principal, orgId, 'ORG_OWNER');
  validateDescription(input.desc);
  const orgRoles = validateOrgRoles(input.roles, orgId);
  return createApiKey(ctx, { orgId, description: input.desc, orgRoles });
}

/** updateOrgApiKey: Organization Owner. `roles` replaces the organization roles; assignments stay. */
export async function updateOrgApiKey(
  ctx: DomainContext,
  principal: Principal | null,
  orgId: string,
  apiKeyId: string,
  changes: ApiKeyChanges,
): Promise<ApiKey> {
  await requireOrg(ctx, principal, orgId, 'ORG_OWNER');
  return withTx(ctx, async (ctx) => {
    await keyInOrg(ctx.db, orgId, apiKeyId);
    if (changes.desc === undefined && changes.roles === undefined)
      throw atlasError('MISSING_ONE_OF_ATTRIBUTES', 'desc', 'roles');
    if (changes.desc !== undefined) validateDescription(changes.desc);
    const orgRoles = changes.roles === undefined ? undefined : validateOrgRoles(changes.roles, orgId);
    await repo.updateApiKey(ctx.db, apiKeyId, { description: changes.desc, orgRoles });
    return reload(ctx.db, apiKeyId);
  });
}

/**
 * deleteOrgApiKey: Organization Owner. The key, its project assignments and its access list go
 * together. A key may delete itself (Atlas publishes no rule against it).
 */
export async function deleteOrgApiKey(
  ctx: DomainContext,
  principal: Principal | null,
  orgId: string,
  apiKeyId: string,
): Promise<void> {
  await requireOrg(ctx, principal, orgId, 'ORG_OWNER');
  await withTx(ctx, async (ctx) => {
    await keyInOrg(ctx.db, orgId, apiKeyId);
    await accessLists.deleteAccessListOf(ctx.db, { kind: 'apiKey', id: apiKeyId });
    await repo.deleteApiKey(ctx.db, apiKeyId);
  });
}

// ---- Project assignments -----------------------------------------------------------------------

/** listGroupApiKeys: Project Read Only. Only the keys explicitly assigned to the project. */
export async function listGroupApiKeys(
  ctx: DomainContext,
  principal: Principal | null,
  groupId: string,
  page: PageRequest,
): Promise<Page<ApiKey>> {
  const project = await requireProject(ctx, principal, groupId, 'GROUP_READ_ONLY');
  const result = await repo.listApiKeysPage(ctx.db, { orgId: project.orgId, projectId: groupId, ...offsetOf(page) });
  return { items: result.items.map(visible), total: result.total };
}

/** createGroupApiKey: Project Access Manager. An org key with ORG_MEMBER, assigned here. */
export async function createGroupApiKey(
  ctx: DomainContext,
  principal: Principal | null,
  groupId: string,
  input: ApiKeyInput,
): Promise<CreatedApiKey> {
  const project = await requireProject(ctx, principal, groupId, PROJECT_ACCESS_MANAGER);
  validateDescription(input.desc);
  const roles = validateProjectRoles(input.roles, groupId);
  return withTx(ctx, (ctx) =>
    createApiKey(ctx, {
      orgId: project.orgId,
      description: input.desc,
      orgRoles: ['ORG_MEMBER'],
      projectAssignments: [{ projectId: groupId, roles }],
    }),
  );
}

/** addGroupApiKey: Project Owner. Assigning a key already in the project replaces its roles there. */
export async function addGroupApiKey(
  ctx: DomainContext,
  principal: Principal | null,
  groupId: string,
  apiKeyId: string,
  roles: readonly string[],
): Promise<void> {
  const project = await requireProject(ctx, principal, groupId, 'GROUP_OWNER');
  await withTx(ctx, async (ctx) => {
    await keyInOrg(ctx.db, project.orgId, apiKeyId);
    await repo.setApiKeyProjectRoles(ctx.db, apiKeyId, groupId, validateProjectRoles(roles, groupId));
  });
}

/**
 * updateGroupApiKeyRoles: Project Access Manager. `roles` replaces the key's
 * roles in this project (assigning it when it was not: the Atlas CLI's `projects apiKeys assign`
 * and CloudFormation assign keys this way); `desc` renames the key.
 */
export async function updateGroupApiKeyRoles(
  ctx: DomainContext,
  principal: Principal | null,
  groupId: string,
  apiKeyId: string,
  changes: ApiKeyChanges,
): Promise<ApiKey> {
  const project = await requireProject(ctx, principal, groupId, PROJECT_ACCESS_MANAGER);
  return withTx(ctx, async (ctx) => {
    const key = await keyInOrg(ctx.db, project.orgId, apiKeyId);
    if (changes.desc === undefined && changes.roles === undefined)
      throw atlasError('MISSING_ONE_OF_ATTRIBUTES', 'desc', 'roles');
    if (changes.desc !== undefined) validateDescription(changes.desc);
    if (changes.roles === undefined && !key.projectAssignments.some((a) => a.projectId === groupId)) {
      throw atlasError('USER_NOT_IN_GROUP', apiKeyId, groupId);
    }
    if (changes.roles !== undefined)
      await repo.setApiKeyProjectRoles(ctx.db, apiKeyId, groupId, validateProjectRoles(changes.roles, groupId));
    await repo.updateApiKey(ctx.db, apiKeyId, { description: changes.desc });
    return reload(ctx.db, apiKeyId);
  });
}

/** removeGroupApiKey: Project Access Manager. The key stays in the organization. */
export async function removeGroupApiKey(
  ctx: DomainContext,
  principal: Principal | null,
  groupId: string,
  apiKeyId: string,
): Promise<void> {
  const project = await requireProject(ctx, principal, groupId, PROJECT_ACCESS_MANAGER);
  await withTx(ctx, async (ctx) => {
    await keyInOrg(ctx.db, project.orgId, apiKeyId);
    if (!(await repo.deleteApiKeyProjectRoles(ctx.db, apiKeyId, groupId)))
      throw atlasError('USER_NOT_IN_GROUP', apiKeyId, groupId);
  });
}

/** For the CLI, which names keys by public key: the key's id and organization, or API_KEY_NOT_FOUND. */
export async function apiKeyByPublicKey(ctx: DomainContext, publicKey: string): Promise<ApiKey> {
  const key = await repo.findApiKeyByPublicKey(ctx.db, publicKey);
  if (!key) throw atlasError('API_KEY_NOT_FOUND', publicKey);
  return visible(key);
}
