import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

type Executor = Kysely<Database>;

/** The few writes declared fixtures need that no service makes (src/domain/fixtures/apply-fixtures.ts). */
export async function findOrgIdByName(db: Executor, name: string): Promise<string | undefined> {
  return (await db.selectFrom('orgs').select('id').where('name', '=', name).orderBy('id').executeTakeFirst())?.id;
}

export async function renameOrg(db: Executor, id: string, name: string): Promise<void> {
  await db.updateTable('orgs').set({ name }).where('id', '=', id).where('name', '<>', name).execute();
}

export async function setUserNames(
  db: Executor,
  id: string,
  firstName: string | null,
  lastName: string | null,
): Promise<void> {
  await db.updateTable('users').set({ first_name: firstName, last_name: lastName }).where('id', '=', id).execute();
}

export async function setApiKeyPrivateKey(db: Executor, id: string, sealed: string, tail: string): Promise<void> {
  await db
    .updateTable('api_keys')
    .set({ private_key_sealed: sealed, private_key_tail: tail })
    .where('id', '=', id)
    .execute();
}

/** Drops a credential's project roles outside `projectIds`. */
export async function keepProjectRoles(
  db: Executor,
  owner: 'apiKey' | 'serviceAccount',
  ownerId: string,
  projectIds: readonly string[],
): Promise<void> {
  const q =
    owner === 'apiKey'
      ? db.deleteFrom('api_key_project_roles').where('api_key_id', '=', ownerId)
      : db.deleteFrom('service_account_project_roles').where('service_account_id', '=', ownerId);
  await (projectIds.length ? q.where('project_id', 'not in', projectIds) : q).execute();
}
