import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** Service accounts, their secrets, API access lists, revoked tokens and shared rate-limit buckets. */
export const accessControl: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('orgs')
      .addColumn('api_access_list_required', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .createTable('service_accounts')
      .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
      .addColumn('client_id', 'varchar(40)', (c) => c.notNull().unique())
      .addColumn('org_id', 'varchar(24)', (c) => c.notNull().references('orgs.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('org_roles', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('service_account_project_roles')
      .addColumn('service_account_id', 'varchar(24)', (c) =>
        c.notNull().references('service_accounts.id').onDelete('cascade'),
      )
      .addColumn('project_id', 'varchar(24)', (c) => c.notNull().references('projects.id').onDelete('cascade'))
      .addColumn('roles', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('service_account_project_roles_pk', ['service_account_id', 'project_id'])
      .execute();
    await db.schema
      .createTable('service_account_secrets')
      .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
      .addColumn('service_account_id', 'varchar(24)', (c) =>
        c.notNull().references('service_accounts.id').onDelete('cascade'),
      )
      .addColumn('secret_hash', 'varchar(64)', (c) => c.notNull().unique())
      .addColumn('masked_value', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('last_used_at', 'text')
      .execute();
    await db.schema
      .createTable('access_list_entries')
      .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
      .addColumn('owner_kind', 'varchar(16)', (c) => c.notNull())
      .addColumn('owner_id', 'varchar(24)', (c) => c.notNull())
      .addColumn('cidr_block', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_used_at', 'text')
      .addColumn('last_used_address', 'text')
      .addColumn('request_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addUniqueConstraint('access_list_entries_unique', ['owner_kind', 'owner_id', 'cidr_block'])
      .execute();
    await db.schema
      .createIndex('access_list_by_owner')
      .on('access_list_entries')
      .columns(['owner_kind', 'owner_id'])
      .execute();
    await db.schema
      .createTable('revoked_tokens')
      .addColumn('jti', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('rate_limit_buckets')
      .addColumn('bucket_key', 'varchar(255)', (c) => c.primaryKey())
      .addColumn('tokens', 'double precision', (c) => c.notNull())
      .addColumn('updated_at_ms', 'bigint', (c) => c.notNull())
      .execute();
  },
};
