import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * The invitation lifecycle: people (users), their memberships, invitation state and accept links,
 * the events feed, and the mail outbox.
 */
export const lifecycle: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('users')
      .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
      .addColumn('username', 'text', (c) => c.notNull())
      .addColumn('username_key', 'text', (c) => c.notNull().unique())
      .addColumn('first_name', 'text')
      .addColumn('last_name', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('org_memberships')
      .addColumn('org_id', 'varchar(24)', (c) => c.notNull().references('orgs.id'))
      .addColumn('user_id', 'varchar(24)', (c) => c.notNull().references('users.id'))
      .addColumn('roles', 'text', (c) => c.notNull())
      .addColumn('team_ids', 'text', (c) => c.notNull())
      .addColumn('joined_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('org_memberships_pk', ['org_id', 'user_id'])
      .execute();
    await db.schema
      .createTable('project_memberships')
      .addColumn('project_id', 'varchar(24)', (c) => c.notNull().references('projects.id').onDelete('cascade'))
      .addColumn('user_id', 'varchar(24)', (c) => c.notNull().references('users.id'))
      .addColumn('roles', 'text', (c) => c.notNull())
      .addColumn('joined_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('project_memberships_pk', ['project_id', 'user_id'])
      .execute();
    // Invitations gain: the pending user they are for, their state, how they were made, the hash
    // of the accept/decline link token, and (org invitations) teams and project role assignments.
    await db.schema.alterTable('invitations').addColumn('user_id', 'varchar(24)').execute();
    await db.schema
      .alterTable('invitations')
      .addColumn('status', 'varchar(16)', (c) => c.notNull().defaultTo('PENDING'))
      .execute();
    await db.schema
      .alterTable('invitations')
      .addColumn('source', 'varchar(16)', (c) => c.notNull().defaultTo('invites'))
      .execute();
    await db.schema.alterTable('invitations').addColumn('token_hash', 'varchar(64)').execute();
    await db.schema
      .alterTable('invitations')
      .addColumn('team_ids', 'text', (c) => c.notNull().defaultTo('[]'))
      .execute();
    await db.schema
      .alterTable('invitations')
      .addColumn('group_role_assignments', 'text', (c) => c.notNull().defaultTo('[]'))
      .execute();
    await db.schema.createIndex('invitations_by_token').on('invitations').column('token_hash').execute();
    await db.schema.createIndex('invitations_by_org').on('invitations').columns(['org_id', 'kind']).execute();
    await db.schema
      .createTable('events')
      .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
      .addColumn('org_id', 'varchar(24)')
      .addColumn('project_id', 'varchar(24)')
      .addColumn('event_type', 'varchar(64)', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('api_key_id', 'varchar(24)')
      .addColumn('public_key', 'text')
      .addColumn('user_id', 'varchar(24)')
      .addColumn('username', 'text')
      .addColumn('target_username', 'text')
      .addColumn('remote_address', 'text')
      .execute();
    await db.schema.createIndex('events_by_org').on('events').columns(['org_id', 'created_at']).execute();
    await db.schema.createIndex('events_by_project').on('events').columns(['project_id', 'created_at']).execute();
    await db.schema
      .createTable('mail_outbox')
      .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
      .addColumn('recipient', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('text_body', 'text', (c) => c.notNull())
      .addColumn('html_body', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'text', (c) => c.notNull())
      .addColumn('sent_at', 'text')
      .addColumn('last_error', 'text')
      .execute();
    await db.schema.createIndex('mail_outbox_due').on('mail_outbox').columns(['sent_at', 'next_attempt_at']).execute();
  },
};
