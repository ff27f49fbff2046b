import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readStoreGeneration } from '../../src/storage/repositories/store-generation.repository.ts';
import { anOrg, forEachDialect } from './harness.ts';

forEachDialect('store-generation repository', (store) => {
  test('readStoreGeneration answers a number that moves when cached data changes and stays otherwise', async () => {
    const g0 = await readStoreGeneration(store.db);
    assert.equal(typeof g0, 'number');
    assert.equal(await readStoreGeneration(store.db), g0);
    await anOrg(store.db);
    const g1 = await readStoreGeneration(store.db);
    assert.ok(g1 > g0, `${g1} > ${g0}`);
  });
});
