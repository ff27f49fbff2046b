import { atlasError } from '../../errors/atlas-error.ts';
import { wholeSeconds } from '../../lib/dates.ts';
import * as repo from '../../storage/repositories/api-keys.repository.ts';
import { findOrg } from '../../storage/repositories/orgs.repository.ts';
import { findProject } from '../../storage/repositories/projects.repository.ts';
import { cached, type DomainContext } from '../context.ts';
import type { RandomSource } from '../../lib/random.ts';
import type { Principal } from '../principal.ts';
import { isOrgRole, isProjectRole } from '../roles/roles.ts';
import type { ApiKey, ApiKeyProjectAssignment } from './api-key.ts';

/** Atlas public keys: 8 lowercase letters ("nmtxqlkl"). */
function newPublicKey(random: RandomSource): string {
  let s = '';
  for (let i = 0; i < 8; i++) s += String.fromCharCode(97 + random.int(26));
  return s;
}

export interface CreatedApiKey {
  readonly apiKey: ApiKey;
  /** Shown once, at creation. */
  readonly privateKey: string;
}

export async function createApiKey(
  ctx: DomainContext,
  input: { orgId: string; description: string; orgRoles: string[]; projectAssignments?: ApiKeyProjectAssignment[] },
): Promise<CreatedApiKey> {
  if (!(await findOrg(ctx.db, input.orgId))) throw atlasError('ORG_NOT_FOUND', input.orgId);
  if (input.orgRoles.length === 0)
    throw atlasError('VALIDATION_ERROR', 'an API key needs at least one organization role');
  for (const role of input.orgRoles) if (!isOrgRole(role)) throw atlasError('INVALID_ROLE_FOR_ORG', role, input.orgId);
  for (const a of input.projectAssignments ?? []) {
    const project = await findProject(ctx.db, a.projectId);
    if (!project || project.orgId !== input.orgId) throw atlasError('GROUP_NOT_FOUND', a.projectId);
    for (const role of a.roles) if (!isProjectRole(role)) throw atlasError('INVALID_ROLE_FOR_GROUP', role, a.projectId);
  }
  const privateKey = ctx.random.uuid();
  const apiKey = {
    id: ctx.ids.next(),
    orgId: input.orgId,
    publicKey: newPublicKey(ctx.random),
    privateKeyTail: privateKey.slice(-12),
    privateKeySealed: ctx.secrets.seal(privateKey),
    description: input.description,
    orgRoles: [...new Set(input.orgRoles)],
    projectAssignments: input.projectAssignments ?? [],
    createdAt: wholeSeconds(ctx.clock.now()),
  };
  await repo.insertApiKey(ctx.db, apiKey);
  const { privateKeySealed: _, ...visible } = apiKey;
  return { apiKey: visible, privateKey };
}

export async function assignApiKeyToProject(
  ctx: DomainContext,
  publicKey: string,
  projectId: string,
  roles: string[],
): Promise<void> {
  const key = await repo.findApiKeyByPublicKey(ctx.db, publicKey);
  if (!key) throw atlasError('RESOURCE_NOT_FOUND', `API key ${publicKey}`);
  const project = await findProject(ctx.db, projectId);
  if (!project || project.orgId !== key.orgId) throw atlasError('GROUP_NOT_FOUND', projectId);
  for (const role of roles) if (!isProjectRole(role)) throw atlasError('INVALID_ROLE_FOR_GROUP', role, projectId);
  await repo.setApiKeyProjectRoles(ctx.db, key.id, projectId, roles);
}

export async function listApiKeys(ctx: DomainContext, orgId?: string): Promise<ApiKey[]> {
  return (await repo.listApiKeys(ctx.db, orgId)).map(({ privateKeySealed: _, ...k }) => k);
}

/** For Digest: the private key behind a public key and who that key acts as, or null. */
export async function credentialFor(
  ctx: DomainContext,
  publicKey: string,
): Promise<{ privateKey: string; principal: Principal } | null> {
  return cached(ctx, `api-key:${publicKey}`, () => loadCredential(ctx, publicKey));
}

async function loadCredential(
  ctx: DomainContext,
  publicKey: string,
): Promise<{ privateKey: string; principal: Principal } | null> {
  const key = await repo.findApiKeyByPublicKey(ctx.db, publicKey);
  if (!key) return null;
  return {
    privateKey: ctx.secrets.open(key.privateKeySealed),
    principal: {
      kind: 'apiKey',
      id: key.id,
      username: key.publicKey,
      orgId: key.orgId,
      orgRoles: new Set(key.orgRoles),
      projectRoles: new Map(key.projectAssignments.map((a) => [a.projectId, new Set(a.roles)])),
    },
  };
}

export async function privateKeyFor(ctx: DomainContext, publicKey: string): Promise<string | null> {
  return (await credentialFor(ctx, publicKey))?.privateKey ?? null;
}

export async function principalForPublicKey(ctx: DomainContext, publicKey: string): Promise<Principal | null> {
  return (await credentialFor(ctx, publicKey))?.principal ?? null;
}
