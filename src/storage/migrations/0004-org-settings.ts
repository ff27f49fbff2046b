import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** Organization setting: let the users API show invitees of the deprecated project-invitation endpoint. */
export const orgSettings: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('orgs')
      .addColumn('users_api_shows_project_invitees', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  },
};
