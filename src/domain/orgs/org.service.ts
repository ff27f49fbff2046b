import { atlasError } from '../../errors/atlas-error.ts';
import { wholeSeconds } from '../../lib/dates.ts';
import {
  findOrg,
  insertOrg,
  listOrgs,
  renameOrg,
  setOrgAccessListRequired,
  setOrgUsersApiShowsProjectInvitees,
} from '../../storage/repositories/orgs.repository.ts';
import type { DomainContext } from '../context.ts';
import type { Principal } from '../principal.ts';
import { requireOrgRole } from '../roles/permissions.ts';
import type { Org } from './org.ts';
import { validateName } from '../projects/names.ts';

export async function createOrg(ctx: DomainContext, name: string): Promise<Org> {
  validateName(name);
  const org: Org = { id: ctx.ids.next(), name, createdAt: wholeSeconds(ctx.clock.now()), apiAccessListRequired: false };
  await insertOrg(ctx.db, org);
  return org;
}

/** listOrgs: the organizations the caller belongs to (an API key belongs to exactly one). */
export async function listOrgsForPrincipal(
  ctx: DomainContext,
  principal: Principal,
  namePrefix?: string,
): Promise<Org[]> {
  const org = await findOrg(ctx.db, principal.orgId);
  if (!org) return [];
  if (namePrefix && !org.name.toLowerCase().startsWith(namePrefix.toLowerCase())) return [];
  return [org];
}

/** Every organization, for the operator's CLI. */
export function listAllOrgs(ctx: DomainContext): Promise<Org[]> {
  return listOrgs(ctx.db);
}

/** Looks an org up for a caller who needs `required` in it. Unknown → 404 ORG_NOT_FOUND. */
export async function getOrgFor(
  ctx: DomainContext,
  principal: Principal,
  orgId: string,
  required: 'ORG_MEMBER' | 'ORG_OWNER' | 'ORG_GROUP_CREATOR',
): Promise<Org> {
  const org = await findOrg(ctx.db, orgId);
  if (!org) throw atlasError('ORG_NOT_FOUND', orgId);
  requireOrgRole(principal, orgId, required);
  return org;
}

/** updateOrg: an Organization Owner renames the org (project and invitation views show the new name). */
export async function updateOrg(
  ctx: DomainContext,
  principal: Principal,
  orgId: string,
  changes: { name: string },
): Promise<Org> {
  const org = await getOrgFor(ctx, principal, orgId, 'ORG_OWNER');
  validateName(changes.name);
  await renameOrg(ctx.db, orgId, changes.name);
  return { ...org, name: changes.name };
}

/** The org setting `apiAccessListRequired` (operator CLI; Atlas sets it in the org's settings). */
export async function setApiAccessListRequired(ctx: DomainContext, orgId: string, required: boolean): Promise<void> {
  if (!(await setOrgAccessListRequired(ctx.db, orgId, required))) throw atlasError('ORG_NOT_FOUND', orgId);
}

/** The org setting that lifts Atlas's users-API blind spot for deprecated project invitations. */
export async function setUsersApiShowsProjectInvitees(ctx: DomainContext, orgId: string, show: boolean): Promise<void> {
  if (!(await setOrgUsersApiShowsProjectInvitees(ctx.db, orgId, show))) throw atlasError('ORG_NOT_FOUND', orgId);
}
