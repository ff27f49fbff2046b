import type { Kysely } from 'kysely';
import { atlasError } from '../../errors/atlas-error.ts';
import { type Invitation, isExpired } from '../invitations/invitation.ts';
import { listInvitations } from '../../storage/repositories/invitations.repository.ts';
import {
  listOrgMembers,
  listOrgProjectIds,
  listOrgProjectMemberships,
  listUsersByIds,
  listUsersByUsernames,
} from '../../storage/repositories/org-directory.repository.ts';
import { findOrg } from '../../storage/repositories/orgs.repository.ts';
import { findUser } from '../../storage/repositories/users.repository.ts';
import type { Database } from '../../storage/schema.ts';
import type { GroupUser, OrgMembershipStatus, OrgUser, UserListQuery, UserPage } from './org-user.ts';
import type { User } from './user.ts';

/**
 * Which organization invitations the users API sees. Atlas's blind spot, kept on purpose: the
 * organization invitation made alongside a (deprecated) project invitation is not visible, so the
 * invitee of a pending project invitation is not a user of the organization or project
 * ("This resource cannot be used to view details about users invited via the deprecated Invite
 * One MongoDB Cloud User to Join One Project endpoint"). The org setting
 * `usersApiShowsProjectInvitees` (`cloud-invites orgs settings --users-api-shows-project-invitees`)
 * lifts it: those invitees then show as PENDING with ORG_MEMBER.
 */
export const VISIBLE_SOURCES: ReadonlyArray<Invitation['source']> = ['invites', 'users'];

export function invitationStatus(inv: Invitation, now: Date): OrgMembershipStatus {
  if (inv.status === 'REJECTED') return 'INVITATION_REJECTED';
  return isExpired(inv, now) ? 'INVITATION_EXPIRED' : 'PENDING';
}

const byUsername = (a: { user: User }, b: { user: User }) => {
  const x = a.user.username.toLowerCase();
  const y = b.user.username.toLowerCase();
  return x < y ? -1 : x > y ? 1 : a.user.id < b.user.id ? -1 : a.user.id > b.user.id ? 1 : 0;
};

/**
 * Everyone the users API shows for one organization, in every state, ordered by username
 * (recorded lists are alphabetical). Members win over any invitation left behind for them;
 * project assignments naming a deleted project are dropped.
 */
export async function loadOrgDirectory(db: Kysely<Database>, orgId: string, now: Date): Promise<OrgUser[]> {
  const members = await listOrgMembers(db, orgId);
  const projectMemberships = await listOrgProjectMemberships(db, orgId);
  const projectIds = new Set(await listOrgProjectIds(db, orgId));
  const org = await findOrg(db, orgId);
  const sources: ReadonlyArray<Invitation['source']> = org?.usersApiShowsProjectInvitees ? [...VISIBLE_SOURCES, 'project-invite'] : VISIBLE_SOURCES;
  const invitations = await listInvitations(db, { kind: 'org', scopeId: orgId, statuses: ['PENDING', 'REJECTED'], sources });
  const users = new Map<string, User>();
  for (const u of await listUsersByIds(db, [...members.map((m) => m.userId), ...invitations.flatMap((i) => (i.userId ? [i.userId] : []))])) {
    users.set(u.id, u);
  }
  const byName = new Map<string, User>();
  for (const u of await listUsersByUsernames(db, invitations.filter((i) => !i.userId || !users.has(i.userId)).map((i) => i.username))) {
    byName.set(u.username.toLowerCase(), u);
  }
  const out: OrgUser[] = [];
  const active = new Set<string>();
  for (const m of members) {
    const user = users.get(m.userId);
    if (!user) continue;
    active.add(user.id);
    out.push({
      user,
      status: 'ACTIVE',
      orgRoles: m.roles,
      teamIds: m.teamIds,
      groupRoleAssignments: projectMemberships.filter((p) => p.userId === user.id).map((p) => ({ groupId: p.projectId, roles: p.roles })),
    });
  }
  for (const inv of invitations) {
    const user = (inv.userId && users.get(inv.userId)) || byName.get(inv.username.toLowerCase());
    if (!user || active.has(user.id)) continue;
    out.push({
      user,
      status: invitationStatus(inv, now),
      orgRoles: inv.roles,
      teamIds: inv.teamIds,
      groupRoleAssignments: inv.groupRoleAssignments.filter((a) => projectIds.has(a.groupId)),
      invitation: { id: inv.id, createdAt: inv.createdAt, expiresAt: inv.expiresAt, inviterUsername: inv.inviterUsername },
    });
  }
  return out.sort(byUsername);
}

/** Implied project roles of organization roles (Organization Owner / Read Only see every project). */
function impliedProjectRoles(orgRoles: readonly string[]): string[] {
  if (orgRoles.includes('ORG_OWNER')) return ['GROUP_OWNER'];
  if (orgRoles.includes('ORG_READ_ONLY')) return ['GROUP_READ_ONLY'];
  return [];
}

/**
 * The project's users: active members with a membership in it, and users whose organization
 * invitation assigns it. `includeOrgUsers` adds the active members who see the project through
 * their organization role, with the project role that role implies.
 */
export function groupUsersOf(directory: readonly OrgUser[], projectId: string, includeOrgUsers = false): GroupUser[] {
  const out: GroupUser[] = [];
  for (const u of directory) {
    const assignment = u.groupRoleAssignments.find((a) => a.groupId === projectId);
    if (assignment) {
      out.push({ user: u.user, status: u.status, roles: assignment.roles, invitation: u.invitation });
    } else if (includeOrgUsers && u.status === 'ACTIVE') {
      const roles = impliedProjectRoles(u.orgRoles);
      if (roles.length > 0) out.push({ user: u.user, status: u.status, roles });
    }
  }
  return out;
}

export function page<T extends { user: User; status: OrgMembershipStatus }>(all: readonly T[], q: UserListQuery): UserPage<T> {
  const name = q.username ? q.username.toLowerCase() : undefined;
  const matching = all.filter((u) => q.statuses.includes(u.status) && (name === undefined || u.user.username.toLowerCase() === name));
  const start = (q.pageNum - 1) * q.itemsPerPage;
  return { items: matching.slice(start, start + q.itemsPerPage), total: matching.length };
}

/** 404 for a user id the organization does not show: USER_NOT_FOUND when nobody has it, else USER_NOT_IN_ORG. */
export async function notInOrg(db: Kysely<Database>, userId: string, orgId: string): Promise<never> {
  if (!(await findUser(db, userId))) throw atlasError('USER_NOT_FOUND', userId);
  throw atlasError('USER_NOT_IN_ORG', userId, orgId);
}

/** 404 for a user id the project does not show: USER_NOT_FOUND when nobody has it, else USER_NOT_IN_GROUP. */
export async function notInGroup(db: Kysely<Database>, userId: string, projectId: string): Promise<never> {
  if (!(await findUser(db, userId))) throw atlasError('USER_NOT_FOUND', userId);
  throw atlasError('USER_NOT_IN_GROUP', userId, projectId);
}
