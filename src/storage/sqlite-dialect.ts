import {
  CompiledQuery,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  SqliteAdapter,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from 'kysely';

/**
 * Write transactions take SQLite's write lock when they begin (`BEGIN IMMEDIATE`). A deferred
 * transaction that reads and then writes fails at once with SQLITE_BUSY when another process (the
 * CLI, a second server) wrote in between: the busy timeout cannot help, its snapshot is stale.
 * Taking the lock first makes the busy timeout apply, so contention waits instead of failing.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/**
 * SQLite's DDL is transactional: saying so makes Kysely's Migrator run all pending migrations and
 * their bookkeeping in one transaction, so a process killed mid-migration leaves the store as it
 * was, and two processes migrating one file at once wait for each other (`BEGIN IMMEDIATE`).
 */
class TransactionalSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

export class StoreSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
  override createAdapter(): DialectAdapter {
    return new TransactionalSqliteAdapter();
  }
}
