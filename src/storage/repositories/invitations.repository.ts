import type { Kysely } from 'kysely';
import type { ProjectInvitation } from '../../domain/invitations/invitation.ts';
import type { Database } from '../schema.ts';

type Executor = Kysely<Database>;

function projectInvitations(db: Executor) {
  return db
    .selectFrom('invitations')
    .innerJoin('projects', 'projects.id', 'invitations.project_id')
    .select([
      'invitations.id',
      'invitations.org_id',
      'invitations.project_id',
      'projects.name as project_name',
      'invitations.username',
      'invitations.roles',
      'invitations.inviter_username',
      'invitations.created_at',
      'invitations.expires_at',
    ])
    .where('invitations.kind', '=', 'project');
}

type Row = Awaited<ReturnType<ReturnType<typeof projectInvitations>['executeTakeFirstOrThrow']>>;

const toInvitation = (row: Row): ProjectInvitation => ({
  id: row.id,
  orgId: row.org_id,
  projectId: row.project_id as string,
  projectName: row.project_name,
  username: row.username,
  roles: JSON.parse(row.roles),
  inviterUsername: row.inviter_username,
  createdAt: new Date(row.created_at),
  expiresAt: new Date(row.expires_at),
});

export async function listProjectInvitations(
  db: Executor,
  projectId: string,
  username?: string,
): Promise<ProjectInvitation[]> {
  let q = projectInvitations(db).where('invitations.project_id', '=', projectId);
  if (username !== undefined) q = q.where('invitations.username_key', '=', username.toLowerCase());
  const rows = await q.orderBy('invitations.created_at').orderBy('invitations.id').execute();
  return rows.map(toInvitation);
}

export async function findProjectInvitation(
  db: Executor,
  projectId: string,
  id: string,
): Promise<ProjectInvitation | undefined> {
  const row = await projectInvitations(db)
    .where('invitations.project_id', '=', projectId)
    .where('invitations.id', '=', id)
    .executeTakeFirst();
  return row && toInvitation(row);
}

export async function findProjectInvitationByUsername(
  db: Executor,
  projectId: string,
  username: string,
): Promise<ProjectInvitation | undefined> {
  const row = await projectInvitations(db)
    .where('invitations.project_id', '=', projectId)
    .where('invitations.username_key', '=', username.toLowerCase())
    .executeTakeFirst();
  return row && toInvitation(row);
}

/**
 * Inserts the invitation, or, when the username already has one in this project, replaces its
 * roles and dates in the same statement (one pending invitation per username and project; the
 * unique index makes concurrent creates converge on one row).
 */
export async function upsertProjectInvitation(db: Executor, inv: ProjectInvitation): Promise<void> {
  const values = {
    id: inv.id,
    kind: 'project' as const,
    org_id: inv.orgId,
    project_id: inv.projectId,
    scope_id: inv.projectId,
    username: inv.username,
    username_key: inv.username.toLowerCase(),
    roles: JSON.stringify(inv.roles),
    inviter_username: inv.inviterUsername,
    created_at: inv.createdAt.toISOString(),
    expires_at: inv.expiresAt.toISOString(),
  };
  await db
    .insertInto('invitations')
    .values(values)
    .onConflict((oc) =>
      oc.columns(['kind', 'scope_id', 'username_key']).doUpdateSet({
        roles: values.roles,
        inviter_username: values.inviter_username,
        created_at: values.created_at,
        expires_at: values.expires_at,
      }),
    )
    .execute();
}

export async function setInvitationRoles(db: Executor, id: string, roles: readonly string[]): Promise<boolean> {
  const r = await db
    .updateTable('invitations')
    .set({ roles: JSON.stringify(roles) })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function deleteProjectInvitation(db: Executor, projectId: string, id: string): Promise<boolean> {
  const r = await db
    .deleteFrom('invitations')
    .where('kind', '=', 'project')
    .where('project_id', '=', projectId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
