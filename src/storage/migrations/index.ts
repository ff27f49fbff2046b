import type { Migration, MigrationProvider } from 'kysely/migration';
import { initial } from './0001-initial.ts';

/** Ordered, explicit migrations. Append only: never edit one that has shipped. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': initial,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
