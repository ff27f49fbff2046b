import { type Kysely, SqliteAdapter, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * The web console (issue 11, docs/adr/0013):
 * - `console_accounts`: a person (a `users` row) who can sign in: the scrypt hash of their password
 *   (parameters inside the hash string), failed attempts since the last success and the lockout end.
 * - `console_sessions`: signed-in browsers, by the SHA-256 of the cookie's random id (a copy of the
 *   store opens no session), with their expiry on the server's clock; any node can check them.
 * - `spent_invitation_links`: what became of an invitation link's secret once its row is gone or
 *   declined (kept by triggers, so every writer, API or console, records it), so the invitee's page
 *   can say "already accepted", "cancelled" or "declined" instead of one vague answer.
 */
export const consoleTables: Migration = {
  async up(db: Kysely<any>) {
    const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
    await db.schema
      .createTable('console_accounts')
      .addColumn('user_id', 'varchar(24)', (c) => c.primaryKey())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('locked_until', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('console_sessions')
      .addColumn('id_hash', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('user_id', 'varchar(24)', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('console_sessions_by_user').on('console_sessions').columns(['user_id']).execute();
    await db.schema
      .createTable('spent_invitation_links')
      .addColumn('token_hash', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('org_id', 'varchar(24)', (c) => c.notNull())
      .addColumn('project_id', 'varchar(24)')
      .addColumn('username_key', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .execute();
    const spent = (row: 'old', outcome: string) =>
      `insert into spent_invitation_links (token_hash, kind, org_id, project_id, username_key, outcome) values (${row}.token_hash, ${row}.kind, ${row}.org_id, ${row}.project_id, ${row}.username_key, '${outcome}') on conflict (token_hash) do nothing`;
    const onDelete = spent('old', 'gone');
    const onDecline = spent('old', 'declined');
    if (sqlite) {
      await sql
        .raw(
          `create trigger invitations_spent_on_delete after delete on invitations for each row when old.token_hash is not null and old.status = 'PENDING' begin ${onDelete}; end`,
        )
        .execute(db);
      await sql
        .raw(
          `create trigger invitations_spent_on_decline after update of status on invitations for each row when old.token_hash is not null and new.status = 'REJECTED' begin ${onDecline}; end`,
        )
        .execute(db);
    } else {
      await sql
        .raw(
          `create function invitation_link_spent() returns trigger language plpgsql as $$ begin ${onDelete}; return null; end $$`,
        )
        .execute(db);
      await sql
        .raw(
          `create function invitation_link_declined() returns trigger language plpgsql as $$ begin ${onDecline}; return null; end $$`,
        )
        .execute(db);
      await sql
        .raw(
          `create trigger invitations_spent_on_delete after delete on invitations for each row when (old.token_hash is not null and old.status = 'PENDING') execute function invitation_link_spent()`,
        )
        .execute(db);
      await sql
        .raw(
          `create trigger invitations_spent_on_decline after update of status on invitations for each row when (old.token_hash is not null and new.status = 'REJECTED') execute function invitation_link_declined()`,
        )
        .execute(db);
    }
  },
};
