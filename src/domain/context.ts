import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../lib/clock.ts';
import type { IdGenerator } from '../lib/object-id.ts';
import type { RandomSource } from '../lib/random.ts';
import type { SecretBox } from '../lib/secret-box.ts';
import type { Database } from '../storage/schema.ts';
import type { AccessCache } from './access-cache.ts';

/**
 * What every domain service needs: the store, the time, ids, and the box that seals secrets.
 * A service that takes a `DomainContext` runs standalone or joined to an open transaction (its
 * `db` may be one): it opens its own through `withTx`, which joins the caller's when there is one.
 */
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

/** An open transaction on the store. Kysely's `Transaction` is nominal: a plain `Kysely` is not one. */
export type Tx = Transaction<Database>;

/**
 * Inside a transaction: what `withTx` hands its callback, and what a step that must run inside the
 * caller's transaction (a lock, a read-then-write) takes. `db` is the transaction.
 */
export interface TxContext extends Omit<DomainContext, 'db'> {
  readonly db: Tx;
}

/** A lookup through the access cache, or straight to the store inside a transaction. */
export function cached<T>(ctx: DomainContext, key: string, load: () => Promise<T>): Promise<T> {
  return ctx.db.isTransaction ? load() : ctx.cache.get(key, load);
}

const inTransaction = (ctx: DomainContext): ctx is TxContext => ctx.db.isTransaction;

/**
 * Runs `fn` in a transaction: a new one, or the caller's when `ctx` is already inside one (so a
 * service can be composed into a larger unit of work, as `init` composes four). Name the
 * callback's parameter `ctx`: it shadows the outer context, so the outer handle (which would hang
 * on SQLite's one connection and escape the transaction on PostgreSQL) cannot be reached inside.
 */
export async function withTx<T>(ctx: DomainContext, fn: (ctx: TxContext) => Promise<T>): Promise<T> {
  if (inTransaction(ctx)) return fn(ctx);
  return ctx.db.transaction().execute((trx) => fn({ ...ctx, db: trx }));
}
