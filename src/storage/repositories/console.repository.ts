import type { Kysely } from 'kysely';
import { instant, integer, names, optionalInstant } from '../codec.ts';
import type { Database } from '../schema.ts';

type Executor = Kysely<Database>;

export interface ConsoleAccountRow {
  userId: string;
  passwordHash: string;
  failedAttempts: number;
  lockedUntil: Date | null;
}

export async function findConsoleAccount(db: Executor, userId: string): Promise<ConsoleAccountRow | undefined> {
  const row = await db.selectFrom('console_accounts').selectAll().where('user_id', '=', userId).executeTakeFirst();
  return (
    row && {
      userId: row.user_id,
      passwordHash: row.password_hash,
      failedAttempts: integer.decode(row.failed_attempts),
      lockedUntil: optionalInstant.decode(row.locked_until),
    }
  );
}

/** Sets (or replaces) a person's password; a new password also lifts any lockout. */
export async function upsertConsoleAccount(
  db: Executor,
  userId: string,
  passwordHash: string,
  at: Date,
): Promise<void> {
  await db
    .insertInto('console_accounts')
    .values({
      user_id: userId,
      password_hash: passwordHash,
      failed_attempts: 0,
      locked_until: null,
      created_at: instant.encode(at),
    })
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet({ password_hash: passwordHash, failed_attempts: 0, locked_until: null }),
    )
    .execute();
}

export async function setFailedAttempts(
  db: Executor,
  userId: string,
  failedAttempts: number,
  lockedUntil: Date | null,
): Promise<void> {
  await db
    .updateTable('console_accounts')
    .set({ failed_attempts: failedAttempts, locked_until: optionalInstant.encode(lockedUntil) })
    .where('user_id', '=', userId)
    .execute();
}

export async function insertSession(
  db: Executor,
  s: { idHash: string; userId: string; createdAt: Date; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('console_sessions')
    .values({
      id_hash: s.idHash,
      user_id: s.userId,
      created_at: instant.encode(s.createdAt),
      expires_at: instant.encode(s.expiresAt),
    })
    .execute();
}

export async function findSession(
  db: Executor,
  idHash: string,
): Promise<{ userId: string; expiresAt: Date } | undefined> {
  const row = await db
    .selectFrom('console_sessions')
    .select(['user_id', 'expires_at'])
    .where('id_hash', '=', idHash)
    .executeTakeFirst();
  return row && { userId: row.user_id, expiresAt: instant.decode(row.expires_at) };
}

export async function setSessionExpiry(db: Executor, idHash: string, expiresAt: Date): Promise<void> {
  await db
    .updateTable('console_sessions')
    .set({ expires_at: instant.encode(expiresAt) })
    .where('id_hash', '=', idHash)
    .execute();
}

export async function deleteSession(db: Executor, idHash: string): Promise<void> {
  await db.deleteFrom('console_sessions').where('id_hash', '=', idHash).execute();
}

/** A password reset signs the person out everywhere. */
export async function deleteSessionsOf(db: Executor, userId: string): Promise<void> {
  await db.deleteFrom('console_sessions').where('user_id', '=', userId).execute();
}

export async function findSpentLink(
  db: Executor,
  tokenHash: string,
): Promise<
  | {
      kind: 'project' | 'org';
      orgId: string;
      projectId: string | null;
      usernameKey: string;
      outcome: 'gone' | 'declined';
    }
  | undefined
> {
  const row = await db
    .selectFrom('spent_invitation_links')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  return (
    row && {
      kind: row.kind,
      orgId: row.org_id,
      projectId: row.project_id,
      usernameKey: row.username_key,
      outcome: row.outcome,
    }
  );
}

/** The organizations a person is a member of, with their org roles there. */
export async function listMembershipsOfUser(
  db: Executor,
  userId: string,
): Promise<Array<{ orgId: string; orgName: string; roles: string[] }>> {
  const rows = await db
    .selectFrom('org_memberships')
    .innerJoin('orgs', 'orgs.id', 'org_memberships.org_id')
    .select(['org_memberships.org_id', 'orgs.name', 'org_memberships.roles'])
    .where('org_memberships.user_id', '=', userId)
    .orderBy('orgs.name')
    .execute();
  return rows.map((r) => ({ orgId: r.org_id, orgName: r.name, roles: names.decode(r.roles) }));
}
