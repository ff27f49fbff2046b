import {
  type DatabaseIntrospector,
  type Driver,
  Kysely,
  PostgresDialect,
  type PostgresDialectConfig,
  SqliteAdapter,
  sql,
  type Transaction,
} from 'kysely';
import { GatedPostgresDriver } from './pg-store-gate.ts';
import { Migrator } from 'kysely/migration';
import type { Pool } from 'pg';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { migrationProvider } from './migrations/index.ts';
import type { Database } from './schema.ts';
import { openSqlite } from './sqlite-adapter.ts';
import { StoreSqliteDialect } from './sqlite-dialect.ts';

export type Db = Kysely<Database>;

export interface DatabaseOptions {
  /** postgres://… for PostgreSQL; otherwise SQLite under dataDir (or ':memory:'). */
  databaseUrl?: string;
  dataDir?: string;
  /** PostgreSQL schema to work in (tests give each file its own). */
  pgSchema?: string;
}

export interface OpenedDatabase {
  db: Db;
  dialect: 'sqlite' | 'postgres';
  close(): Promise<void>;
}

/**
 * PostgreSQL, introspecting only the schema the server works in. Kysely's own introspector (used by
 * the Migrator to find its bookkeeping tables) reads every schema's tables in one catalog query,
 * which fails if another schema is dropped meanwhile, as parallel test files do.
 */
class SchemaScopedPostgresDialect extends PostgresDialect {
  readonly #config: PostgresDialectConfig;
  constructor(config: PostgresDialectConfig) {
    super(config);
    this.#config = config;
  }
  /** Transactions pass the store gate (src/storage/pg-store-gate.ts). */
  override createDriver(): Driver {
    return new GatedPostgresDriver(this.#config);
  }
  override createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return {
      getSchemas: async () => {
        const r = await sql<{ name: string }>`select current_schema() as name`.execute(db);
        return r.rows;
      },
      getTables: async () => {
        const r = await sql<{ name: string; schema: string; type: string }>`
          select table_name as name, table_schema as schema, table_type as type
          from information_schema.tables where table_schema = current_schema()`.execute(db);
        return r.rows.map((t) => ({
          name: t.name,
          schema: t.schema,
          isView: t.type === 'VIEW',
          isForeign: false,
          columns: [],
        }));
      },
    };
  }
}

export function openDatabase(options: DatabaseOptions): OpenedDatabase {
  const url = options.databaseUrl;
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    // pg is loaded with the first query, so a server on SQLite never loads it (a faster start).
    const pool = async (): Promise<Pool> => {
      const { default: pg } = await import('pg');
      const created = new pg.Pool({
        connectionString: url,
        max: 10,
        ...(options.pgSchema ? { options: `-c search_path=${options.pgSchema}` } : {}),
      });
      // An idle connection the server ends (restart, failover, a dropped database) is an 'error' on the
      // pool: without a listener it would end the process. The pool drops that connection; the next
      // query opens another or fails, and /_cloud-invites/ready reports it.
      created.on('error', () => undefined);
      return created;
    };
    const db = new Kysely<Database>({ dialect: new SchemaScopedPostgresDialect({ pool }) });
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  let path = ':memory:';
  if (options.dataDir && options.dataDir !== ':memory:') {
    mkdirSync(options.dataDir, { recursive: true });
    path = join(options.dataDir, 'cloud-invites.sqlite');
  }
  const sqlite = openSqlite(path);
  const db = new Kysely<Database>({ dialect: new StoreSqliteDialect({ database: sqlite }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

/**
 * Runs pending migrations. On PostgreSQL give the schema the server works in: Kysely looks for its
 * bookkeeping tables across all schemas otherwise, and another schema's would fool it.
 */
export async function migrateToLatest(db: Db, pgSchema?: string): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: migrationProvider,
    ...(pgSchema ? { migrationTableSchema: pgSchema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * Tunes a store for a bulk load (`cloud-invites seed`) on SQLite: a 512 MiB page cache for this
 * connection (the indexes of a million rows stay in memory instead of being re-read for every
 * insert) and `synchronous = NORMAL`, which in WAL mode still survives a killed process (a power
 * cut may lose the last transactions, which a seed can rerun). PostgreSQL: see bulkTransaction.
 */
export async function tuneForBulkLoad(opened: OpenedDatabase): Promise<void> {
  if (opened.dialect !== 'sqlite') return;
  await sql`pragma cache_size = -524288`.execute(opened.db);
  await sql`pragma synchronous = NORMAL`.execute(opened.db);
}

/** Inside a bulk load's transaction (PostgreSQL): commit without waiting for the WAL flush. */
export async function bulkTransaction(trx: Transaction<Database>): Promise<void> {
  if (trx.getExecutor().adapter instanceof SqliteAdapter) return;
  await sql`set local synchronous_commit = off`.execute(trx);
}

/** After a bulk load: fresh planner statistics (PostgreSQL ANALYZE; SQLite ANALYZE on a sample). */
export async function analyzeStore(opened: OpenedDatabase): Promise<void> {
  if (opened.dialect === 'sqlite') {
    await sql`pragma analysis_limit = 1000`.execute(opened.db);
    await sql`analyze`.execute(opened.db);
  } else {
    await sql`analyze`.execute(opened.db);
  }
}
