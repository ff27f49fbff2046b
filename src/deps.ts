import { randomBytes } from 'node:crypto';
import type { Config } from './config/config.ts';
import type { DomainContext } from './domain/context.ts';
import { type Clock, systemClock } from './lib/clock.ts';
import { type IdGenerator, objectIdGenerator } from './lib/object-id.ts';
import { createSecretBox } from './lib/secret-box.ts';
import { migrateToLatest, type OpenedDatabase, openDatabase } from './storage/database.ts';
import { getOrCreateSecret } from './storage/repositories/server-secrets.repository.ts';

/** The composition root: everything the server is made of, built once from the config. */
export interface Deps {
  readonly config: Config;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly ctx: DomainContext;
  readonly database: OpenedDatabase;
  /** Shared by every node through the database: the keys Digest nonces and OAuth tokens are signed with. */
  readonly nonceKey: Uint8Array;
  readonly tokenKey: Uint8Array;
  close(): Promise<void>;
}

export interface DepsOverrides {
  clock?: Clock;
  ids?: IdGenerator;
  pgSchema?: string;
}

export async function createDeps(config: Config, overrides: DepsOverrides = {}): Promise<Deps> {
  const clock = overrides.clock ?? systemClock;
  const ids = overrides.ids ?? objectIdGenerator(clock);
  const database = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, pgSchema: overrides.pgSchema });
  await migrateToLatest(database.db);
  const nonceKey = Buffer.from(
    await getOrCreateSecret(database.db, 'digest-nonce-key', () => randomBytes(32).toString('hex'), clock.now()),
    'hex',
  );
  const tokenKey = Buffer.from(
    await getOrCreateSecret(database.db, 'oauth-signing-key', () => randomBytes(32).toString('hex'), clock.now()),
    'hex',
  );
  const ctx: DomainContext = { db: database.db, clock, ids, secrets: createSecretBox(config.secretKey) };
  return { config, clock, ids, ctx, database, nonceKey, tokenKey, close: () => database.close() };
}
