import type { Kysely, Selectable } from 'kysely';
import type { Org } from '../../domain/orgs/org.ts';
import { chunksOf } from '../batch.ts';
import { flag, instant } from '../codec.ts';
import type { Database, OrgsTable } from '../schema.ts';

type Executor = Kysely<Database>;

const toOrg = (row: Selectable<OrgsTable>): Org => ({
  id: row.id,
  name: row.name,
  createdAt: instant.decode(row.created_at),
  apiAccessListRequired: flag.decode(row.api_access_list_required),
  usersApiShowsProjectInvitees: flag.decode(row.users_api_shows_project_invitees),
});

export async function insertOrg(db: Executor, org: Org): Promise<void> {
  await db
    .insertInto('orgs')
    .values({
      id: org.id,
      name: org.name,
      created_at: instant.encode(org.createdAt),
      api_access_list_required: flag.encode(org.apiAccessListRequired),
    })
    .execute();
}

/** New organizations, many at a time (bulk loads). */
export async function insertOrgsBatch(db: Executor, orgs: readonly Org[]): Promise<void> {
  for (const chunk of chunksOf(orgs, 4)) {
    await db
      .insertInto('orgs')
      .values(
        chunk.map((org) => ({
          id: org.id,
          name: org.name,
          created_at: instant.encode(org.createdAt),
          api_access_list_required: flag.encode(org.apiAccessListRequired),
        })),
      )
      .execute();
  }
}

export async function findOrg(db: Executor, id: string): Promise<Org | undefined> {
  const row = await db.selectFrom('orgs').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toOrg(row);
}

export async function listOrgs(db: Executor): Promise<Org[]> {
  const rows = await db.selectFrom('orgs').selectAll().orderBy('created_at').orderBy('id').execute();
  return rows.map(toOrg);
}

/** updateOrg: the new name; false when no org has the id. */
export async function renameOrg(db: Executor, id: string, name: string): Promise<boolean> {
  const r = await db.updateTable('orgs').set({ name }).where('id', '=', id).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function setOrgAccessListRequired(db: Executor, id: string, required: boolean): Promise<boolean> {
  const r = await db
    .updateTable('orgs')
    .set({ api_access_list_required: flag.encode(required) })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function setOrgUsersApiShowsProjectInvitees(db: Executor, id: string, show: boolean): Promise<boolean> {
  const r = await db
    .updateTable('orgs')
    .set({ users_api_shows_project_invitees: flag.encode(show) })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
