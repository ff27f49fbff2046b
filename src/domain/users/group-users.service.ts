import type { Kysely } from 'kysely';
import { atlasError } from '../../errors/atlas-error.ts';
import { wholeSeconds } from '../../lib/dates.ts';
import * as invitationsRepo from '../../storage/repositories/invitations.repository.ts';
import { removeProjectMembership, upsertProjectMembership } from '../../storage/repositories/memberships.repository.ts';
import { lockOrg, setInvitationGroupRoleAssignments } from '../../storage/repositories/org-directory.repository.ts';
import { findOrg } from '../../storage/repositories/orgs.repository.ts';
import { findUserByUsername } from '../../storage/repositories/users.repository.ts';
import type { Database } from '../../storage/schema.ts';
import type { Actor } from '../actor.ts';
import { type DomainContext, type TxContext, withTx } from '../context.ts';
import { recordEvent } from '../events/event.service.ts';
import { validateProjectRoles, validateUsername } from '../invitations/invitation.rules.ts';
import { inviteToOrg } from '../invitations/org-invitation.service.ts';
import type { Principal } from '../principal.ts';
import { getProjectFor } from '../projects/project.service.ts';
import type { Project } from '../projects/project.ts';
import { PROJECT_ACCESS_MANAGER } from '../roles/permissions.ts';
import { findOrgUser, groupUsersOf, loadOrgDirectory, notInGroup, page } from './directory.ts';
import type { GroupUser, OrgMembershipStatus, OrgUser, UserListQuery, UserPage } from './org-user.ts';

/**
 * The project half of the MongoDB Cloud Users API (listGroupUsers … removeGroupUserRole). A
 * project's users are the active org members with a membership in it and the users whose
 * organization invitation assigns it. "Project Access Manager" operations take PROJECT_ACCESS_MANAGER
 * (see roles/permissions.ts).
 */

type Db = Kysely<Database>;

const sameRoles = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((r) => b.includes(r));

async function directory(db: Db, project: Project, now: Date): Promise<OrgUser[]> {
  return loadOrgDirectory(db, project.orgId, now);
}

function asGroupUser(u: OrgUser, projectId: string): GroupUser | undefined {
  return groupUsersOf([u], projectId)[0];
}

/** A user id within the project (in one of `statuses`, if given), or Atlas's 404. */
async function groupMember(
  db: Db,
  project: Project,
  userId: string,
  now: Date,
  statuses?: readonly OrgMembershipStatus[],
): Promise<{ org: OrgUser; group: GroupUser }> {
  const org = await findOrgUser(db, project.orgId, userId, now);
  const group = org && asGroupUser(org, project.id);
  if (!org || !group || (statuses && !statuses.includes(group.status))) return notInGroup(db, userId, project.id);
  return { org, group };
}

async function reread(db: Db, project: Project, userId: string, now: Date): Promise<GroupUser> {
  return (await groupMember(db, project, userId, now)).group;
}

const CHANGEABLE: readonly OrgMembershipStatus[] = ['ACTIVE', 'PENDING'];

export async function listGroupUsers(
  ctx: DomainContext,
  principal: Principal,
  projectId: string,
  q: UserListQuery & { includeOrgUsers: boolean },
): Promise<UserPage<GroupUser>> {
  const project = await getProjectFor(ctx, principal, projectId, 'GROUP_READ_ONLY');
  return page(groupUsersOf(await directory(ctx.db, project, ctx.clock.now()), projectId, q.includeOrgUsers), q);
}

/**
 * listGroupUsers in 2023-01-01: only active members ("If using a deprecated version, only active
 * users will be returned"), as organization users, since that version lists each user's roles
 * across the organization.
 */
export async function listGroupMembers(
  ctx: DomainContext,
  principal: Principal,
  projectId: string,
  q: { pageNum: number; itemsPerPage: number; includeOrgUsers: boolean },
): Promise<UserPage<OrgUser> & { orgId: string }> {
  const project = await getProjectFor(ctx, principal, projectId, 'GROUP_READ_ONLY');
  const all = await directory(ctx.db, project, ctx.clock.now());
  const ids = new Set(groupUsersOf(all, projectId, q.includeOrgUsers).map((g) => g.user.id));
  const members = all.filter((u) => u.status === 'ACTIVE' && ids.has(u.user.id));
  return {
    ...page(members, { statuses: ['ACTIVE'], pageNum: q.pageNum, itemsPerPage: q.itemsPerPage }),
    orgId: project.orgId,
  };
}

export async function getGroupUser(
  ctx: DomainContext,
  principal: Principal,
  projectId: string,
  userId: string,
  statuses: readonly OrgMembershipStatus[],
): Promise<GroupUser> {
  const project = await getProjectFor(ctx, principal, projectId, 'GROUP_READ_ONLY');
  return (await groupMember(ctx.db, project, userId, ctx.clock.now(), statuses)).group;
}

/**
 * addGroupUsers (201):
 * - an active org member joins the project (JOINED_GROUP);
 * - a PENDING user's organization invitation gains the project;
 * - anyone else (nobody, an expired or declined invitation, or the invisible invitation made
 *   alongside a deprecated project invitation) gets a new organization invitation (source
 *   `users`, Organization Member) assigning the project.
 * 409 USER_ALREADY_EXISTS when the user is already ACTIVE or PENDING in this project.
 */
export async function addGroupUsers(
  ctx: DomainContext,
  actor: Actor,
  projectId: string,
  input: { username: string; roles: readonly string[] },
): Promise<GroupUser> {
  return withTx(ctx, async (ctx) => {
    const project = await getProjectFor(ctx, actor.principal, projectId, PROJECT_ACCESS_MANAGER);
    validateUsername(input.username);
    validateProjectRoles(input.roles, 'atlas', projectId);
    await lockOrg(ctx.db, project.orgId);
    const now = wholeSeconds(ctx.clock.now());
    const existing = await findUserByUsername(ctx.db, input.username);
    const current = existing && (await findOrgUser(ctx.db, project.orgId, existing.id, now));
    const assignment = { groupId: projectId, roles: [...input.roles] };
    if (current?.status === 'ACTIVE') {
      if (current.groupRoleAssignments.some((a) => a.groupId === projectId))
        throw atlasError('USER_ALREADY_EXISTS', input.username);
      await upsertProjectMembership(ctx.db, {
        projectId,
        userId: current.user.id,
        roles: assignment.roles,
        joinedAt: now,
      });
      await recordEvent(ctx.db, ctx, {
        type: 'JOINED_GROUP',
        orgId: project.orgId,
        projectId,
        actor,
        targetUsername: current.user.username,
        userId: current.user.id,
        username: current.user.username,
      });
    } else if (current?.status === 'PENDING') {
      if (current.groupRoleAssignments.some((a) => a.groupId === projectId))
        throw atlasError('USER_ALREADY_EXISTS', input.username);
      const ok = await invitationsRepo.updatePendingInvitation(ctx.db, current.invitation?.id as string, {
        groupRoleAssignments: [...current.groupRoleAssignments, assignment],
      });
      if (!ok) throw new Error('pending invitation changed inside its own transaction');
    } else {
      const org = await findOrg(ctx.db, project.orgId);
      if (!org) throw atlasError('ORG_NOT_FOUND', project.orgId);
      await inviteToOrg(
        ctx,
        actor,
        org,
        { username: input.username, roles: ['ORG_MEMBER'], teamIds: [], groupRoleAssignments: [assignment] },
        'users',
      );
    }
    const user = await findUserByUsername(ctx.db, input.username);
    return reread(ctx.db, project, user?.id as string, now);
  });
}

/**
 * removeGroupUser. An active member leaves the project (REMOVED_FROM_GROUP); anyone else loses
 * the project from their organization invitation (they stay invited to the organization).
 * `activeOnly`: the 2023-01-01 version, which removes members only. No last-owner rule: Atlas's
 * CANNOT_DELETE_LAST_ADMIN is about organizations, and Organization Owners own every project.
 */
export async function removeGroupUser(
  ctx: DomainContext,
  actor: Actor,
  projectId: string,
  userId: string,
  opts: { activeOnly: boolean },
): Promise<void> {
  await withTx(ctx, async (ctx) => {
    const project = await getProjectFor(ctx, actor.principal, projectId, PROJECT_ACCESS_MANAGER);
    await lockOrg(ctx.db, project.orgId);
    const now = wholeSeconds(ctx.clock.now());
    const { org: target } = await groupMember(ctx.db, project, userId, now, opts.activeOnly ? ['ACTIVE'] : undefined);
    if (target.status === 'ACTIVE') {
      await removeProjectMembership(ctx.db, projectId, target.user.id);
      await recordEvent(ctx.db, ctx, {
        type: 'REMOVED_FROM_GROUP',
        orgId: project.orgId,
        projectId,
        actor,
        targetUsername: target.user.username,
        userId: target.user.id,
        username: target.user.username,
      });
    } else {
      const rest = target.groupRoleAssignments.filter((a) => a.groupId !== projectId);
      await setInvitationGroupRoleAssignments(ctx.db, target.invitation?.id as string, rest);
    }
  });
}

/** Sets the user's roles in the project: the membership (USER_ROLES_CHANGED_AUDIT) or the invitation's assignment. */
async function setProjectRoles(
  ctx: TxContext,
  actor: Actor,
  project: Project,
  target: OrgUser,
  roles: readonly string[],
  now: Date,
): Promise<void> {
  const current = target.groupRoleAssignments.find((a) => a.groupId === project.id);
  if (current && sameRoles(current.roles, roles)) return;
  if (target.status === 'ACTIVE') {
    await upsertProjectMembership(ctx.db, {
      projectId: project.id,
      userId: target.user.id,
      roles: [...roles],
      joinedAt: now,
    });
    await recordEvent(ctx.db, ctx, {
      type: 'USER_ROLES_CHANGED_AUDIT',
      orgId: project.orgId,
      projectId: project.id,
      actor,
      targetUsername: target.user.username,
      userId: target.user.id,
      username: target.user.username,
    });
  } else {
    const assignments = target.groupRoleAssignments.map((a) =>
      a.groupId === project.id ? { groupId: a.groupId, roles: [...roles] } : a,
    );
    if (
      !(await invitationsRepo.updatePendingInvitation(ctx.db, target.invitation?.id as string, {
        groupRoleAssignments: assignments,
      }))
    ) {
      return notInGroup(ctx.db, target.user.id, project.id);
    }
  }
}

/** updateGroupUserRoles (deprecated, 2023-01-01): replaces an active member's project roles. */
export async function updateGroupUserRoles(
  ctx: DomainContext,
  actor: Actor,
  projectId: string,
  userId: string,
  roles: readonly string[],
): Promise<readonly string[]> {
  return withTx(ctx, async (ctx) => {
    const project = await getProjectFor(ctx, actor.principal, projectId, 'GROUP_OWNER');
    if (roles.length === 0) throw atlasError('CANNOT_REMOVE_ALL_USER_ROLES');
    validateProjectRoles(roles, 'atlas', projectId);
    await lockOrg(ctx.db, project.orgId);
    const now = wholeSeconds(ctx.clock.now());
    const { org: target } = await groupMember(ctx.db, project, userId, now, ['ACTIVE']);
    await setProjectRoles(ctx, actor, project, target, roles, now);
    return [...roles];
  });
}

/** addGroupUserRole / removeGroupUserRole: one project role, for an active member or a pending user. Idempotent. */
async function changeOneProjectRole(
  ctx: DomainContext,
  actor: Actor,
  projectId: string,
  userId: string,
  role: string,
  add: boolean,
): Promise<GroupUser> {
  return withTx(ctx, async (ctx) => {
    const project = await getProjectFor(ctx, actor.principal, projectId, PROJECT_ACCESS_MANAGER);
    validateProjectRoles([role], 'atlas', projectId);
    await lockOrg(ctx.db, project.orgId);
    const now = wholeSeconds(ctx.clock.now());
    const { org: target, group } = await groupMember(ctx.db, project, userId, now, CHANGEABLE);
    const roles = add
      ? group.roles.includes(role)
        ? group.roles
        : [...group.roles, role]
      : group.roles.filter((r) => r !== role);
    if (roles.length === 0) throw atlasError('CANNOT_REMOVE_ALL_USER_ROLES');
    await setProjectRoles(ctx, actor, project, target, roles, now);
    return reread(ctx.db, project, userId, now);
  });
}

export function addGroupUserRole(
  ctx: DomainContext,
  actor: Actor,
  projectId: string,
  userId: string,
  role: string,
): Promise<GroupUser> {
  return changeOneProjectRole(ctx, actor, projectId, userId, role, true);
}

export function removeGroupUserRole(
  ctx: DomainContext,
  actor: Actor,
  projectId: string,
  userId: string,
  role: string,
): Promise<GroupUser> {
  return changeOneProjectRole(ctx, actor, projectId, userId, role, false);
}
