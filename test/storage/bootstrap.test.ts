import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { loadConfig } from '../../src/config/config.ts';
import { createDeps, type Deps } from '../../src/deps.ts';
import { initStore } from '../../src/domain/bootstrap.ts';
import { movableClock } from '../../src/lib/clock.ts';
import { objectIdGenerator } from '../../src/lib/object-id.ts';
import { freshPgSchema, TEST_DATABASE_URL } from '../helpers/database.ts';

/** Issue 8 (5): the first start is one transaction under a store-wide lock. */

const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

const SECRET = '42'.repeat(32);
const BOOTSTRAP_TABLES = ['orgs', 'projects', 'api_keys', 'service_accounts'] as const;

async function counts(deps: Deps): Promise<number[]> {
  const out: number[] = [];
  for (const t of BOOTSTRAP_TABLES)
    out.push(
      Number(
        (
          await deps.ctx.db
            .selectFrom(t)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    );
  return out;
}

/** A node of one deployment: its own connection (pool), the shared store. */
async function node(dialect: 'sqlite' | 'postgres', pgSchema: string | undefined, ids?: Deps['ids']): Promise<Deps> {
  const config = loadConfig({
    data: ':memory:',
    databaseUrl: dialect === 'postgres' ? TEST_DATABASE_URL : undefined,
    secretKey: SECRET,
  });
  const clock = movableClock(new Date('2026-12-03T00:00:00Z'));
  const deps = await createDeps(config, { clock, pgSchema, ...(ids ? { ids } : {}) });
  cleanups.push(() => deps.close());
  return deps;
}

test('PostgreSQL: five nodes bootstrapping one empty store at the same moment make one of everything', async () => {
  const pg = await freshPgSchema();
  cleanups.push(pg.drop);
  const nodes = await Promise.all(Array.from({ length: 5 }, () => node('postgres', pg.schema)));
  const results = await Promise.all(nodes.map((n) => initStore(n.ctx)));
  assert.equal(results.filter((r) => r !== null).length, 1, 'one node made the store, the others found it made');
  assert.deepEqual(await counts(nodes[0]), [1, 1, 1, 1]);
});

for (const dialect of ['sqlite', 'postgres'] as const) {
  test(`a first start that dies before its last step leaves an empty store, which the next start makes whole (${dialect})`, async () => {
    const pg = dialect === 'postgres' ? await freshPgSchema() : undefined;
    if (pg) cleanups.push(pg.drop);
    // The fourth id is the service account's: the process "dies" there, after the org, project and key.
    const clock = movableClock(new Date('2026-12-03T00:00:00Z'));
    const real = objectIdGenerator(clock);
    let n = 0;
    const dying = {
      next: () =>
        ++n === 4
          ? (() => {
              throw new Error('killed');
            })()
          : real.next(),
    };
    const deps = await node(dialect, pg?.schema, dying);
    await assert.rejects(initStore(deps.ctx), /killed/);
    assert.deepEqual(await counts(deps), [0, 0, 0, 0], 'nothing of the half-made first start is left');
    const made = await initStore(deps.ctx);
    assert.ok(made, 'the next start bootstraps');
    assert.deepEqual(await counts(deps), [1, 1, 1, 1]);
    assert.equal(await initStore(deps.ctx), null, 'and only once');
  });
}
