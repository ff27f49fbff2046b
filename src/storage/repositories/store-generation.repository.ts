import { CompiledQuery, type Kysely } from 'kysely';
import { integer } from '../codec.ts';
import type { Database } from '../schema.ts';

// Compiled once: this runs on every request. Same text on both dialects (no parameters).
const READ = CompiledQuery.raw('select generation from store_generation where id = 1');

/** The store's generation: moves whenever anything the access cache keeps changes (migration 0007's triggers). */
export async function readStoreGeneration(db: Kysely<Database>): Promise<number> {
  const { rows } = await db.executeQuery<{ generation: number | string }>(READ);
  return integer.decode(rows[0]?.generation ?? 0);
}
