import type { Kysely } from 'kysely';
import type { Invitation } from '../../domain/invitations/invitation.ts';
import { OBJECT_ID_PATTERN } from '../../lib/object-id.ts';
import { chunksOf } from '../batch.ts';
import { runPrepared } from '../prepared.ts';
import { instant, json, names } from '../codec.ts';
import type { Database } from '../schema.ts';

type Executor = Kysely<Database>;
type Kind = Invitation['kind'];

/** An organization invitation's project assignments (JSON text). */
export const assignmentsColumn = json<Invitation['groupRoleAssignments'][number][]>();

function invitations(db: Executor) {
  return db
    .selectFrom('invitations')
    .innerJoin('orgs', 'orgs.id', 'invitations.org_id')
    .leftJoin('projects', 'projects.id', 'invitations.project_id')
    .select([
      'invitations.id',
      'invitations.kind',
      'invitations.org_id',
      'orgs.name as org_name',
      'invitations.project_id',
      'projects.name as project_name',
      'invitations.username',
      'invitations.roles',
      'invitations.inviter_username',
      'invitations.created_at',
      'invitations.expires_at',
      'invitations.user_id',
      'invitations.status',
      'invitations.source',
      'invitations.team_ids',
      'invitations.group_role_assignments',
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof invitations>['executeTakeFirstOrThrow']>>;

const toInvitation = (row: Row): Invitation => ({
  id: row.id,
  kind: row.kind,
  orgId: row.org_id,
  orgName: row.org_name,
  projectId: row.project_id,
  projectName: row.project_name,
  username: row.username,
  roles: names.decode(row.roles),
  inviterUsername: row.inviter_username,
  createdAt: instant.decode(row.created_at),
  expiresAt: instant.decode(row.expires_at),
  userId: row.user_id,
  status: row.status,
  source: row.source,
  teamIds: names.decode(row.team_ids),
  groupRoleAssignments: assignmentsColumn.decode(row.group_role_assignments),
});

export interface InvitationFilter {
  kind: Kind;
  /** The project id (project invitations) or the org id (org invitations). */
  scopeId: string;
  username?: string;
  statuses?: ReadonlyArray<Invitation['status']>;
  sources?: ReadonlyArray<Invitation['source']>;
}

export async function listInvitations(db: Executor, f: InvitationFilter): Promise<Invitation[]> {
  const statuses = f.statuses ?? ['PENDING'];
  const sources = f.sources ?? [];
  // An empty list matches nothing (and `in ()` is a syntax error on PostgreSQL).
  if (statuses.length === 0 || (f.sources && sources.length === 0)) return [];
  const values: Record<string, unknown> = { kind: f.kind, scopeId: f.scopeId, username: f.username?.toLowerCase() };
  statuses.forEach((s, i) => (values[`status${i}`] = s));
  sources.forEach((s, i) => (values[`source${i}`] = s));
  const shape = `${f.username !== undefined}|${statuses.length}|${f.sources ? sources.length : '-'}`;
  const rows = await runPrepared(
    db,
    'listInvitations',
    shape,
    (p) => {
      let q = invitations(db)
        .where('invitations.kind', '=', p('kind'))
        .where('invitations.scope_id', '=', p('scopeId'));
      if (f.username !== undefined) q = q.where('invitations.username_key', '=', p('username'));
      q = q.where(
        'invitations.status',
        'in',
        statuses.map((_, i) => p(`status${i}`)),
      );
      if (f.sources)
        q = q.where(
          'invitations.source',
          'in',
          sources.map((_, i) => p(`source${i}`)),
        );
      return q.orderBy('invitations.created_at').orderBy('invitations.id');
    },
    values,
  );
  return rows.map(toInvitation);
}

/** Any invitation by id, whatever its kind or state. */
export async function findInvitation(db: Executor, id: string): Promise<Invitation | undefined> {
  // Ids are ObjectIds; anything else (a NUL, which PostgreSQL text refuses) matches nothing.
  if (!OBJECT_ID_PATTERN.test(id)) return undefined;
  const [row] = await runPrepared(
    db,
    'findInvitation',
    '',
    (p) => invitations(db).where('invitations.id', '=', p('id')),
    { id },
  );
  return row && toInvitation(row);
}

export async function findInvitationByUsername(
  db: Executor,
  kind: Kind,
  scopeId: string,
  username: string,
): Promise<Invitation | undefined> {
  const row = await invitations(db)
    .where('invitations.kind', '=', kind)
    .where('invitations.scope_id', '=', scopeId)
    .where('invitations.username_key', '=', username.toLowerCase())
    .executeTakeFirst();
  return row && toInvitation(row);
}

export async function findInvitationByTokenHash(db: Executor, tokenHash: string): Promise<Invitation | undefined> {
  const row = await invitations(db).where('invitations.token_hash', '=', tokenHash).executeTakeFirst();
  return row && toInvitation(row);
}

/**
 * Inserts the invitation, or, when the username already has one of this kind in this scope
 * (pending or declined), makes that one pending again with the new roles, dates, inviter and link
 * (one invitation per username and scope; the unique index makes concurrent creates converge).
 */
export async function upsertInvitation(db: Executor, inv: Invitation, tokenHash: string): Promise<void> {
  const scopeId = inv.kind === 'project' ? (inv.projectId as string) : inv.orgId;
  const changes = {
    roles: names.encode(inv.roles),
    inviter_username: inv.inviterUsername,
    created_at: instant.encode(inv.createdAt),
    expires_at: instant.encode(inv.expiresAt),
    status: 'PENDING' as const,
    source: inv.source,
    token_hash: tokenHash,
    user_id: inv.userId,
    team_ids: names.encode(inv.teamIds),
    group_role_assignments: assignmentsColumn.encode(inv.groupRoleAssignments),
  };
  await db
    .insertInto('invitations')
    .values({
      id: inv.id,
      kind: inv.kind,
      org_id: inv.orgId,
      project_id: inv.projectId,
      scope_id: scopeId,
      username: inv.username,
      username_key: inv.username.toLowerCase(),
      ...changes,
    })
    .onConflict((oc) => oc.columns(['kind', 'scope_id', 'username_key']).doUpdateSet(changes))
    .execute();
}

/** Replaces roles (and, for org invitations, teams and project assignments) of a PENDING invitation. */
export async function updatePendingInvitation(
  db: Executor,
  id: string,
  changes: {
    roles?: readonly string[];
    teamIds?: readonly string[];
    groupRoleAssignments?: Invitation['groupRoleAssignments'];
  },
): Promise<boolean> {
  const set: Record<string, string> = {};
  if (changes.roles) set.roles = names.encode(changes.roles);
  if (changes.teamIds) set.team_ids = names.encode(changes.teamIds);
  if (changes.groupRoleAssignments) set.group_role_assignments = assignmentsColumn.encode(changes.groupRoleAssignments);
  if (Object.keys(set).length === 0) return true;
  const r = await db
    .updateTable('invitations')
    .set(set)
    .where('id', '=', id)
    .where('status', '=', 'PENDING')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Deletes a pending invitation; false when it is gone already (accepted or deleted by someone else). */
export async function deletePendingInvitation(db: Executor, id: string): Promise<boolean> {
  const r = await db.deleteFrom('invitations').where('id', '=', id).where('status', '=', 'PENDING').executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function deleteInvitation(db: Executor, id: string): Promise<boolean> {
  const r = await db.deleteFrom('invitations').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Marks a pending invitation declined; false when it is no longer pending. */
export async function rejectInvitation(db: Executor, id: string): Promise<boolean> {
  const r = await db
    .updateTable('invitations')
    .set({ status: 'REJECTED', token_hash: null })
    .where('id', '=', id)
    .where('status', '=', 'PENDING')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Every pending invitation (project and org), optionally of one organization: what the CLI lists. */
export async function listPendingInvitations(db: Executor, f: { orgId?: string } = {}): Promise<Invitation[]> {
  let q = invitations(db).where('invitations.status', '=', 'PENDING');
  if (f.orgId !== undefined) q = q.where('invitations.org_id', '=', f.orgId);
  const rows = await q.orderBy('invitations.created_at').orderBy('invitations.id').execute();
  return rows.map(toInvitation);
}

/**
 * Claims a pending invitation by deleting it, and answers what it carried *at that moment*: on
 * PostgreSQL the DELETE waits for a concurrent PATCH to commit and then returns its roles, so an
 * accept never grants roles that an already-acknowledged update replaced. Undefined when gone.
 */
export async function claimPendingInvitation(
  db: Executor,
  id: string,
): Promise<Pick<Invitation, 'roles' | 'teamIds' | 'groupRoleAssignments'> | undefined> {
  const row = await db
    .deleteFrom('invitations')
    .where('id', '=', id)
    .where('status', '=', 'PENDING')
    .returning(['roles', 'team_ids', 'group_role_assignments'])
    .executeTakeFirst();
  return (
    row && {
      roles: names.decode(row.roles),
      teamIds: names.decode(row.team_ids),
      groupRoleAssignments: assignmentsColumn.decode(row.group_role_assignments),
    }
  );
}

/** The address's pending project invitations in an organization (any project). */
export async function listPendingProjectInvitationsInOrg(
  db: Executor,
  orgId: string,
  username: string,
): Promise<Invitation[]> {
  const rows = await invitations(db)
    .where('invitations.kind', '=', 'project')
    .where('invitations.org_id', '=', orgId)
    .where('invitations.username_key', '=', username.toLowerCase())
    .where('invitations.status', '=', 'PENDING')
    .orderBy('invitations.created_at')
    .orderBy('invitations.id')
    .execute();
  return rows.map(toInvitation);
}

/** Invitations by id (any kind or state), in no particular order. */
export async function listInvitationsByIds(db: Executor, ids: readonly string[]): Promise<Invitation[]> {
  if (ids.length === 0) return [];
  const rows = await invitations(db)
    .where('invitations.id', 'in', [...ids])
    .execute();
  return rows.map(toInvitation);
}

/** Stored invitations, many at a time (bulk loads): multi-row inserts, no conflict handling. */
export async function insertInvitationsBatch(
  db: Executor,
  rows: ReadonlyArray<{ invitation: Invitation; tokenHash: string | null }>,
): Promise<void> {
  for (const chunk of chunksOf(rows, 17)) {
    await db
      .insertInto('invitations')
      .values(
        chunk.map(({ invitation: inv, tokenHash }) => ({
          id: inv.id,
          kind: inv.kind,
          org_id: inv.orgId,
          project_id: inv.projectId,
          scope_id: inv.kind === 'project' ? (inv.projectId as string) : inv.orgId,
          username: inv.username,
          username_key: inv.username.toLowerCase(),
          roles: names.encode(inv.roles),
          inviter_username: inv.inviterUsername,
          created_at: instant.encode(inv.createdAt),
          expires_at: instant.encode(inv.expiresAt),
          user_id: inv.userId,
          status: inv.status,
          source: inv.source,
          token_hash: tokenHash,
          team_ids: names.encode(inv.teamIds),
          group_role_assignments: assignmentsColumn.encode(inv.groupRoleAssignments),
        })),
      )
      .execute();
  }
}
