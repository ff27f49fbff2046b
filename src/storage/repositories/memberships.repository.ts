import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { chunksOf } from '../batch.ts';
import { instant, names } from '../codec.ts';
import type { Database } from '../schema.ts';

type Executor = Kysely<Database>;

export interface OrgMembershipRow {
  orgId: string;
  userId: string;
  roles: string[];
  teamIds: string[];
  joinedAt: Date;
}

export interface ProjectMembershipRow {
  projectId: string;
  userId: string;
  roles: string[];
  joinedAt: Date;
}

export async function findOrgMembership(
  db: Executor,
  orgId: string,
  userId: string,
): Promise<OrgMembershipRow | undefined> {
  const row = await db
    .selectFrom('org_memberships')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row && toOrgMembership(row);
}

function toOrgMembership(row: Selectable<Database['org_memberships']>): OrgMembershipRow {
  return {
    orgId: row.org_id,
    userId: row.user_id,
    roles: names.decode(row.roles),
    teamIds: names.decode(row.team_ids),
    joinedAt: instant.decode(row.joined_at),
  };
}

/** Every org membership, in joining order. */
export async function listOrgMemberships(db: Executor, orgId: string): Promise<OrgMembershipRow[]> {
  const rows = await db
    .selectFrom('org_memberships')
    .selectAll()
    .where('org_id', '=', orgId)
    .orderBy('joined_at')
    .orderBy('user_id')
    .execute();
  return rows.map(toOrgMembership);
}

/** Adds the user to the org, or (already a member) replaces nothing: returns whether it was new. */
export async function addOrgMembership(db: Executor, m: OrgMembershipRow): Promise<boolean> {
  const r = await db
    .insertInto('org_memberships')
    .values({
      org_id: m.orgId,
      user_id: m.userId,
      roles: names.encode(m.roles),
      team_ids: names.encode(m.teamIds),
      joined_at: instant.encode(m.joinedAt),
      username_key: sql<string>`(select username_key from users where id = ${m.userId})`,
    })
    .onConflict((oc) => oc.columns(['org_id', 'user_id']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function setOrgRoles(
  db: Executor,
  orgId: string,
  userId: string,
  roles: readonly string[],
): Promise<void> {
  await db
    .updateTable('org_memberships')
    .set({ roles: names.encode(roles) })
    .where('org_id', '=', orgId)
    .where('user_id', '=', userId)
    .execute();
}

/** Removes the user from the organization and its projects; answers the projects they left. */
export async function removeOrgMembership(
  db: Transaction<Database>,
  orgId: string,
  userId: string,
): Promise<{ removed: boolean; projectIds: string[] }> {
  const left = await db
    .deleteFrom('project_memberships')
    .where('user_id', '=', userId)
    .where('project_id', 'in', db.selectFrom('projects').select('id').where('org_id', '=', orgId))
    .returning('project_id')
    .execute();
  const r = await db
    .deleteFrom('org_memberships')
    .where('org_id', '=', orgId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return { removed: Number(r.numDeletedRows) > 0, projectIds: left.map((row) => row.project_id).sort() };
}

export async function findProjectMembership(
  db: Executor,
  projectId: string,
  userId: string,
): Promise<ProjectMembershipRow | undefined> {
  const row = await db
    .selectFrom('project_memberships')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return (
    row && {
      projectId: row.project_id,
      userId: row.user_id,
      roles: names.decode(row.roles),
      joinedAt: instant.decode(row.joined_at),
    }
  );
}

/** Sets the user's roles in the project (joining it if needed); returns whether the user joined now. */
export async function upsertProjectMembership(db: Transaction<Database>, m: ProjectMembershipRow): Promise<boolean> {
  const existing = await findProjectMembership(db, m.projectId, m.userId);
  if (existing) {
    await db
      .updateTable('project_memberships')
      .set({ roles: names.encode(m.roles) })
      .where('project_id', '=', m.projectId)
      .where('user_id', '=', m.userId)
      .execute();
    return false;
  }
  await db
    .insertInto('project_memberships')
    .values({
      project_id: m.projectId,
      user_id: m.userId,
      roles: names.encode(m.roles),
      joined_at: instant.encode(m.joinedAt),
    })
    .execute();
  return true;
}

export async function removeProjectMembership(db: Executor, projectId: string, userId: string): Promise<boolean> {
  const r = await db
    .deleteFrom('project_memberships')
    .where('project_id', '=', projectId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** New org members, many at a time (bulk loads), with their addresses (org_memberships.username_key). */
export async function insertOrgMembershipsBatch(
  db: Executor,
  rows: ReadonlyArray<OrgMembershipRow & { username: string }>,
): Promise<void> {
  for (const chunk of chunksOf(rows, 6)) {
    await db
      .insertInto('org_memberships')
      .values(
        chunk.map((m) => ({
          org_id: m.orgId,
          user_id: m.userId,
          roles: names.encode(m.roles),
          team_ids: names.encode(m.teamIds),
          joined_at: instant.encode(m.joinedAt),
          username_key: m.username.toLowerCase(),
        })),
      )
      .execute();
  }
}
