import type { Kysely } from 'kysely';
import { atlasError } from '../../errors/atlas-error.ts';
import { wholeSeconds } from '../../lib/dates.ts';
import * as invitationsRepo from '../../storage/repositories/invitations.repository.ts';
import {
  removeOrgMembership,
  removeProjectMembership,
  setOrgRoles,
  upsertProjectMembership,
} from '../../storage/repositories/memberships.repository.ts';
import {
  countOrgMembersWithRole,
  deleteOrgInvitationsFor,
  lockOrg,
  setOrgTeamIds,
} from '../../storage/repositories/org-directory.repository.ts';
import { findUser } from '../../storage/repositories/users.repository.ts';
import type { Database } from '../../storage/schema.ts';
import type { Actor } from '../actor.ts';
import { type DomainContext, type TxContext, withTx } from '../context.ts';
import { recordEvent } from '../events/event.service.ts';
import type { GroupRoleAssignment } from '../invitations/invitation.ts';
import { createOrgInvite, validateOrgInviteInput } from '../invitations/org-invitation.service.ts';
import { getOrgFor } from '../orgs/org.service.ts';
import type { Principal } from '../principal.ts';
import { isOrgRole } from '../roles/roles.ts';
import { findOrgUser, notInOrg, pageOrgUsers } from './directory.ts';
import type { OrgMembershipStatus, OrgUser, UserListQuery, UserPage } from './org-user.ts';

/**
 * The organization half of the MongoDB Cloud Users API (listOrgUsers … removeOrgUserRole).
 * Active users are org_memberships; everyone else is their organization invitation (see
 * directory.ts). Changes to members write their audit events in the same transaction.
 */

type Db = Kysely<Database>;

const sameRoles = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((r) => b.includes(r));

/** Resolves a user id within the org, or the 404 Atlas answers. */
async function orgUser(
  db: Db,
  orgId: string,
  userId: string,
  now: Date,
  statuses?: readonly OrgMembershipStatus[],
): Promise<OrgUser> {
  const found = await findOrgUser(db, orgId, userId, now);
  if (!found || (statuses && !statuses.includes(found.status))) return notInOrg(db, userId, orgId);
  return found;
}

/** Human Organization Owners: an organization that has one must keep one. */
async function ownerCount(db: Db, orgId: string): Promise<number> {
  return countOrgMembersWithRole(db, orgId, 'ORG_OWNER');
}

/** Demoting the last human Organization Owner: 403 CANNOT_DEMOTE_LAST_ORG_OWNER. */
async function guardDemotion(
  db: Db,
  orgId: string,
  target: OrgUser,
  newRoles: readonly string[],
  now: Date,
): Promise<void> {
  if (target.status !== 'ACTIVE' || !target.orgRoles.includes('ORG_OWNER') || newRoles.includes('ORG_OWNER')) return;
  if ((await ownerCount(db, orgId)) <= 1) throw atlasError('CANNOT_DEMOTE_LAST_ORG_OWNER');
}

/** What a changed user looks like afterwards (read back inside the transaction). */
async function reread(db: Db, orgId: string, userId: string, now: Date): Promise<OrgUser> {
  return orgUser(db, orgId, userId, now);
}

/** Mutations see ACTIVE users and unexpired PENDING ones; expired and declined invitations are only listed or removed. */
const CHANGEABLE: readonly OrgMembershipStatus[] = ['ACTIVE', 'PENDING'];

export async function listOrgUsers(
  ctx: DomainContext,
  principal: Principal,
  orgId: string,
  q: UserListQuery,
): Promise<UserPage<OrgUser>> {
  await getOrgFor(ctx, principal, orgId, 'ORG_MEMBER');
  return pageOrgUsers(ctx.db, orgId, q, ctx.clock.now());
}

export async function getOrgUser(
  ctx: DomainContext,
  principal: Principal,
  orgId: string,
  userId: string,
  statuses: readonly OrgMembershipStatus[],
): Promise<OrgUser> {
  await getOrgFor(ctx, principal, orgId, 'ORG_MEMBER');
  return orgUser(ctx.db, orgId, userId, ctx.clock.now(), statuses);
}

export interface OrgUserInput {
  readonly username: string;
  readonly orgRoles: readonly string[];
  readonly groupRoleAssignments?: readonly GroupRoleAssignment[];
  readonly teamIds?: readonly string[];
}

/**
 * createOrgUser: an organization invitation (source `users`) made by createOrgInvite, which
 * answers 409 USER_ALREADY_EXISTS for an ACTIVE or PENDING user and replaces an expired or
 * declined invitation. The answer is the PENDING user; its id is the user's, not the invitation's.
 */
export async function createOrgUser(
  ctx: DomainContext,
  actor: Actor,
  orgId: string,
  input: OrgUserInput,
): Promise<OrgUser> {
  const inv = await createOrgInvite(
    ctx,
    actor,
    orgId,
    {
      username: input.username,
      roles: input.orgRoles,
      teamIds: input.teamIds ?? [],
      groupRoleAssignments: input.groupRoleAssignments ?? [],
    },
    'users',
  );
  const user = inv.userId ? await findUser(ctx.db, inv.userId) : undefined;
  if (!user) throw new Error('invited user vanished');
  return {
    user,
    status: 'PENDING',
    orgRoles: inv.roles,
    teamIds: inv.teamIds,
    groupRoleAssignments: inv.groupRoleAssignments,
    invitation: {
      id: inv.id,
      createdAt: inv.createdAt,
      expiresAt: inv.expiresAt,
      inviterUsername: inv.inviterUsername,
    },
  };
}

export interface OrgUserChanges {
  readonly orgRoles?: readonly string[];
  readonly groupRoleAssignments?: readonly GroupRoleAssignment[];
  readonly teamIds?: readonly string[];
}

/**
 * Sets an active member's project roles to exactly `assignments` (projects of this org):
 * joins (JOINED_GROUP), changes (USER_ROLES_CHANGED_AUDIT) and leaves (REMOVED_FROM_GROUP).
 */
async function applyProjectAssignments(
  ctx: TxContext,
  actor: Actor,
  orgId: string,
  target: OrgUser,
  assignments: readonly GroupRoleAssignment[],
  now: Date,
) {
  const who = {
    actor,
    orgId,
    targetUsername: target.user.username,
    userId: target.user.id,
    username: target.user.username,
  };
  for (const a of assignments) {
    const current = target.groupRoleAssignments.find((c) => c.groupId === a.groupId);
    if (current && sameRoles(current.roles, a.roles)) continue;
    const joined = await upsertProjectMembership(ctx.db, {
      projectId: a.groupId,
      userId: target.user.id,
      roles: [...a.roles],
      joinedAt: now,
    });
    await recordEvent(ctx.db, ctx, {
      ...who,
      type: joined ? 'JOINED_GROUP' : 'USER_ROLES_CHANGED_AUDIT',
      projectId: a.groupId,
    });
  }
  for (const c of target.groupRoleAssignments) {
    if (assignments.some((a) => a.groupId === c.groupId)) continue;
    if (await removeProjectMembership(ctx.db, c.groupId, target.user.id)) {
      await recordEvent(ctx.db, ctx, { ...who, type: 'REMOVED_FROM_GROUP', projectId: c.groupId });
    }
  }
}

/** Org roles of an active member: the last-owner rule, then the change and its audit event. */
async function setMemberOrgRoles(
  ctx: TxContext,
  actor: Actor,
  orgId: string,
  target: OrgUser,
  roles: readonly string[],
  now: Date,
) {
  if (sameRoles(target.orgRoles, roles)) return;
  await guardDemotion(ctx.db, orgId, target, roles, now);
  await setOrgRoles(ctx.db, orgId, target.user.id, roles);
  await recordEvent(ctx.db, ctx, {
    type: 'USER_ROLES_CHANGED_AUDIT',
    orgId,
    actor,
    targetUsername: target.user.username,
    userId: target.user.id,
    username: target.user.username,
  });
}

/**
 * updateOrgUser: replaces what is given ("Supplying a field with an empty value will reset that
 * field"). Active members: org roles, project memberships, teams; pending users: their invitation.
 */
export async function updateOrgUser(
  ctx: DomainContext,
  actor: Actor,
  orgId: string,
  userId: string,
  changes: OrgUserChanges,
): Promise<OrgUser> {
  return withTx(ctx, async (ctx) => {
    await getOrgFor(ctx, actor.principal, orgId, 'ORG_OWNER');
    await validateOrgInviteInput(
      ctx,
      orgId,
      { roles: changes.orgRoles, teamIds: changes.teamIds, groupRoleAssignments: changes.groupRoleAssignments },
      false,
    );
    await lockOrg(ctx.db, orgId);
    const now = wholeSeconds(ctx.clock.now());
    const target = await orgUser(ctx.db, orgId, userId, now, CHANGEABLE);
    if (target.status === 'ACTIVE') {
      if (changes.orgRoles) await setMemberOrgRoles(ctx, actor, orgId, target, changes.orgRoles, now);
      if (changes.groupRoleAssignments)
        await applyProjectAssignments(ctx, actor, orgId, target, changes.groupRoleAssignments, now);
      if (changes.teamIds) await setOrgTeamIds(ctx.db, orgId, target.user.id, changes.teamIds);
    } else {
      const ok = await invitationsRepo.updatePendingInvitation(ctx.db, target.invitation?.id as string, {
        roles: changes.orgRoles,
        teamIds: changes.teamIds,
        groupRoleAssignments: changes.groupRoleAssignments,
      });
      if (!ok) return notInOrg(ctx.db, userId, orgId);
    }
    return reread(ctx.db, orgId, userId, now);
  });
}

/**
 * removeOrgUser. An active member leaves the organization and its projects (REMOVED_FROM_ORG);
 * the last Organization Owner cannot (403 CANNOT_DELETE_LAST_ADMIN). Anyone else's invitation is
 * deleted (ORG_INVITATION_DELETED). `activeOnly`: the 2023-01-01 version, which removes members only.
 */
export async function removeOrgUser(
  ctx: DomainContext,
  actor: Actor,
  orgId: string,
  userId: string,
  opts: { activeOnly: boolean },
): Promise<void> {
  await withTx(ctx, async (ctx) => {
    await getOrgFor(ctx, actor.principal, orgId, 'ORG_OWNER');
    await lockOrg(ctx.db, orgId);
    const now = wholeSeconds(ctx.clock.now());
    const target = await orgUser(ctx.db, orgId, userId, now, opts.activeOnly ? ['ACTIVE'] : undefined);
    const who = { orgId, actor, targetUsername: target.user.username };
    if (target.status === 'ACTIVE') {
      if (target.orgRoles.includes('ORG_OWNER') && (await ownerCount(ctx.db, orgId)) <= 1)
        throw atlasError('CANNOT_DELETE_LAST_ADMIN');
      const { projectIds } = await removeOrgMembership(ctx.db, orgId, target.user.id);
      // Old links must not bring them back: every invitation they had here goes too.
      await deleteOrgInvitationsFor(ctx.db, orgId, target.user.username.toLowerCase());
      const user = { userId: target.user.id, username: target.user.username };
      for (const projectId of projectIds)
        await recordEvent(ctx.db, ctx, { ...who, ...user, type: 'REMOVED_FROM_GROUP', projectId });
      await recordEvent(ctx.db, ctx, { ...who, ...user, type: 'REMOVED_FROM_ORG' });
    } else {
      await invitationsRepo.deleteInvitation(ctx.db, target.invitation?.id as string);
      await recordEvent(ctx.db, ctx, { ...who, type: 'ORG_INVITATION_DELETED' });
    }
  });
}

/** updateOrgUserRoles (deprecated, 2023-01-01): replaces an active member's org roles. */
export async function updateOrgUserRoles(
  ctx: DomainContext,
  actor: Actor,
  orgId: string,
  userId: string,
  orgRoles: readonly string[],
): Promise<readonly string[]> {
  return withTx(ctx, async (ctx) => {
    await getOrgFor(ctx, actor.principal, orgId, 'ORG_OWNER');
    if (orgRoles.length === 0) throw atlasError('CANNOT_REMOVE_ALL_USER_ROLES');
    await validateOrgInviteInput(ctx, orgId, { roles: orgRoles }, true);
    await lockOrg(ctx.db, orgId);
    const now = wholeSeconds(ctx.clock.now());
    const target = await orgUser(ctx.db, orgId, userId, now, ['ACTIVE']);
    await setMemberOrgRoles(ctx, actor, orgId, target, orgRoles, now);
    return [...orgRoles];
  });
}

/** addOrgUserRole / removeOrgUserRole: one org role, for an active member or a pending user. Idempotent. */
async function changeOneOrgRole(
  ctx: DomainContext,
  actor: Actor,
  orgId: string,
  userId: string,
  role: string,
  add: boolean,
): Promise<OrgUser> {
  return withTx(ctx, async (ctx) => {
    await getOrgFor(ctx, actor.principal, orgId, 'ORG_OWNER');
    if (!isOrgRole(role)) throw atlasError('INVALID_ROLE_FOR_ORG', role, orgId);
    await lockOrg(ctx.db, orgId);
    const now = wholeSeconds(ctx.clock.now());
    const target = await orgUser(ctx.db, orgId, userId, now, CHANGEABLE);
    const roles = add
      ? target.orgRoles.includes(role)
        ? target.orgRoles
        : [...target.orgRoles, role]
      : target.orgRoles.filter((r) => r !== role);
    if (roles.length === 0) throw atlasError('CANNOT_REMOVE_ALL_USER_ROLES');
    if (target.status === 'ACTIVE') {
      await setMemberOrgRoles(ctx, actor, orgId, target, roles, now);
    } else if (!sameRoles(roles, target.orgRoles)) {
      if (!(await invitationsRepo.updatePendingInvitation(ctx.db, target.invitation?.id as string, { roles })))
        return notInOrg(ctx.db, userId, orgId);
    }
    return reread(ctx.db, orgId, userId, now);
  });
}

export function addOrgUserRole(
  ctx: DomainContext,
  actor: Actor,
  orgId: string,
  userId: string,
  role: string,
): Promise<OrgUser> {
  return changeOneOrgRole(ctx, actor, orgId, userId, role, true);
}

export function removeOrgUserRole(
  ctx: DomainContext,
  actor: Actor,
  orgId: string,
  userId: string,
  role: string,
): Promise<OrgUser> {
  return changeOneOrgRole(ctx, actor, orgId, userId, role, false);
}
