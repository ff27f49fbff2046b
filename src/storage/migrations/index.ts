import type { Migration, MigrationProvider } from 'kysely/migration';
import { initial } from './0001-initial.ts';
import { accessControl } from './0002-access-control.ts';
import { lifecycle } from './0003-lifecycle.ts';
import { orgSettings } from './0004-org-settings.ts';
import { hardening } from './0005-hardening.ts';
import { rateLimitCounters } from './0006-rate-limit-counters.ts';
import { storeGeneration } from './0007-store-generation.ts';
import { scaleIndexes } from './0008-scale-indexes.ts';
import { snapshots } from './0009-snapshots.ts';
import { consoleTables } from './0010-console.ts';

/** Ordered, explicit migrations. Append only: never edit one that has shipped. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-access-control': accessControl,
  '0003-lifecycle': lifecycle,
  '0004-org-settings': orgSettings,
  '0005-hardening': hardening,
  '0006-rate-limit-counters': rateLimitCounters,
  '0007-store-generation': storeGeneration,
  '0008-scale-indexes': scaleIndexes,
  '0009-snapshots': snapshots,
  '0010-console': consoleTables,
};

/** Every migration's name, in order: the last is the schema this build needs. */
export const MIGRATION_NAMES: readonly string[] = Object.keys(MIGRATIONS).sort();

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
