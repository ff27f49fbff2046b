import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as repo from '../../src/storage/repositories/snapshots.repository.ts';
import { anOrg, aProject, at, forEachDialect, newId, T0 } from './harness.ts';

forEachDialect('snapshots repository', (store) => {
  test('a copy of the data tables round-trips through a snapshot and back into the tables', async () => {
    const org = await anOrg(store.db, { name: 'Kept' });
    await aProject(store.db, org.id, { name: 'kept-project' });
    const copy = await repo.readDataTables(store.db);
    const id = newId();
    await repo.insertSnapshot(store.db, { id, createdAt: T0, copy });
    assert.deepEqual(await repo.findSnapshotCopy(store.db, id), JSON.parse(JSON.stringify(copy)));

    await store.db.transaction().execute(async (trx) => {
      await repo.clearDataTables(trx);
      assert.deepEqual((await repo.readDataTables(trx)).orgs, []);
      await repo.writeDataTables(trx, (await repo.findSnapshotCopy(trx, id)) as repo.StoreCopy);
    });
    assert.deepEqual(await repo.readDataTables(store.db), copy);
  });

  test('list by id (ids are ObjectIds: creation order), find, delete; an unknown id is neither found nor deleted', async () => {
    const before = (await repo.listSnapshots(store.db)).length;
    const [first, second] = [newId(), newId()];
    await repo.insertSnapshot(store.db, { id: second, createdAt: at(20), copy: await repo.readDataTables(store.db) });
    await repo.insertSnapshot(store.db, { id: first, createdAt: at(10), copy: await repo.readDataTables(store.db) });
    const listed = (await repo.listSnapshots(store.db)).slice(before);
    assert.deepEqual(listed, [
      { id: first, createdAt: at(10) },
      { id: second, createdAt: at(20) },
    ]);
    assert.equal(await repo.findSnapshotCopy(store.db, newId()), undefined);
    assert.equal(await repo.deleteSnapshot(store.db, first), true);
    assert.equal(await repo.deleteSnapshot(store.db, first), false);
    assert.equal(await repo.findSnapshotCopy(store.db, first), undefined);
  });
});
