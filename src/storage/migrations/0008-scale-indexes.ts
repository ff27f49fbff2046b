import { type Kysely, SqliteAdapter, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * What keeps every hot call bounded at any store size (issue 9, docs/scale.md):
 * - invitations: a project's (or org's) list in its order, `(scope_id, kind, status, created_at, id)`;
 *   by organization and address, `(org_id, username_key)` (replaces `(org_id, kind)`, its prefix).
 *   On PostgreSQL also `(kind, scope_id, username_key collate "C")`: the users API pages an
 *   organization by address in byte order, whatever the database's collation.
 * - org_memberships gains `username_key` (the member's address, lower case), so an organization's
 *   members page by address from an index, `(org_id, username_key, user_id)`, without reading the
 *   users of the whole organization; filled by addOrgMembership, backfilled here.
 * - `org_member_counts`: each organization's member count, kept by triggers in the transaction of
 *   the change, so a page's total costs one row instead of a count of every member.
 * - project_memberships by user: one user's project roles in an organization.
 * - events: the feeds in their order, `(project_id, created_at, id)` (replaces `(project_id,
 *   created_at)`) and, for an organization's own events, `(org_id, created_at, id, project_id) where
 *   project_id is null` (project_id, always null there, lets SQLite count from the index alone;
 *   replaces `(org_id, created_at)`, which nothing else reads).
 */
export const scaleIndexes: Migration = {
  async up(db: Kysely<any>) {
    const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
    await db.schema
      .createIndex('invitations_by_scope')
      .on('invitations')
      .columns(['scope_id', 'kind', 'status', 'created_at', 'id'])
      .execute();
    await db.schema.dropIndex('invitations_by_org').execute();
    await db.schema
      .createIndex('invitations_by_org_user')
      .on('invitations')
      .columns(['org_id', 'username_key'])
      .execute();
    if (!sqlite)
      await sql`create index invitations_by_scope_name on invitations (kind, scope_id, username_key collate "C")`.execute(
        db,
      );

    await sql
      .raw(`alter table org_memberships add column username_key text${sqlite ? '' : ' collate "C"'}`)
      .execute(db);
    await sql`update org_memberships set username_key = (select users.username_key from users where users.id = org_memberships.user_id)`.execute(
      db,
    );
    await db.schema
      .createIndex('org_memberships_by_name')
      .on('org_memberships')
      .columns(['org_id', 'username_key', 'user_id'])
      .execute();
    await db.schema
      .createIndex('project_memberships_by_user')
      .on('project_memberships')
      .columns(['user_id', 'project_id'])
      .execute();

    await db.schema
      .createTable('org_member_counts')
      .addColumn('org_id', 'varchar(24)', (c) => c.primaryKey())
      .addColumn('members', 'bigint', (c) => c.notNull())
      .execute();
    await sql`insert into org_member_counts (org_id, members) select org_id, count(*) from org_memberships group by org_id`.execute(
      db,
    );
    const plus = `insert into org_member_counts (org_id, members) values (new.org_id, 1) on conflict (org_id) do update set members = org_member_counts.members + 1`;
    const minus = `update org_member_counts set members = members - 1 where org_id = old.org_id`;
    if (sqlite) {
      await sql
        .raw(
          `create trigger org_memberships_insert_count after insert on org_memberships for each row begin ${plus}; end`,
        )
        .execute(db);
      await sql
        .raw(
          `create trigger org_memberships_delete_count after delete on org_memberships for each row begin ${minus}; end`,
        )
        .execute(db);
    } else {
      await sql
        .raw(
          `create function org_member_count_plus() returns trigger language plpgsql as $$ begin ${plus}; return null; end $$`,
        )
        .execute(db);
      await sql
        .raw(
          `create function org_member_count_minus() returns trigger language plpgsql as $$ begin ${minus}; return null; end $$`,
        )
        .execute(db);
      await sql`create trigger org_memberships_insert_count after insert on org_memberships for each row execute function org_member_count_plus()`.execute(
        db,
      );
      await sql`create trigger org_memberships_delete_count after delete on org_memberships for each row execute function org_member_count_minus()`.execute(
        db,
      );
    }

    await db.schema.dropIndex('events_by_project').execute();
    await db.schema.createIndex('events_by_project').on('events').columns(['project_id', 'created_at', 'id']).execute();
    await db.schema.dropIndex('events_by_org').execute();
    await db.schema
      .createIndex('events_by_org')
      .on('events')
      .columns(['org_id', 'created_at', 'id', 'project_id'])
      .where(sql.ref('project_id'), 'is', null)
      .execute();
  },
};
