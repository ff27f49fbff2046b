import type { Kysely } from 'kysely';
import type { Org } from '../../domain/orgs/org.ts';
import type { Database, OrgsTable } from '../schema.ts';

type Executor = Kysely<Database>;

const toOrg = (row: OrgsTable): Org => ({ id: row.id, name: row.name, createdAt: new Date(row.created_at) });

export async function insertOrg(db: Executor, org: Org): Promise<void> {
  await db
    .insertInto('orgs')
    .values({ id: org.id, name: org.name, created_at: org.createdAt.toISOString() })
    .execute();
}

export async function findOrg(db: Executor, id: string): Promise<Org | undefined> {
  const row = await db.selectFrom('orgs').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toOrg(row);
}

export async function listOrgs(db: Executor): Promise<Org[]> {
  const rows = await db.selectFrom('orgs').selectAll().orderBy('created_at').orderBy('id').execute();
  return rows.map(toOrg);
}
