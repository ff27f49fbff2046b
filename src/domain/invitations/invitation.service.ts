import { atlasError } from '../../errors/atlas-error.ts';
import { wholeSeconds } from '../../lib/dates.ts';
import * as repo from '../../storage/repositories/invitations.repository.ts';
import type { DomainContext } from '../context.ts';
import type { Principal } from '../principal.ts';
import { getProjectFor } from '../projects/project.service.ts';
import type { RoleCatalogue } from '../roles/roles.ts';
import { INVITATION_LIFETIME_MS, type ProjectInvitation } from './invitation.ts';
import { validateProjectRoles, validateUsername } from './invitation.rules.ts';

/**
 * The rules of project invitations, shared by Atlas v2 and Cloud Manager v1.0. The surfaces differ
 * only in the role they require of the caller and the role catalogue they validate against.
 */
export interface InvitationSurface {
  readonly required: 'GROUP_OWNER' | 'GROUP_USER_ADMIN';
  readonly catalogue: RoleCatalogue;
}

export async function listGroupInvites(
  ctx: DomainContext,
  principal: Principal,
  surface: InvitationSurface,
  projectId: string,
  username?: string,
): Promise<ProjectInvitation[]> {
  await getProjectFor(ctx, principal, projectId, surface.required);
  return repo.listProjectInvitations(ctx.db, projectId, username || undefined);
}

export async function getGroupInvite(
  ctx: DomainContext,
  principal: Principal,
  surface: InvitationSurface,
  projectId: string,
  invitationId: string,
): Promise<ProjectInvitation> {
  await getProjectFor(ctx, principal, projectId, surface.required);
  const invitation = await repo.findProjectInvitation(ctx.db, projectId, invitationId);
  if (!invitation) throw atlasError('INVALID_INVITATION_ID', invitationId);
  return invitation;
}

/**
 * createGroupInvite. A username that already has a pending invitation to this project gets that
 * invitation re-sent: same id, the new roles, a fresh 30 days (docs/adr/0004).
 */
export async function createGroupInvite(
  ctx: DomainContext,
  principal: Principal,
  surface: InvitationSurface,
  projectId: string,
  input: { username: string; roles: readonly string[] },
): Promise<ProjectInvitation> {
  return ctx.db.transaction().execute(async (trx) => {
    // Who may act comes before what they sent: a caller without the role learns nothing from validation.
    const project = await getProjectFor({ ...ctx, db: trx }, principal, projectId, surface.required);
    validateUsername(input.username);
    validateProjectRoles(input.roles, surface.catalogue, projectId);
    const createdAt = wholeSeconds(ctx.clock.now());
    await repo.upsertProjectInvitation(trx, {
      id: ctx.ids.next(),
      orgId: project.orgId,
      projectId,
      projectName: project.name,
      username: input.username,
      roles: [...input.roles],
      inviterUsername: principal.username,
      createdAt,
      expiresAt: new Date(createdAt.getTime() + INVITATION_LIFETIME_MS),
    });
    const stored = await repo.findProjectInvitationByUsername(trx, projectId, input.username);
    if (!stored) throw new Error('invitation vanished inside its own transaction');
    return stored;
  });
}

/** updateGroupInvites: finds the invitation by username and replaces its roles. */
export async function updateGroupInvites(
  ctx: DomainContext,
  principal: Principal,
  surface: InvitationSurface,
  projectId: string,
  input: { username: string; roles: readonly string[] },
): Promise<ProjectInvitation> {
  return replaceRoles(ctx, principal, surface, projectId, input.roles, async (trx) => {
    validateUsername(input.username);
    const current = await repo.findProjectInvitationByUsername(trx, projectId, input.username);
    if (!current) throw atlasError('RESOURCE_NOT_FOUND', `invitation for ${input.username}`);
    return current;
  });
}

/** updateGroupInviteById: replaces the roles; createdAt and expiresAt do not move. */
export async function updateGroupInviteById(
  ctx: DomainContext,
  principal: Principal,
  surface: InvitationSurface,
  projectId: string,
  invitationId: string,
  input: { roles: readonly string[] },
): Promise<ProjectInvitation> {
  return replaceRoles(ctx, principal, surface, projectId, input.roles, async (trx) => {
    const current = await repo.findProjectInvitation(trx, projectId, invitationId);
    if (!current) throw atlasError('INVALID_INVITATION_ID', invitationId);
    return current;
  });
}

/** Both PATCHes: check the caller, find the invitation, replace its roles (no merge), in one transaction. */
async function replaceRoles(
  ctx: DomainContext,
  principal: Principal,
  surface: InvitationSurface,
  projectId: string,
  roles: readonly string[],
  find: (trx: DomainContext['db']) => Promise<ProjectInvitation>,
): Promise<ProjectInvitation> {
  return ctx.db.transaction().execute(async (trx) => {
    await getProjectFor({ ...ctx, db: trx }, principal, projectId, surface.required);
    validateProjectRoles(roles, surface.catalogue, projectId);
    const current = await find(trx);
    await repo.setInvitationRoles(trx, current.id, roles);
    return { ...current, roles: [...roles] };
  });
}

export async function deleteGroupInvite(
  ctx: DomainContext,
  principal: Principal,
  surface: InvitationSurface,
  projectId: string,
  invitationId: string,
): Promise<void> {
  await getProjectFor(ctx, principal, projectId, surface.required);
  if (!(await repo.deleteProjectInvitation(ctx.db, projectId, invitationId))) {
    throw atlasError('INVALID_INVITATION_ID_DELETE', invitationId);
  }
}
