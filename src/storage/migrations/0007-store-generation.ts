import { type Kysely, SqliteAdapter, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * What the access cache (src/domain/access-cache.ts) may keep, and the columns whose change must
 * drop it: every node reads `store_generation` once per request and forgets what it cached when
 * the number moved. Triggers bump it in the transaction of the change, so no write path can forget
 * to. Columns that change on every call (an access-list entry's last use) are left out.
 */
const CACHED_COLUMNS: Record<string, readonly string[]> = {
  orgs: ['name', 'api_access_list_required', 'users_api_shows_project_invitees'],
  projects: ['org_id', 'name', 'with_default_alerts_settings', 'tags'],
  api_keys: ['org_id', 'public_key', 'private_key_sealed', 'org_roles'],
  api_key_project_roles: ['api_key_id', 'project_id', 'roles'],
  access_list_entries: ['owner_kind', 'owner_id', 'cidr_block'],
  service_accounts: ['client_id', 'org_id', 'org_roles'],
  service_account_project_roles: ['service_account_id', 'project_id', 'roles'],
  revoked_tokens: ['jti'],
};

export const storeGeneration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('store_generation')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('generation', 'bigint', (c) => c.notNull())
      .execute();
    await db.insertInto('store_generation').values({ id: 1, generation: 1 }).execute();
    const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
    if (!sqlite) {
      await sql`create function bump_store_generation() returns trigger language plpgsql as $$
        begin update store_generation set generation = generation + 1 where id = 1; return null; end $$`.execute(db);
    }
    for (const [table, columns] of Object.entries(CACHED_COLUMNS)) {
      const changed = columns
        .map((c) => (sqlite ? `old.${c} is not new.${c}` : `old.${c} is distinct from new.${c}`))
        .join(' or ');
      const events: Array<[string, string]> = [
        ['insert', ''],
        ['delete', ''],
        ['update', `when (${changed})`],
      ];
      for (const [event, when] of events) {
        const name = `${table}_${event}_generation`;
        const statement = sqlite
          ? `create trigger ${name} after ${event} on ${table} for each row ${when} begin update store_generation set generation = generation + 1 where id = 1; end`
          : `create trigger ${name} after ${event} on ${table} for each row ${when} execute function bump_store_generation()`;
        await sql.raw(statement).execute(db);
      }
    }
  },
};
