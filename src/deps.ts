import { randomBytes } from 'node:crypto';
import type { Config } from './config/config.ts';
import type { DomainContext } from './domain/context.ts';
import { type Clock, type MovableClock, offsetClock, systemClock } from './lib/clock.ts';
import { type IdGenerator, objectIdGenerator } from './lib/object-id.ts';
import { createSecretBox } from './lib/secret-box.ts';
import { createOutboxWorker, type OutboxWorker } from './mail/outbox-worker.ts';
import { captureTransport, smtpTransport } from './mail/transport.ts';
import { migrateToLatest, type OpenedDatabase, openDatabase } from './storage/database.ts';
import { sharedSecret } from './domain/server-secrets.ts';
import { createAccessCache } from './domain/access-cache.ts';

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
  /** The clock the control plane moves (present with `--control-plane`, or a test's movable clock). */
  readonly movableClock: MovableClock | null;
  /** The control plane's bearer token (`--control-token`, else generated once and kept in the database). */
  readonly controlToken: string;
  /** Delivers queued mail (SMTP, or capture for the mailbox); `serve` starts it, tests drain it. */
  readonly outbox: OutboxWorker;
  /** Tells the domain the address the server listens on (for links in mail) once it is known. */
  setListenUrl(url: string): void;
  close(): Promise<void>;
}

export interface DepsOverrides {
  clock?: Clock | MovableClock;
  ids?: IdGenerator;
  pgSchema?: string;
}

export async function createDeps(config: Config, overrides: DepsOverrides = {}): Promise<Deps> {
  const clock = overrides.clock ?? (config.controlPlane ? offsetClock() : systemClock);
  const movableClock = 'advance' in clock && 'set' in clock ? (clock as MovableClock) : null;
  const ids = overrides.ids ?? objectIdGenerator(clock);
  const database = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, pgSchema: overrides.pgSchema });
  await migrateToLatest(database.db, overrides.pgSchema);
  const secrets = createSecretBox(config.secretKey);
  const shared = (name: string, make: () => string) => sharedSecret(database.db, secrets, name, make, clock.now());
  const nonceKey = Buffer.from(await shared('digest-nonce-key', () => randomBytes(32).toString('hex')), 'hex');
  const tokenKey = Buffer.from(await shared('oauth-signing-key', () => randomBytes(32).toString('hex')), 'hex');
  const controlToken = config.controlToken ?? (await shared('control-token', () => `cit_${randomBytes(24).toString('base64url')}`));
  let listenUrl = `http://${config.host}:${config.port}`;
  const baseUrl = () => (config.publicUrl ?? listenUrl).replace(/\/$/, '');
  const ctx: DomainContext = { db: database.db, clock, ids, secrets, baseUrl, cache: createAccessCache(database.db) };
  const transport = config.smtpUrl ? smtpTransport(config.smtpUrl, config.mailFrom) : captureTransport;
  const outbox = createOutboxWorker({ db: database.db, clock, transport, secrets });
  return {
    outbox,
    config,
    clock,
    ids,
    ctx,
    database,
    nonceKey,
    tokenKey,
    movableClock,
    controlToken,
    setListenUrl: (url) => {
      listenUrl = url;
    },
    close: async () => {
      await outbox.stop();
      await database.close();
    },
  };
}
