import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { after, before, test } from 'node:test';
import type { Db } from '../../src/storage/database.ts';
import { readWholeStore, replaceWholeStore } from '../../src/storage/whole-store.ts';
import { emptyStore } from './store.ts';

// PostgreSQL only: SQLite runs one transaction at a time on its one connection, which is the same guarantee.
let store: Awaited<ReturnType<typeof emptyStore>>;
let db: Db;
before(async () => {
  store = await emptyStore('postgres');
  db = store.deps.database.db;
});
after(() => store.close());

const org = (id: string) => ({ id, name: `org-${id.slice(-2)}`, created_at: '2026-01-01T00:00:00.000Z' });
/** Until another session waits on the store gate (an ungranted advisory lock). */
async function someoneWaitsAtTheGate(): Promise<void> {
  for (;;) {
    const { rows } = await sql<{
      n: string;
    }>`select count(*) as n from pg_locks where locktype = 'advisory' and not granted`.execute(db);
    if (Number(rows[0].n) > 0) return;
    await new Promise((r) => setImmediate(r));
  }
}

test('a snapshot read sees the store as of one instant: a commit between two of its reads is not seen', async () => {
  await readWholeStore(db, async (trx) => {
    const first = await trx.selectFrom('orgs').selectAll().execute();
    await db.insertInto('orgs').values(org('65f1a00000000000000000a1')).execute();
    assert.deepEqual(await trx.selectFrom('orgs').selectAll().execute(), first);
  });
  assert.equal((await db.selectFrom('orgs').selectAll().execute()).length, 1);
});

test('a replacement waits for the transaction in flight, and a transaction that begins meanwhile waits for the replacement', async () => {
  const order: string[] = [];
  let finishInFlight!: () => void;
  let inFlightStarted!: () => void;
  const started = new Promise<void>((r) => (inFlightStarted = r));
  const inFlight = db.transaction().execute(async (trx) => {
    await trx.insertInto('orgs').values(org('65f1a00000000000000000a2')).execute();
    inFlightStarted();
    await new Promise<void>((r) => (finishInFlight = r));
    order.push('in flight ends');
  });
  await started;
  const replacing = replaceWholeStore(db, async (trx) => {
    order.push('replacement runs');
    await trx.deleteFrom('orgs').execute();
  });
  await someoneWaitsAtTheGate();
  assert.equal(order.length, 0, 'the replacement waits');
  const later = db.transaction().execute(async (trx) => {
    order.push('later runs');
    return trx.selectFrom('orgs').selectAll().execute();
  });
  finishInFlight();
  const [, , seen] = await Promise.all([inFlight, replacing, later]);
  assert.deepEqual(order, ['in flight ends', 'replacement runs', 'later runs']);
  assert.deepEqual(seen, [], 'the later transaction sees the whole replacement');
});
