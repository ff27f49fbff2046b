import { type Kysely, type RawBuilder, SqliteAdapter, sql, type Transaction } from 'kysely';
import type { User } from '../../domain/users/user.ts';
import { instant, integer, names, namesContaining } from '../codec.ts';
import { assignmentsColumn } from './invitations.repository.ts';
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
  const rows = await db
    .selectFrom('users')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute();
  return rows.map(toUser);
}

export async function listUsersByUsernames(db: Executor, usernames: readonly string[]): Promise<User[]> {
  if (usernames.length === 0) return [];
  const keys = [...new Set(usernames.map((u) => u.toLowerCase()))];
  const rows = await db.selectFrom('users').selectAll().where('username_key', 'in', keys).execute();
  return rows.map(toUser);
}

/** Every project membership in the organization's projects, in joining order. */
export async function listOrgProjectMemberships(db: Executor, orgId: string): Promise<ProjectMembershipRow[]> {
  const rows = await db
    .selectFrom('project_memberships')
    .innerJoin('projects', 'projects.id', 'project_memberships.project_id')
    .select([
      'project_memberships.project_id',
      'project_memberships.user_id',
      'project_memberships.roles',
      'project_memberships.joined_at',
    ])
    .where('projects.org_id', '=', orgId)
    .orderBy('project_memberships.joined_at')
    .orderBy('project_memberships.project_id')
    .execute();
  return rows.map((row) => ({
    projectId: row.project_id,
    userId: row.user_id,
    roles: names.decode(row.roles),
    joinedAt: instant.decode(row.joined_at),
  }));
}

export async function listOrgProjectIds(db: Executor, orgId: string): Promise<string[]> {
  const rows = await db.selectFrom('projects').select('id').where('org_id', '=', orgId).execute();
  return rows.map((r) => r.id);
}

/** Replaces a member's team ids (no teams exist yet, so only ever `[]`). */
export async function setOrgTeamIds(
  db: Executor,
  orgId: string,
  userId: string,
  teamIds: readonly string[],
): Promise<void> {
  await db
    .updateTable('org_memberships')
    .set({ team_ids: names.encode(teamIds) })
    .where('org_id', '=', orgId)
    .where('user_id', '=', userId)
    .execute();
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
  const r = await db
    .updateTable('invitations')
    .set({ group_role_assignments: assignmentsColumn.encode(assignments) })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/**
 * Takes the organization's row lock (PostgreSQL; SQLite serializes writers anyway), so concurrent
 * changes to its users see each other: two owners demoting each other cannot both succeed.
 */
export async function lockOrg(db: Transaction<Database>, orgId: string): Promise<void> {
  await db
    .updateTable('orgs')
    .set({ name: sql<string>`name` })
    .where('id', '=', orgId)
    .execute();
}

/**
 * One page of an organization's users API directory, as keys: members (`invitationId` null) and
 * the users of its visible organization invitations who are not members, in address order. Each
 * stream is read in index order and cut at `offset + limit` (org_memberships_by_name; the
 * invitations' (kind, scope_id, username_key) index), then the two are merged: a page reads about
 * `offset + limit` index entries however large the organization. An invitation's user is the one
 * it names, else the one with its address; either way the one with its address (createGroupInvite,
 * inviteToOrg and the accept flow only ever pair an invitation with its address's user), so
 * "not a member" is looked up by address.
 */
export interface DirectoryQuery {
  orgId: string;
  /** Lower-case address: only that user. */
  usernameKey?: string;
  /** ACTIVE users (members). */
  members: boolean;
  /** Which invitations: pending and unexpired, pending and expired, declined. */
  pending: boolean;
  expired: boolean;
  rejected: boolean;
  sources: readonly string[];
  now: Date;
}

export interface DirectoryKey {
  userId: string;
  invitationId: string | null;
  /** Members: their membership, read with the page. */
  member?: OrgMembershipRow;
}

const isSqlite = (db: Executor) => db.getExecutor().adapter instanceof SqliteAdapter;

function directoryBranches(
  db: Executor,
  q: DirectoryQuery,
): { members?: RawBuilder<unknown>; invitations?: RawBuilder<unknown> } {
  const byName = (column: string) =>
    q.usernameKey === undefined ? sql`` : sql` and ${sql.ref(column)} = ${q.usernameKey}`;
  const out: { members?: RawBuilder<unknown>; invitations?: RawBuilder<unknown> } = {};
  if (q.members) {
    out.members = sql`select m.username_key as k, m.user_id as user_id, null as invitation_id, m.roles, m.team_ids, m.joined_at
      from org_memberships m where m.org_id = ${q.orgId}${byName('m.username_key')}`;
  }
  const now = instant.encode(q.now);
  const states: RawBuilder<unknown>[] = [];
  if (q.pending) states.push(sql`(i.status = 'PENDING' and i.expires_at > ${now})`);
  if (q.expired) states.push(sql`(i.status = 'PENDING' and i.expires_at <= ${now})`);
  if (q.rejected) states.push(sql`i.status = 'REJECTED'`);
  if (states.length > 0 && q.sources.length > 0) {
    // org_memberships.username_key is collated "C" on PostgreSQL (migration 0008): compare and order alike.
    const key = isSqlite(db) ? sql`i.username_key` : sql`i.username_key collate "C"`;
    out.invitations = sql`select ${key} as k,
        coalesce((select u.id from users u where u.id = i.user_id), (select u.id from users u where u.username_key = i.username_key)) as user_id,
        i.id as invitation_id, null as roles, null as team_ids, null as joined_at
      from invitations i
      where i.kind = 'org' and i.scope_id = ${q.orgId}${byName('i.username_key')}
        and i.source in (${sql.join([...q.sources])}) and (${sql.join(states, sql` or `)})
        and (exists (select 1 from users u where u.id = i.user_id) or exists (select 1 from users u where u.username_key = i.username_key))
        and not exists (select 1 from org_memberships m2 where m2.org_id = ${q.orgId} and m2.username_key = ${key})`;
  }
  return out;
}

export async function pageOrgDirectory(
  db: Executor,
  q: DirectoryQuery,
  offset: number,
  limit: number,
): Promise<DirectoryKey[]> {
  const { members, invitations } = directoryBranches(db, q);
  const parts = [members, invitations].filter((p) => p !== undefined);
  if (parts.length === 0) return [];
  // Each stream cut at offset + limit in its index order, so the merge never sorts a whole organization.
  const firstRows = (part: RawBuilder<unknown>, alias: string) =>
    sql`select * from (${part} order by 1 limit ${offset + limit}) ${sql.raw(alias)}`;
  const body =
    parts.length === 2
      ? sql`${firstRows(parts[0], 'a')} union all ${firstRows(parts[1], 'b')}`
      : firstRows(parts[0], 'a');
  type Row = {
    user_id: string;
    invitation_id: string | null;
    roles: string | null;
    team_ids: string | null;
    joined_at: string | null;
  };
  const r = await sql<Row>`${body} order by 1 limit ${limit} offset ${offset}`.execute(db);
  return r.rows.map((row) => ({
    userId: row.user_id,
    invitationId: row.invitation_id,
    ...(row.invitation_id === null
      ? {
          member: {
            orgId: q.orgId,
            userId: row.user_id,
            roles: names.decode(row.roles as string),
            teamIds: names.decode(row.team_ids as string),
            joinedAt: instant.decode(row.joined_at as string),
          },
        }
      : {}),
  }));
}

/** How many users the query matches: members from org_member_counts, invitations counted from their index. */
export async function countOrgDirectory(db: Executor, q: DirectoryQuery): Promise<number> {
  const { members, invitations } = directoryBranches(db, q);
  let total = 0;
  if (members && q.usernameKey === undefined) {
    const row = await db
      .selectFrom('org_member_counts')
      .select('members')
      .where('org_id', '=', q.orgId)
      .executeTakeFirst();
    total += integer.decode(row?.members ?? 0);
  } else if (members) {
    total += Number(
      (await sql<{ n: number | string }>`select count(*) as n from (${members}) y`.execute(db)).rows[0].n,
    );
  }
  if (invitations)
    total += Number(
      (await sql<{ n: number | string }>`select count(*) as n from (${invitations}) z`.execute(db)).rows[0].n,
    );
  return total;
}

/** These users' memberships of the organization's projects, in joining order. */
export async function listOrgProjectMembershipsOf(
  db: Executor,
  orgId: string,
  userIds: readonly string[],
): Promise<ProjectMembershipRow[]> {
  if (userIds.length === 0) return [];
  const rows = await db
    .selectFrom('project_memberships')
    .innerJoin('projects', 'projects.id', 'project_memberships.project_id')
    .select([
      'project_memberships.project_id',
      'project_memberships.user_id',
      'project_memberships.roles',
      'project_memberships.joined_at',
    ])
    .where('project_memberships.user_id', 'in', [...userIds])
    .where('projects.org_id', '=', orgId)
    .orderBy('project_memberships.joined_at')
    .orderBy('project_memberships.project_id')
    .execute();
  return rows.map((row) => ({
    projectId: row.project_id,
    userId: row.user_id,
    roles: names.decode(row.roles),
    joinedAt: instant.decode(row.joined_at),
  }));
}

/** Which of these project ids are projects of the organization. */
export async function existingOrgProjectIds(db: Executor, orgId: string, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('projects')
    .select('id')
    .where('org_id', '=', orgId)
    .where('id', 'in', [...ids])
    .execute();
  return rows.map((r) => r.id);
}

/** How many members hold this org role (roles are a JSON list of names). */
export async function countOrgMembersWithRole(db: Executor, orgId: string, role: string): Promise<number> {
  const row = await db
    .selectFrom('org_memberships')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('org_id', '=', orgId)
    .where('roles', 'like', namesContaining(role))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
