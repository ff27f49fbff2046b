import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as repo from '../../src/storage/repositories/server-secrets.repository.ts';
import { T0, forEachDialect } from './harness.ts';

forEachDialect('server-secrets repository', (store) => {
  test('getOrCreateSecret makes a secret once; later callers (and racing ones) get the first value', async () => {
    assert.equal(await repo.getOrCreateSecret(store.db, 'a', () => 'first', T0), 'first');
    assert.equal(await repo.getOrCreateSecret(store.db, 'a', () => 'second', T0), 'first');
    const raced = await Promise.all(
      Array.from({ length: 5 }, (_, i) => repo.getOrCreateSecret(store.db, 'raced', () => `v${i}`, T0)),
    );
    assert.equal(new Set(raced).size, 1);
    const row = await store.db
      .selectFrom('server_secrets')
      .selectAll()
      .where('name', '=', 'a')
      .executeTakeFirstOrThrow();
    assert.equal(row.created_at, '2026-03-01T10:20:30.456Z');
  });

  test('listSecrets orders by name; replaceSecret swaps a value only when it still holds the expected one', async () => {
    await repo.getOrCreateSecret(store.db, 'z', () => 'zz', T0);
    await repo.getOrCreateSecret(store.db, 'm', () => 'mm', T0);
    const names = (await repo.listSecrets(store.db)).map((s) => s.name);
    assert.deepEqual(names, [...names].sort());
    assert.deepEqual({ ...(await repo.listSecrets(store.db)).find((s) => s.name === 'm') }, { name: 'm', value: 'mm' });
    await repo.replaceSecret(store.db, 'm', 'not-the-value', 'x');
    assert.equal(await repo.getOrCreateSecret(store.db, 'm', () => '?', T0), 'mm');
    await repo.replaceSecret(store.db, 'm', 'mm', 'resealed');
    assert.equal(await repo.getOrCreateSecret(store.db, 'm', () => '?', T0), 'resealed');
  });
});
