import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** Portable DDL only (text, integer): the same migration runs on SQLite and PostgreSQL. */
export const initial: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('orgs')
      .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('projects')
      .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
      .addColumn('org_id', 'varchar(24)', (c) => c.notNull().references('orgs.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('name_key', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('with_default_alerts_settings', 'integer', (c) => c.notNull())
      .addColumn('tags', 'text', (c) => c.notNull())
      .addUniqueConstraint('projects_org_name_unique', ['org_id', 'name_key'])
      .execute();
    await db.schema
      .createTable('api_keys')
      .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
      .addColumn('org_id', 'varchar(24)', (c) => c.notNull().references('orgs.id'))
      .addColumn('public_key', 'text', (c) => c.notNull().unique())
      .addColumn('private_key_sealed', 'text', (c) => c.notNull())
      .addColumn('private_key_tail', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('org_roles', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('api_key_project_roles')
      .addColumn('api_key_id', 'varchar(24)', (c) => c.notNull().references('api_keys.id').onDelete('cascade'))
      .addColumn('project_id', 'varchar(24)', (c) => c.notNull().references('projects.id').onDelete('cascade'))
      .addColumn('roles', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('api_key_project_roles_pk', ['api_key_id', 'project_id'])
      .execute();
    await db.schema
      .createTable('invitations')
      .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
      .addColumn('kind', 'varchar(16)', (c) => c.notNull())
      .addColumn('org_id', 'varchar(24)', (c) => c.notNull().references('orgs.id'))
      .addColumn('project_id', 'varchar(24)', (c) => c.references('projects.id').onDelete('cascade'))
      .addColumn('scope_id', 'varchar(24)', (c) => c.notNull())
      .addColumn('username', 'text', (c) => c.notNull())
      .addColumn('username_key', 'text', (c) => c.notNull())
      .addColumn('roles', 'text', (c) => c.notNull())
      .addColumn('inviter_username', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('invitations_one_pending', ['kind', 'scope_id', 'username_key'])
      .execute();
    await db.schema.createIndex('invitations_by_project').on('invitations').columns(['project_id']).execute();
    await db.schema
      .createTable('server_secrets')
      .addColumn('name', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
  },
};
