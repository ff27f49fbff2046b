import type { Kysely } from 'kysely';
import type { Clock } from '../lib/clock.ts';
import type { IdGenerator } from '../lib/object-id.ts';
import type { RandomSource } from '../lib/random.ts';
import type { SecretBox } from '../lib/secret-box.ts';
import type { Database } from '../storage/schema.ts';
import type { AccessCache } from './access-cache.ts';

/** What every domain service needs: the store, the time, ids, and the box that seals secrets. */
export interface DomainContext {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** Keys, secrets and tokens: the CSPRNG, or a seeded stream with `--id-seed` (src/lib/random.ts). */
  readonly random: RandomSource;
  readonly secrets: SecretBox;
  /** Where people reach this server (links in mail): `--public-url`, else the address it listens on. */
  readonly baseUrl: () => string;
  /** Per-request lookups kept between requests, checked against the store's generation. */
  readonly cache: AccessCache;
}

/** A lookup through the access cache, or straight to the store inside a transaction. */
export function cached<T>(ctx: DomainContext, key: string, load: () => Promise<T>): Promise<T> {
  return ctx.db.isTransaction ? load() : ctx.cache.get(key, load);
}

/**
 * Runs `fn` in a transaction: a new one, or the caller's when `ctx` is already inside one (so a
 * service can be composed into a larger unit of work, as `init` composes four).
 */
export async function withTransaction<T>(ctx: DomainContext, fn: (tx: DomainContext) => Promise<T>): Promise<T> {
  if (ctx.db.isTransaction) return fn(ctx);
  return ctx.db.transaction().execute((trx) => fn({ ...ctx, db: trx }));
}
