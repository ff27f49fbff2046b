import type { Config } from './config/config.ts';
import type { DomainContext } from './domain/context.ts';
import { type Clock, type MovableClock, movableClock as frozenClock, offsetClock, systemClock } from './lib/clock.ts';
import { cryptoRandom, type RandomSource, seededRandom } from './lib/random.ts';
import { type IdGenerator, objectIdGenerator } from './lib/object-id.ts';
import { createSecretBox } from './lib/secret-box.ts';
import { createOutboxWorker, type OutboxWorker } from './mail/outbox-worker.ts';
import { captureTransport, smtpTransport } from './mail/transport.ts';
import { migrateToLatest, type OpenedDatabase, openDatabase } from './storage/database.ts';
import { sharedSecret } from './domain/server-secrets.ts';
import { createAccessCache } from './domain/access-cache.ts';
import type { Fixtures } from './domain/fixtures/fixtures.ts';

/** The composition root: everything the server is made of, built once from the config. */
export interface Deps {
  readonly config: Config;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** The CSPRNG, or the `--id-seed` stream; each consumer forks its own. */
  readonly random: RandomSource;
  readonly ctx: DomainContext;
  readonly database: OpenedDatabase;
  /** Shared by every node through the database: the keys Digest nonces and OAuth tokens are signed with. */
  readonly nonceKey: Uint8Array;
  readonly tokenKey: Uint8Array;
  /** The clock the control plane moves (present with `--control-plane`, or a test's movable clock). */
  readonly movableClock: MovableClock | null;
  /** The control plane's bearer token (`--control-token`, else generated once and kept in the database). */
  readonly controlToken: string;
  /** The declared fixtures (`--fixtures`), checked at start; reset goes back to them. */
  readonly fixtures: Fixtures | null;
  /** Delivers queued mail (SMTP, or capture for the mailbox); `serve` starts it, tests drain it. */
  readonly outbox: OutboxWorker;
  /** Tells the domain the address the server listens on (for links in mail) once it is known. */
  setListenUrl(url: string): void;
  close(): Promise<void>;
}

/** Where the control plane's clock starts with `--id-seed` (ADR 0011). */
const SEEDED_CLOCK_START = new Date('2025-01-01T00:00:00Z');

export interface DepsOverrides {
  clock?: Clock | MovableClock;
  ids?: IdGenerator;
  pgSchema?: string;
  fixtures?: Fixtures | null;
}

export async function createDeps(config: Config, overrides: DepsOverrides = {}): Promise<Deps> {
  const random = config.idSeed === undefined ? cryptoRandom : seededRandom(config.idSeed);
  // With a seed the control plane's clock starts at a fixed instant and stands still until moved,
  // so a rerun sees the same times, from the first start's ids on.
  const controlClock = () => (config.idSeed === undefined ? offsetClock() : frozenClock(SEEDED_CLOCK_START));
  const clock = overrides.clock ?? (config.controlPlane ? controlClock() : systemClock);
  const movableClock = 'advance' in clock && 'set' in clock ? (clock as MovableClock) : null;
  const ids = overrides.ids ?? objectIdGenerator(clock, random.fork('object-id'));
  const secretRandom = random.fork('server-secrets');
  const database = openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    pgSchema: overrides.pgSchema,
  });
  await migrateToLatest(database.db, overrides.pgSchema);
  const secrets = createSecretBox(config.secretKey);
  const shared = (name: string, make: () => string) => sharedSecret(database.db, secrets, name, make, clock.now());
  const nonceKey = Buffer.from(await shared('digest-nonce-key', () => secretRandom.bytes(32).toString('hex')), 'hex');
  const tokenKey = Buffer.from(await shared('oauth-signing-key', () => secretRandom.bytes(32).toString('hex')), 'hex');
  const controlToken =
    config.controlToken ?? (await shared('control-token', () => `cit_${secretRandom.bytes(24).toString('base64url')}`));
  let listenUrl = `http://${config.host}:${config.port}`;
  const baseUrl = () => (config.publicUrl ?? listenUrl).replace(/\/$/, '');
  const ctx: DomainContext = {
    db: database.db,
    clock,
    ids,
    random: random.fork('domain'),
    secrets,
    baseUrl,
    cache: createAccessCache(database.db),
  };
  const transport = config.smtpUrl ? smtpTransport(config.smtpUrl, config.mailFrom) : captureTransport;
  const outbox = createOutboxWorker({ db: database.db, clock, transport, secrets });
  return {
    outbox,
    fixtures: overrides.fixtures ?? null,
    config,
    clock,
    ids,
    random,
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
