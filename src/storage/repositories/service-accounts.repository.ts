import type { Kysely, Selectable } from 'kysely';
import type { ServiceAccount, ServiceAccountSecretInfo } from '../../domain/service-accounts/service-account.ts';
import { instant, names, optionalInstant } from '../codec.ts';
import type { Database, ServiceAccountSecretsTable, ServiceAccountsTable } from '../schema.ts';

type Executor = Kysely<Database>;

const toSecret = (row: Selectable<ServiceAccountSecretsTable>): ServiceAccountSecretInfo => ({
  id: row.id,
  createdAt: instant.decode(row.created_at),
  expiresAt: instant.decode(row.expires_at),
  lastUsedAt: optionalInstant.decode(row.last_used_at),
  maskedSecretValue: row.masked_value,
});

async function hydrate(db: Executor, rows: Selectable<ServiceAccountsTable>[]): Promise<ServiceAccount[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [roles, secrets] = await Promise.all([
    db
      .selectFrom('service_account_project_roles')
      .selectAll()
      .where('service_account_id', 'in', ids)
      .orderBy('project_id')
      .execute(),
    db
      .selectFrom('service_account_secrets')
      .selectAll()
      .where('service_account_id', 'in', ids)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
  ]);
  return rows.map((row) => ({
    id: row.id,
    clientId: row.client_id,
    orgId: row.org_id,
    name: row.name,
    description: row.description,
    orgRoles: names.decode(row.org_roles),
    createdAt: instant.decode(row.created_at),
    projectAssignments: roles
      .filter((r) => r.service_account_id === row.id)
      .map((r) => ({ projectId: r.project_id, roles: names.decode(r.roles) })),
    secrets: secrets.filter((s) => s.service_account_id === row.id).map(toSecret),
  }));
}

export async function insertServiceAccount(
  db: Executor,
  sa: Omit<ServiceAccount, 'secrets' | 'projectAssignments'>,
): Promise<void> {
  await db
    .insertInto('service_accounts')
    .values({
      id: sa.id,
      client_id: sa.clientId,
      org_id: sa.orgId,
      name: sa.name,
      description: sa.description,
      org_roles: names.encode(sa.orgRoles),
      created_at: instant.encode(sa.createdAt),
    })
    .execute();
}

export async function updateServiceAccount(
  db: Executor,
  id: string,
  changes: { name?: string; description?: string; orgRoles?: readonly string[] },
): Promise<void> {
  const set: Partial<Record<'name' | 'description' | 'org_roles', string>> = {};
  if (changes.name !== undefined) set.name = changes.name;
  if (changes.description !== undefined) set.description = changes.description;
  if (changes.orgRoles !== undefined) set.org_roles = names.encode(changes.orgRoles);
  if (Object.keys(set).length > 0) await db.updateTable('service_accounts').set(set).where('id', '=', id).execute();
}

export async function deleteServiceAccount(db: Executor, id: string): Promise<boolean> {
  await db.deleteFrom('service_account_secrets').where('service_account_id', '=', id).execute();
  await db.deleteFrom('service_account_project_roles').where('service_account_id', '=', id).execute();
  await db
    .deleteFrom('access_list_entries')
    .where('owner_kind', '=', 'serviceAccount')
    .where('owner_id', '=', id)
    .execute();
  const r = await db.deleteFrom('service_accounts').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function findServiceAccountByClientId(
  db: Executor,
  clientId: string,
): Promise<ServiceAccount | undefined> {
  const rows = await db.selectFrom('service_accounts').selectAll().where('client_id', '=', clientId).execute();
  return (await hydrate(db, rows))[0];
}

export async function listServiceAccounts(
  db: Executor,
  q: { orgId: string; projectId?: string; offset: number; limit: number },
): Promise<{ items: ServiceAccount[]; total: number }> {
  let base = db.selectFrom('service_accounts').where('service_accounts.org_id', '=', q.orgId);
  if (q.projectId) {
    const projectId = q.projectId;
    base = base.where((eb) =>
      eb.exists(
        eb
          .selectFrom('service_account_project_roles')
          .select('project_id')
          .whereRef('service_account_project_roles.service_account_id', '=', 'service_accounts.id')
          .where('service_account_project_roles.project_id', '=', projectId),
      ),
    );
  }
  const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await base
    .selectAll('service_accounts')
    .orderBy('created_at')
    .orderBy('id')
    .offset(q.offset)
    .limit(q.limit)
    .execute();
  return { items: await hydrate(db, rows), total: Number(total) };
}

export async function setServiceAccountProjectRoles(
  db: Executor,
  serviceAccountId: string,
  projectId: string,
  roles: readonly string[],
): Promise<void> {
  await db
    .insertInto('service_account_project_roles')
    .values({ service_account_id: serviceAccountId, project_id: projectId, roles: names.encode(roles) })
    .onConflict((oc) => oc.columns(['service_account_id', 'project_id']).doUpdateSet({ roles: names.encode(roles) }))
    .execute();
}

export async function removeServiceAccountFromProject(
  db: Executor,
  serviceAccountId: string,
  projectId: string,
): Promise<boolean> {
  const r = await db
    .deleteFrom('service_account_project_roles')
    .where('service_account_id', '=', serviceAccountId)
    .where('project_id', '=', projectId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function insertSecret(
  db: Executor,
  s: {
    id: string;
    serviceAccountId: string;
    secretHash: string;
    maskedValue: string;
    createdAt: Date;
    expiresAt: Date;
  },
): Promise<void> {
  await db
    .insertInto('service_account_secrets')
    .values({
      id: s.id,
      service_account_id: s.serviceAccountId,
      secret_hash: s.secretHash,
      masked_value: s.maskedValue,
      created_at: instant.encode(s.createdAt),
      expires_at: instant.encode(s.expiresAt),
      last_used_at: null,
    })
    .execute();
}

export async function deleteSecret(db: Executor, serviceAccountId: string, secretId: string): Promise<boolean> {
  const r = await db
    .deleteFrom('service_account_secrets')
    .where('service_account_id', '=', serviceAccountId)
    .where('id', '=', secretId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** The account a secret belongs to, with that secret's expiry; undefined for an unknown secret. */
export async function findSecretByHash(
  db: Executor,
  clientId: string,
  secretHash: string,
): Promise<{ secretId: string; expiresAt: Date } | undefined> {
  const row = await db
    .selectFrom('service_account_secrets')
    .innerJoin('service_accounts', 'service_accounts.id', 'service_account_secrets.service_account_id')
    .select(['service_account_secrets.id', 'service_account_secrets.expires_at'])
    .where('service_accounts.client_id', '=', clientId)
    .where('service_account_secrets.secret_hash', '=', secretHash)
    .executeTakeFirst();
  return row && { secretId: row.id, expiresAt: instant.decode(row.expires_at) };
}

export async function touchSecret(db: Executor, secretId: string, at: Date): Promise<void> {
  await db
    .updateTable('service_account_secrets')
    .set({ last_used_at: instant.encode(at) })
    .where('id', '=', secretId)
    .execute();
}

/** Every service account (of one org), oldest first: the operator's CLI. */
export async function listAllServiceAccounts(db: Executor, orgId?: string): Promise<ServiceAccount[]> {
  let q = db.selectFrom('service_accounts').selectAll();
  if (orgId) q = q.where('org_id', '=', orgId);
  return hydrate(db, await q.orderBy('created_at').orderBy('id').execute());
}
