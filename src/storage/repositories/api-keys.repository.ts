import type { Kysely } from 'kysely';
import type { ApiKey } from '../../domain/api-keys/api-key.ts';
import { instant, names } from '../codec.ts';
import type { ApiKeysTable, Database } from '../schema.ts';

type Executor = Kysely<Database>;

export interface StoredApiKey extends ApiKey {
  /** The private key sealed with the server's secret key (Digest needs the key itself). */
  readonly privateKeySealed: string;
}

async function withAssignments(db: Executor, rows: ApiKeysTable[]): Promise<StoredApiKey[]> {
  if (rows.length === 0) return [];
  const assignments = await db
    .selectFrom('api_key_project_roles')
    .selectAll()
    .where(
      'api_key_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('project_id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    orgId: row.org_id,
    publicKey: row.public_key,
    privateKeyTail: row.private_key_tail,
    privateKeySealed: row.private_key_sealed,
    description: row.description,
    orgRoles: names.decode(row.org_roles),
    createdAt: instant.decode(row.created_at),
    projectAssignments: assignments
      .filter((a) => a.api_key_id === row.id)
      .map((a) => ({ projectId: a.project_id, roles: names.decode(a.roles) })),
  }));
}

export async function insertApiKey(db: Executor, key: StoredApiKey): Promise<void> {
  await db
    .insertInto('api_keys')
    .values({
      id: key.id,
      org_id: key.orgId,
      public_key: key.publicKey,
      private_key_sealed: key.privateKeySealed,
      private_key_tail: key.privateKeyTail,
      description: key.description,
      org_roles: names.encode(key.orgRoles),
      created_at: instant.encode(key.createdAt),
    })
    .execute();
  for (const a of key.projectAssignments) await setApiKeyProjectRoles(db, key.id, a.projectId, a.roles);
}

export async function setApiKeyProjectRoles(
  db: Executor,
  apiKeyId: string,
  projectId: string,
  roles: readonly string[],
): Promise<void> {
  await db
    .insertInto('api_key_project_roles')
    .values({ api_key_id: apiKeyId, project_id: projectId, roles: names.encode(roles) })
    .onConflict((oc) => oc.columns(['api_key_id', 'project_id']).doUpdateSet({ roles: names.encode(roles) }))
    .execute();
}

export async function findApiKeyByPublicKey(db: Executor, publicKey: string): Promise<StoredApiKey | undefined> {
  const rows = await db.selectFrom('api_keys').selectAll().where('public_key', '=', publicKey).execute();
  return (await withAssignments(db, rows))[0];
}

export async function listApiKeys(db: Executor, orgId?: string): Promise<StoredApiKey[]> {
  let q = db.selectFrom('api_keys').selectAll();
  if (orgId) q = q.where('org_id', '=', orgId);
  return withAssignments(db, await q.orderBy('created_at').orderBy('id').execute());
}

export async function updateSealedPrivateKey(db: Executor, id: string, sealed: string): Promise<void> {
  await db.updateTable('api_keys').set({ private_key_sealed: sealed }).where('id', '=', id).execute();
}

export async function findApiKeyById(db: Executor, id: string): Promise<StoredApiKey | undefined> {
  const rows = await db.selectFrom('api_keys').selectAll().where('id', '=', id).execute();
  return (await withAssignments(db, rows))[0];
}

export interface ApiKeyPageQuery {
  orgId: string;
  /** Only the keys explicitly assigned to this project. */
  projectId?: string;
  offset: number;
  limit: number;
}

/** A page of an organization's (or a project's) keys in Atlas's order: by public key. */
export async function listApiKeysPage(
  db: Executor,
  q: ApiKeyPageQuery,
): Promise<{ items: StoredApiKey[]; total: number }> {
  let base = db.selectFrom('api_keys').where('org_id', '=', q.orgId);
  if (q.projectId) {
    const projectId = q.projectId;
    base = base.where(
      'id',
      'in',
      db.selectFrom('api_key_project_roles').select('api_key_id').where('project_id', '=', projectId),
    );
  }
  const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await base.selectAll().orderBy('public_key').offset(q.offset).limit(q.limit).execute();
  return { items: await withAssignments(db, rows), total: Number(total) };
}

export async function updateApiKey(
  db: Executor,
  id: string,
  changes: { description?: string; orgRoles?: readonly string[] },
): Promise<void> {
  const set: { description?: string; org_roles?: string } = {};
  if (changes.description !== undefined) set.description = changes.description;
  if (changes.orgRoles !== undefined) set.org_roles = names.encode(changes.orgRoles);
  if (Object.keys(set).length === 0) return;
  await db.updateTable('api_keys').set(set).where('id', '=', id).execute();
}

export async function deleteApiKeyProjectRoles(db: Executor, apiKeyId: string, projectId: string): Promise<boolean> {
  const r = await db
    .deleteFrom('api_key_project_roles')
    .where('api_key_id', '=', apiKeyId)
    .where('project_id', '=', projectId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Deletes the key and its project assignments (its access list is the access-lists repository's). */
export async function deleteApiKey(db: Executor, id: string): Promise<boolean> {
  await db.deleteFrom('api_key_project_roles').where('api_key_id', '=', id).execute();
  const r = await db.deleteFrom('api_keys').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
