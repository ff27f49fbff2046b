import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as repo from '../../src/storage/repositories/access-lists.repository.ts';
import { T0, at, forEachDialect, newId } from './harness.ts';

forEachDialect('access-lists repository', (store) => {
  test('entries round-trip (never used: nulls and a zero count), per owner, in creation order; a repeated block is ignored', async () => {
    const owner = { kind: 'apiKey' as const, id: newId() };
    const sameIdOtherKind = { kind: 'serviceAccount' as const, id: owner.id };
    const [e1, e2] = [newId(), newId()];
    await repo.addAccessListEntry(store.db, owner, e2, '192.168.0.0/16', at(2));
    await repo.addAccessListEntry(store.db, owner, e1, '10.0.0.1/32', at(1));
    await repo.addAccessListEntry(store.db, owner, newId(), '10.0.0.1/32', at(3));
    await repo.addAccessListEntry(store.db, sameIdOtherKind, newId(), '::1/128', T0);
    assert.deepEqual(await repo.listAccessList(store.db, owner), [
      { id: e1, cidrBlock: '10.0.0.1/32', createdAt: at(1), lastUsedAt: null, lastUsedAddress: null, requestCount: 0 },
      {
        id: e2,
        cidrBlock: '192.168.0.0/16',
        createdAt: at(2),
        lastUsedAt: null,
        lastUsedAddress: null,
        requestCount: 0,
      },
    ]);
    assert.deepEqual(
      (await repo.listAccessList(store.db, sameIdOtherKind)).map((e) => e.cidrBlock),
      ['::1/128'],
    );
  });

  test('recordAccessListUse keeps the last use and counts requests (concurrent ones too)', async () => {
    const owner = { kind: 'serviceAccount' as const, id: newId() };
    const id = newId();
    await repo.addAccessListEntry(store.db, owner, id, '0.0.0.0/0', T0);
    await repo.recordAccessListUse(store.db, id, '10.1.2.3', at(5));
    await Promise.all(
      Array.from({ length: 5 }, (_, i) => repo.recordAccessListUse(store.db, id, '10.1.2.4', at(6 + i))),
    );
    const [entry] = await repo.listAccessList(store.db, owner);
    assert.equal(entry.requestCount, 6);
    assert.equal(entry.lastUsedAddress, '10.1.2.4');
    assert.ok(entry.lastUsedAt && entry.lastUsedAt >= at(6));
  });

  test('deleteAccessListEntry removes one block (false when absent); deleteAccessListOf removes all of an owner', async () => {
    const owner = { kind: 'apiKey' as const, id: newId() };
    const other = { kind: 'apiKey' as const, id: newId() };
    await repo.addAccessListEntry(store.db, owner, newId(), '1.1.1.1/32', T0);
    await repo.addAccessListEntry(store.db, owner, newId(), '2.2.2.2/32', T0);
    await repo.addAccessListEntry(store.db, other, newId(), '1.1.1.1/32', T0);
    assert.equal(await repo.deleteAccessListEntry(store.db, owner, '1.1.1.1/32'), true);
    assert.equal(await repo.deleteAccessListEntry(store.db, owner, '1.1.1.1/32'), false);
    assert.deepEqual(
      (await repo.listAccessList(store.db, owner)).map((e) => e.cidrBlock),
      ['2.2.2.2/32'],
    );
    await repo.deleteAccessListOf(store.db, owner);
    assert.deepEqual(await repo.listAccessList(store.db, owner), []);
    assert.deepEqual(
      (await repo.listAccessList(store.db, other)).map((e) => e.cidrBlock),
      ['1.1.1.1/32'],
    );
  });
});
