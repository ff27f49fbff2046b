import type { Kysely } from 'kysely';
import { readStoreGeneration } from '../storage/repositories/store-generation.repository.ts';
import type { Database } from '../storage/schema.ts';

/**
 * What every request looks up before doing anything (its credential and roles, the credential's
 * access list, its organization's settings, the project in its path), kept in memory between
 * requests. Correct with any number of nodes: each request first reads the store's generation
 * (`refresh`), which migration 0007's triggers move in the transaction of any change to those
 * tables, on any node; a moved generation drops everything. So a lookup answers as the store stood
 * at the start of the request at the latest, as the uncached query would have.
 *
 * Only lookups outside a transaction use it (a transaction reads its own state), and only those a
 * request makes before it writes anything: authentication, the access list, the authorisation
 * check of a read. A value loaded while another request dropped the cache is not kept.
 */
export interface AccessCache {
  /** Once per request, before any lookup: forget everything if the store changed since. */
  refresh(): Promise<void>;
  /** `load()`, or what it gave the last time in this generation. */
  get<T>(key: string, load: () => Promise<T>): Promise<T>;
}

export function createAccessCache(db: Kysely<Database>, maxEntries = 20_000): AccessCache {
  const entries = new Map<string, unknown>();
  let generation: number | null = null;
  // Bumped whenever the entries are dropped: a load that straddles a drop may hold older data.
  let epoch = 0;
  const drop = () => {
    entries.clear();
    epoch++;
  };
  return {
    async refresh() {
      const now = await readStoreGeneration(db);
      if (now !== generation) {
        generation = now;
        drop();
      }
    },
    async get<T>(key: string, load: () => Promise<T>): Promise<T> {
      if (generation === null) return load();
      if (entries.has(key)) return entries.get(key) as T;
      const started = epoch;
      const value = await load();
      if (started === epoch) {
        // Unknown ids from callers are cached too (null): bounded, so they cannot grow it without end.
        if (entries.size >= maxEntries) drop();
        entries.set(key, value);
      }
      return value;
    },
  };
}
