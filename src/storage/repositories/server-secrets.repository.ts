import type { Kysely } from 'kysely';
import { instant } from '../codec.ts';
import type { Database } from '../schema.ts';

/**
 * Returns the named secret, creating it with `make()` on first use. Every node of a cluster reads
 * the same row, so values such as the Digest nonce key are shared without extra configuration.
 */
export async function getOrCreateSecret(
  db: Kysely<Database>,
  name: string,
  make: () => string,
  now: Date,
): Promise<string> {
  await db
    .insertInto('server_secrets')
    .values({ name, value: make(), created_at: instant.encode(now) })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db.selectFrom('server_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return row.value;
}

export async function listSecrets(db: Kysely<Database>): Promise<Array<{ name: string; value: string }>> {
  return db.selectFrom('server_secrets').select(['name', 'value']).orderBy('name').execute();
}

export async function replaceSecret(db: Kysely<Database>, name: string, from: string, to: string): Promise<void> {
  await db
    .updateTable('server_secrets')
    .set({ value: to })
    .where('name', '=', name)
    .where('value', '=', from)
    .execute();
}
