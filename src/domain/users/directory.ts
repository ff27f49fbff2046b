import type { Kysely } from 'kysely';
import { atlasError } from '../../errors/atlas-error.ts';
import { type Invitation, isExpired } from '../invitations/invitation.ts';
import {
  findInvitationByUsername,
  listInvitations,
  listInvitationsByIds,
} from '../../storage/repositories/invitations.repository.ts';
import { findOrgMembership, listOrgMemberships } from '../../storage/repositories/memberships.repository.ts';
import {
  countOrgDirectory,
  type DirectoryKey,
  type DirectoryQuery,
  existingOrgProjectIds,
  listOrgProjectIds,
  listOrgProjectMemberships,
  listOrgProjectMembershipsOf,
  listUsersByIds,
  listUsersByUsernames,
  pageOrgDirectory,
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
const VISIBLE_SOURCES: ReadonlyArray<Invitation['source']> = ['invites', 'users'];

function invitationStatus(inv: Invitation, now: Date): OrgMembershipStatus {
  if (inv.status === 'REJECTED') return 'INVITATION_REJECTED';
  return isExpired(inv, now) ? 'INVITATION_EXPIRED' : 'PENDING';
}

/** A member of the organization, with the roles of the projects they are in. */
function memberEntry(
  user: User,
  m: { roles: string[]; teamIds: string[] },
  projectMemberships: ReadonlyArray<{ userId: string; projectId: string; roles: string[] }>,
): OrgUser {
  return {
    user,
    status: 'ACTIVE',
    orgRoles: m.roles,
    teamIds: m.teamIds,
    groupRoleAssignments: projectMemberships
      .filter((p) => p.userId === user.id)
      .map((p) => ({ groupId: p.projectId, roles: p.roles })),
  };
}

/** A user the organization has invited (pending, expired or declined), as the users API shows them. */
function invitedEntry(user: User, inv: Invitation, projectIds: ReadonlySet<string>, now: Date): OrgUser {
  return {
    user,
    status: invitationStatus(inv, now),
    orgRoles: inv.roles,
    teamIds: inv.teamIds,
    groupRoleAssignments: inv.groupRoleAssignments.filter((a) => projectIds.has(a.groupId)),
    invitation: {
      id: inv.id,
      createdAt: inv.createdAt,
      expiresAt: inv.expiresAt,
      inviterUsername: inv.inviterUsername,
    },
  };
}

const byUsername = (a: { user: User }, b: { user: User }) => {
  const x = a.user.username.toLowerCase();
  const y = b.user.username.toLowerCase();
  return x < y ? -1 : x > y ? 1 : a.user.id < b.user.id ? -1 : a.user.id > b.user.id ? 1 : 0;
};

async function visibleSources(db: Kysely<Database>, orgId: string): Promise<ReadonlyArray<Invitation['source']>> {
  const org = await findOrg(db, orgId);
  return org?.usersApiShowsProjectInvitees ? [...VISIBLE_SOURCES, 'project-invite'] : VISIBLE_SOURCES;
}

/**
 * The directory entries for these keys (members, or users with their invitation), in the keys'
 * order: a few queries by id, however large the organization.
 */
async function entriesFor(
  db: Kysely<Database>,
  orgId: string,
  keys: readonly DirectoryKey[],
  now: Date,
): Promise<OrgUser[]> {
  const memberIds = keys.filter((k) => k.invitationId === null).map((k) => k.userId);
  const users = new Map(
    (
      await listUsersByIds(
        db,
        keys.map((k) => k.userId),
      )
    ).map((u) => [u.id, u]),
  );
  const projectMemberships = await listOrgProjectMembershipsOf(db, orgId, memberIds);
  const invitations = new Map(
    (
      await listInvitationsByIds(
        db,
        keys.flatMap((k) => (k.invitationId ? [k.invitationId] : [])),
      )
    ).map((i) => [i.id, i]),
  );
  const assigned = [...new Set([...invitations.values()].flatMap((i) => i.groupRoleAssignments.map((a) => a.groupId)))];
  const projectIds = new Set(await existingOrgProjectIds(db, orgId, assigned));
  const out: OrgUser[] = [];
  for (const k of keys) {
    const user = users.get(k.userId);
    const m = k.member;
    const inv = k.invitationId ? invitations.get(k.invitationId) : undefined;
    if (!user) continue;
    if (k.invitationId === null && m) {
      out.push(memberEntry(user, m, projectMemberships));
    } else if (inv) {
      out.push(invitedEntry(user, inv, projectIds, now));
    }
  }
  return out;
}

/**
 * One user as the organization's users API shows them (what loadOrgDirectory would hold for the
 * id), from their membership, else their visible organization invitation: lookups by key only.
 */
export async function findOrgUser(
  db: Kysely<Database>,
  orgId: string,
  userId: string,
  now: Date,
): Promise<OrgUser | undefined> {
  const member = await findOrgMembership(db, orgId, userId);
  if (member) return (await entriesFor(db, orgId, [{ userId, invitationId: null, member }], now))[0];
  const user = await findUser(db, userId);
  if (!user) return undefined;
  const inv = await findInvitationByUsername(db, 'org', orgId, user.username);
  if (!inv || !(await visibleSources(db, orgId)).includes(inv.source)) return undefined;
  // The invitation belongs to the user it names, when that user exists.
  if (inv.userId && inv.userId !== user.id && (await findUser(db, inv.userId))) return undefined;
  return (await entriesFor(db, orgId, [{ userId, invitationId: inv.id }], now))[0];
}

/**
 * One page of the organization's users (listOrgUsers): `page` over loadOrgDirectory, computed by
 * the store from indexes (a page of keys and a count) and then read by id.
 */
export async function pageOrgUsers(
  db: Kysely<Database>,
  orgId: string,
  q: UserListQuery,
  now: Date,
): Promise<UserPage<OrgUser>> {
  const query: DirectoryQuery = {
    orgId,
    usernameKey: q.username ? q.username.toLowerCase() : undefined,
    members: q.statuses.includes('ACTIVE'),
    pending: q.statuses.includes('PENDING'),
    expired: q.statuses.includes('INVITATION_EXPIRED'),
    rejected: q.statuses.includes('INVITATION_REJECTED'),
    sources: await visibleSources(db, orgId),
    now,
  };
  const keys = await pageOrgDirectory(db, query, (q.pageNum - 1) * q.itemsPerPage, q.itemsPerPage);
  return { items: await entriesFor(db, orgId, keys, now), total: await countOrgDirectory(db, query) };
}

/**
 * Everyone the users API shows for one organization, in every state, ordered by username
 * (recorded lists are alphabetical). Members win over any invitation left behind for them;
 * project assignments naming a deleted project are dropped.
 */
export async function loadOrgDirectory(db: Kysely<Database>, orgId: string, now: Date): Promise<OrgUser[]> {
  const members = await listOrgMemberships(db, orgId);
  const projectMemberships = await listOrgProjectMemberships(db, orgId);
  const projectIds = new Set(await listOrgProjectIds(db, orgId));
  const org = await findOrg(db, orgId);
  const sources: ReadonlyArray<Invitation['source']> = org?.usersApiShowsProjectInvitees
    ? [...VISIBLE_SOURCES, 'project-invite']
    : VISIBLE_SOURCES;
  const invitations = await listInvitations(db, {
    kind: 'org',
    scopeId: orgId,
    statuses: ['PENDING', 'REJECTED'],
    sources,
  });
  const users = new Map<string, User>();
  for (const u of await listUsersByIds(db, [
    ...members.map((m) => m.userId),
    ...invitations.flatMap((i) => (i.userId ? [i.userId] : [])),
  ])) {
    users.set(u.id, u);
  }
  const byName = new Map<string, User>();
  for (const u of await listUsersByUsernames(
    db,
    invitations.filter((i) => !i.userId || !users.has(i.userId)).map((i) => i.username),
  )) {
    byName.set(u.username.toLowerCase(), u);
  }
  const out: OrgUser[] = [];
  const active = new Set<string>();
  for (const m of members) {
    const user = users.get(m.userId);
    if (!user) continue;
    active.add(user.id);
    out.push(memberEntry(user, m, projectMemberships));
  }
  for (const inv of invitations) {
    const user = (inv.userId && users.get(inv.userId)) || byName.get(inv.username.toLowerCase());
    if (!user || active.has(user.id)) continue;
    out.push(invitedEntry(user, inv, projectIds, now));
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

export function page<T extends { user: User; status: OrgMembershipStatus }>(
  all: readonly T[],
  q: UserListQuery,
): UserPage<T> {
  const name = q.username ? q.username.toLowerCase() : undefined;
  const matching = all.filter(
    (u) => q.statuses.includes(u.status) && (name === undefined || u.user.username.toLowerCase() === name),
  );
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
