import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lockStore } from '../../src/storage/repositories/store-locks.repository.ts';
import { contend, forEachDialect } from './harness.ts';

forEachDialect('store-locks repository', (store) => {
  test('lockStore holds the named lock until the transaction ends: a second taker waits (new lock or existing)', async () => {
    assert.deepEqual(await contend(store, (trx) => lockStore(trx, 'contract')), [
      'first locked',
      'first committed',
      'second locked',
    ]);
    // Now the lock's row exists: the row lock, not the insert, makes the second wait.
    assert.deepEqual(await contend(store, (trx) => lockStore(trx, 'contract')), [
      'first locked',
      'first committed',
      'second locked',
    ]);
  });

  test('lockStore makes its row once, and refuses to run outside a transaction', async () => {
    await store.db.transaction().execute((trx) => lockStore(trx, 'once'));
    await store.db.transaction().execute((trx) => lockStore(trx, 'once'));
    const rows = await store.db.selectFrom('store_locks').selectAll().where('name', '=', 'once').execute();
    assert.equal(rows.length, 1);
    // @ts-expect-error a plain Kysely is not a transaction (and is refused at run time too)
    await assert.rejects(lockStore(store.db, 'outside'), /needs a transaction/);
  });
});
