import { loadConfig } from '../../src/config/config.ts';
import { createDeps, type Deps } from '../../src/deps.ts';
import { movableClock } from '../../src/lib/clock.ts';
import { freshPgSchema, TEST_DATABASE_URL } from '../helpers/database.ts';

export const DIALECTS = ['sqlite', 'postgres'] as const;
export const EXAMPLE = new URL('../../examples/fixtures.yaml', import.meta.url);

/** A fresh, empty store (no `init`) on either dialect, with the app's dependencies. */
export async function emptyStore(dialect: 'sqlite' | 'postgres'): Promise<{ deps: Deps; close(): Promise<void> }> {
  const pg = dialect === 'postgres' ? await freshPgSchema('ci') : null;
  const config = loadConfig({
    data: ':memory:',
    databaseUrl: pg ? TEST_DATABASE_URL : undefined,
    secretKey: '22'.repeat(32),
  });
  const deps = await createDeps(config, {
    clock: movableClock(new Date('2026-08-10T03:04:53Z')),
    pgSchema: pg?.schema,
  });
  return {
    deps,
    async close() {
      await deps.close();
      await pg?.drop();
    },
  };
}
