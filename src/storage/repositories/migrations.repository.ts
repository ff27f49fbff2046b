import { type Kysely, sql } from 'kysely';
import { migrationProvider } from '../migrations/index.ts';
import type { Database } from '../schema.ts';

/** The newest migration this build has (names sort in order). */
export async function latestMigration(): Promise<string> {
  return (
    Object.keys(await migrationProvider.getMigrations())
      .sort()
      .at(-1) ?? ''
  );
}

/** The newest migration the store has run: one query, so it also tells whether the store answers. */
export async function latestAppliedMigration(db: Kysely<Database>): Promise<string | null> {
  const r = await sql<{ name: string | null }>`select max(name) as name from kysely_migration`.execute(db);
  return r.rows[0]?.name ?? null;
}
