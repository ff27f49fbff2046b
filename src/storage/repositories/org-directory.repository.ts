import { type Kysely, sql } from 'kysely';
import type { User } from '../../domain/users/user.ts';
import type { Database } from '../schema.ts';
import type { OrgMembershipRow, ProjectMembershipRow } from './memberships.repository.ts';
import { toUser } from './users.repository.ts';

type Executor = Kysely<Database>;

/**
 * Bulk reads for the users API: everyone an organization knows (members, their project roles)
 * in a few queries, so a list or a lookup sees one consistent picture.
 */

export async function listUsersByIds(db: Executor, ids: readonly string[]): Promise<User[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('users').selectAll().where('id', 'in', [...ids]).execute();
  return rows.map(toUser);
}

export async function listUsersByUsernames(db: Executor, usernames: readonly string[]): Promise<User[]> {
  if (usernames.length === 0) return [];
  const keys = [...new Set(usernames.map((u) => u.toLowerCase()))];
  const rows = await db.selectFrom('users').selectAll().where('username_key', 'in', keys).execute();
  return rows.map(toUser);
}

/** Every org membership, in joining order. */
export async function listOrgMembers(db: Executor, orgId: string): Promise<OrgMembershipRow[]> {
  const rows = await db.selectFrom('org_memberships').selectAll().where('org_id', '=', orgId).orderBy('joined_at').orderBy('user_id').execute();
  return rows.map((row) => ({
    orgId: row.org_id,
    userId: row.user_id,
    roles: JSON.parse(row.roles),
    teamIds: JSON.parse(row.team_ids),
    joinedAt: new Date(row.joined_at),
  }));
}

/** Every project membership in the organization's projects, in joining order. */
export async function listOrgProjectMemberships(db: Executor, orgId: string): Promise<ProjectMembershipRow[]> {
  const rows = await db
    .selectFrom('project_memberships')
    .innerJoin('projects', 'projects.id', 'project_memberships.project_id')
    .select(['project_memberships.project_id', 'project_memberships.user_id', 'project_memberships.roles', 'project_memberships.joined_at'])
    .where('projects.org_id', '=', orgId)
    .orderBy('project_memberships.joined_at')
    .orderBy('project_memberships.project_id')
    .execute();
  return rows.map((row) => ({ projectId: row.project_id, userId: row.user_id, roles: JSON.parse(row.roles), joinedAt: new Date(row.joined_at) }));
}

export async function listOrgProjectIds(db: Executor, orgId: string): Promise<string[]> {
  const rows = await db.selectFrom('projects').select('id').where('org_id', '=', orgId).execute();
  return rows.map((r) => r.id);
}

/** Replaces a member's team ids (no teams exist yet, so only ever `[]`). */
export async function setOrgTeamIds(db: Executor, orgId: string, userId: string, teamIds: readonly string[]): Promise<void> {
  await db.updateTable('org_memberships').set({ team_ids: JSON.stringify(teamIds) }).where('org_id', '=', orgId).where('user_id', '=', userId).execute();
}

/** Deletes the user's organization invitation in this org, whatever its state (the user joined or was removed). */
/** Deletes every invitation (org and project) the address has in the organization. */
export async function deleteOrgInvitationsFor(db: Executor, orgId: string, usernameKey: string): Promise<void> {
  await db.deleteFrom('invitations').where('org_id', '=', orgId).where('username_key', '=', usernameKey).execute();
}

/** Replaces an organization invitation's project assignments, whatever its state. */
export async function setInvitationGroupRoleAssignments(
  db: Executor,
  id: string,
  assignments: ReadonlyArray<{ groupId: string; roles: readonly string[] }>,
): Promise<boolean> {
  const r = await db.updateTable('invitations').set({ group_role_assignments: JSON.stringify(assignments) }).where('id', '=', id).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/**
 * Takes the organization's row lock (PostgreSQL; SQLite serializes writers anyway), so concurrent
 * changes to its users see each other: two owners demoting each other cannot both succeed.
 */
export async function lockOrg(db: Executor, orgId: string): Promise<void> {
  await db.updateTable('orgs').set({ name: sql<string>`name` }).where('id', '=', orgId).execute();
}
