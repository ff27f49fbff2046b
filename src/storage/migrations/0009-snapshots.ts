import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * `snapshots`: copies of the store's data tables (src/storage/snapshot-tables.ts), one JSON text
 * per snapshot, kept in the store so every node can restore them (ADR 0011).
 */
export const snapshots: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('snapshots')
      .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .execute();
  },
};
