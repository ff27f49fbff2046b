import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The local PostgreSQL that developers and CI have (trust auth, database `test`). */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Runs one statement on its own connection (CREATE/DROP DATABASE cannot run in a pool's transaction). */
export async function pgAdmin(statement: string, url = TEST_DATABASE_URL): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** A fresh schema of its own, so test files can run in parallel on one database. */
export async function freshPgSchema(prefix = 't'): Promise<{ schema: string; drop: () => Promise<void> }> {
  const schema = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await pgAdmin(`CREATE SCHEMA ${schema}`);
  return { schema, drop: () => pgAdmin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`) };
}

/**
 * A database of its own on the server of `adminUrl` (for `serve --database-url`, the benchmarks),
 * its URL, and how to drop it (connections and all).
 */
export async function freshPgDatabase(
  prefix = 'e2e',
  adminUrl = TEST_DATABASE_URL,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await pgAdmin(`CREATE DATABASE ${name}`, adminUrl);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.href, drop: () => pgAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`, adminUrl) };
}

/** Every row of every table in a store, as one text: to search a whole store for something that must not be in it. */
export async function dumpStore(db: import('kysely').Kysely<any>): Promise<string> {
  const tables = await db.introspection.getTables();
  const parts: string[] = [];
  for (const t of tables) parts.push(`${t.name}: ${JSON.stringify(await db.selectFrom(t.name).selectAll().execute())}`);
  return parts.join('\n');
}
