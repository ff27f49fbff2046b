import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The local PostgreSQL that developers and CI have (trust auth, database `test`). */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh schema of its own, so test files can run in parallel on one database. */
export async function freshPgSchema(): Promise<{ schema: string; drop: () => Promise<void> }> {
  const schema = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.end();
  return {
    schema,
    drop: async () => {
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    },
  };
}

/** Every row of every table in a store, as one text: to search a whole store for something that must not be in it. */
export async function dumpStore(db: import('kysely').Kysely<any>): Promise<string> {
  const tables = await db.introspection.getTables();
  const parts: string[] = [];
  for (const t of tables) parts.push(`${t.name}: ${JSON.stringify(await db.selectFrom(t.name).selectAll().execute())}`);
  return parts.join('\n');
}
