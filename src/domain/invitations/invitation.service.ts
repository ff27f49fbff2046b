import type { Kysely } from 'kysely';
import { atlasError } from '../../errors/atlas-error.ts';
import { wholeSeconds } from '../../lib/dates.ts';
import * as repo from '../../storage/repositories/invitations.repository.ts';
import { lockOrg } from '../../storage/repositories/org-directory.repository.ts';
import { findOrgMembership, upsertProjectMembership } from '../../storage/repositories/memberships.repository.ts';
import { ensureUser, findUserByUsername } from '../../storage/repositories/users.repository.ts';
import type { Database } from '../../storage/schema.ts';
import type { Actor } from '../actor.ts';
import { type DomainContext, type TxContext, withTx } from '../context.ts';
import { recordEvent } from '../events/event.service.ts';
import { queueInvitationMail } from '../mail/invitation-mail.ts';
import type { Principal } from '../principal.ts';
import { getProjectFor } from '../projects/project.service.ts';
import type { Project } from '../projects/project.ts';
import type { RoleCatalogue } from '../roles/roles.ts';
import { INVITATION_LIFETIME_MS, type Invitation, type ProjectInvitation } from './invitation.ts';
import { validateProjectRoles, validateUsername } from './invitation.rules.ts';
import { newInvitationToken } from './invitation-tokens.ts';
import { ensureOrgInvitation } from './org-invitation.service.ts';

/**
 * The rules of project invitations, shared by Atlas v2 and Cloud Manager v1.0. The surfaces differ
 * only in the role they require of the caller and the role catalogue they validate against.
 */
export interface InvitationSurface {
  readonly required: 'GROUP_OWNER' | 'GROUP_USER_ADMIN';
  readonly catalogue: RoleCatalogue;
}

const asProject = (inv: Invitation | undefined): ProjectInvitation | undefined =>
  inv && inv.kind === 'project' && inv.status === 'PENDING' ? (inv as ProjectInvitation) : undefined;

export async function listGroupInvites(
  ctx: DomainContext,
  principal: Principal,
  surface: InvitationSurface,
  projectId: string,
  username?: string,
): Promise<ProjectInvitation[]> {
  await getProjectFor(ctx, principal, projectId, surface.required);
  return (await repo.listInvitations(ctx.db, {
    kind: 'project',
    scopeId: projectId,
    username: username || undefined,
  })) as ProjectInvitation[];
}

async function findProjectInvitation(
  db: Kysely<Database>,
  projectId: string,
  invitationId: string,
): Promise<ProjectInvitation> {
  const inv = asProject(await repo.findInvitation(db, invitationId));
  if (!inv || inv.projectId !== projectId) throw atlasError('INVALID_INVITATION_ID', invitationId);
  return inv;
}

export async function getGroupInvite(
  ctx: DomainContext,
  principal: Principal,
  surface: InvitationSurface,
  projectId: string,
  invitationId: string,
): Promise<ProjectInvitation> {
  await getProjectFor(ctx, principal, projectId, surface.required);
  return findProjectInvitation(ctx.db, projectId, invitationId);
}

/**
 * createGroupInvite.
 * - An active member of the project's organization is given the roles in the project at once and
 *   gets no invitation (Atlas's rule since September 2023); the answer describes an invitation
 *   that is already accepted, so GET by its id is 404, as for any accepted invitation.
 * - Anyone else gets a pending project invitation (a username that has one already gets it re-sent:
 *   same id, new roles, fresh 30 days), an organization invitation made alongside when they have
 *   none, the events INVITED_TO_GROUP (and INVITED_TO_ORG) and an email with the accept link, all
 *   in one transaction (docs/adr/0004, 0007).
 */
export async function createGroupInvite(
  ctx: DomainContext,
  actor: Actor,
  surface: InvitationSurface,
  projectId: string,
  input: { username: string; roles: readonly string[] },
): Promise<ProjectInvitation> {
  return withTx(ctx, async (ctx) => {
    // Who may act comes before what they sent: a caller without the role learns nothing from validation.
    const project = await getProjectFor(ctx, actor.principal, projectId, surface.required);
    validateUsername(input.username);
    validateProjectRoles(input.roles, surface.catalogue, projectId);
    await lockOrg(ctx.db, project.orgId);
    const now = wholeSeconds(ctx.clock.now());
    const existing = await findUserByUsername(ctx.db, input.username);
    if (existing && (await findOrgMembership(ctx.db, project.orgId, existing.id))) {
      return addMemberToProject(ctx, actor, project, existing, input.roles, now);
    }
    const user = existing ?? (await ensureUser(ctx.db, ctx.ids.next(), input.username, now));
    const before = await repo.findInvitationByUsername(ctx.db, 'project', projectId, input.username);
    const { token, hash } = newInvitationToken(ctx.random);
    const expiresAt = new Date(now.getTime() + INVITATION_LIFETIME_MS);
    await repo.upsertInvitation(
      ctx.db,
      {
        id: ctx.ids.next(),
        kind: 'project',
        orgId: project.orgId,
        orgName: '',
        projectId,
        projectName: project.name,
        username: input.username,
        roles: [...input.roles],
        inviterUsername: actor.principal.username,
        createdAt: now,
        expiresAt,
        userId: user.id,
        status: 'PENDING',
        source: 'invites',
        teamIds: [],
        groupRoleAssignments: [],
      },
      hash,
    );
    await recordEvent(ctx.db, ctx, {
      type: 'INVITED_TO_GROUP',
      orgId: project.orgId,
      projectId,
      actor,
      targetUsername: input.username,
    });
    await ensureOrgInvitation(ctx, actor, { orgId: project.orgId, user, now });
    await queueInvitationMail(ctx.db, ctx, {
      to: input.username,
      inviter: actor.principal.username,
      locale: actor.locale,
      target: project.name,
      targetKind: 'project',
      expiresAt,
      token,
      resend: before?.status === 'PENDING',
    });
    const stored = asProject(await repo.findInvitationByUsername(ctx.db, 'project', projectId, input.username));
    if (!stored) throw new Error('invitation vanished inside its own transaction');
    return stored;
  });
}

async function addMemberToProject(
  ctx: TxContext,
  actor: Actor,
  project: Project,
  user: { id: string; username: string },
  roles: readonly string[],
  now: Date,
): Promise<ProjectInvitation> {
  const joined = await upsertProjectMembership(ctx.db, {
    projectId: project.id,
    userId: user.id,
    roles: [...roles],
    joinedAt: now,
  });
  await recordEvent(ctx.db, ctx, {
    type: joined ? 'JOINED_GROUP' : 'USER_ROLES_CHANGED_AUDIT',
    orgId: project.orgId,
    projectId: project.id,
    actor,
    targetUsername: user.username,
    userId: user.id,
    username: user.username,
  });
  return {
    id: ctx.ids.next(),
    kind: 'project',
    orgId: project.orgId,
    orgName: '',
    projectId: project.id,
    projectName: project.name,
    username: user.username,
    roles: [...roles],
    inviterUsername: actor.principal.username,
    createdAt: now,
    expiresAt: new Date(now.getTime() + INVITATION_LIFETIME_MS),
    userId: user.id,
    status: 'PENDING',
    source: 'invites',
    teamIds: [],
    groupRoleAssignments: [],
  };
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
    const current = asProject(await repo.findInvitationByUsername(trx, 'project', projectId, input.username));
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
  return replaceRoles(ctx, principal, surface, projectId, input.roles, (trx) =>
    findProjectInvitation(trx, projectId, invitationId),
  );
}

/** Both PATCHes: check the caller, find the invitation, replace its roles (no merge), in one transaction. */
async function replaceRoles(
  ctx: DomainContext,
  principal: Principal,
  surface: InvitationSurface,
  projectId: string,
  roles: readonly string[],
  find: (trx: TxContext['db']) => Promise<ProjectInvitation>,
): Promise<ProjectInvitation> {
  return withTx(ctx, async (ctx) => {
    await getProjectFor(ctx, principal, projectId, surface.required);
    validateProjectRoles(roles, surface.catalogue, projectId);
    const current = await find(ctx.db);
    // Accepted or deleted since we read it: the same answer as if we had been a moment later.
    if (!(await repo.updatePendingInvitation(ctx.db, current.id, { roles })))
      throw atlasError('INVALID_INVITATION_ID', current.id);
    return { ...current, roles: [...roles] };
  });
}

export async function deleteGroupInvite(
  ctx: DomainContext,
  actor: Actor,
  surface: InvitationSurface,
  projectId: string,
  invitationId: string,
): Promise<void> {
  await withTx(ctx, async (ctx) => {
    const project = await getProjectFor(ctx, actor.principal, projectId, surface.required);
    const inv = await repo.findInvitation(ctx.db, invitationId);
    if (inv?.kind === 'org' && inv.orgId === project.orgId) throw atlasError('CANNOT_DELETE_ORG_INVITATION');
    if (
      !inv ||
      inv.kind !== 'project' ||
      inv.projectId !== projectId ||
      !(await repo.deletePendingInvitation(ctx.db, invitationId))
    ) {
      throw atlasError('INVALID_INVITATION_ID_DELETE', invitationId);
    }
    await recordEvent(ctx.db, ctx, {
      type: 'GROUP_INVITATION_DELETED',
      orgId: project.orgId,
      projectId,
      actor,
      targetUsername: inv.username,
    });
  });
}
