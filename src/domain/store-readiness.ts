import type { Kysely } from 'kysely';
import { latestAppliedMigration, latestMigration } from '../storage/repositories/migrations.repository.ts';
import type { Database } from '../storage/schema.ts';

export type Readiness = { ready: true; migration: string } | { ready: false; reason: string };

/**
 * Ready to serve: the store answers within `timeoutMs` and has run every migration this build has
 * (a node started before a newer node migrated the store is fine; one that finds the store behind is not).
 */
export async function storeReadiness(db: Kysely<Database>, timeoutMs = 2_000): Promise<Readiness> {
  const expected = await latestMigration();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const applied = await Promise.race([latestAppliedMigration(db), timeout]);
    if (applied === 'timeout') return { ready: false, reason: `the store did not answer within ${timeoutMs} ms` };
    if (applied === null || applied < expected)
      return {
        ready: false,
        reason: `migrations pending: the store is at ${applied ?? 'none'}, this build needs ${expected}`,
      };
    return { ready: true, migration: applied };
  } catch (err) {
    return { ready: false, reason: `the store does not answer: ${err instanceof Error ? err.message : String(err)}` };
  } finally {
    clearTimeout(timer);
  }
}
