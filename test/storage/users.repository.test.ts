import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as repo from '../../src/storage/repositories/users.repository.ts';
import { T0, at, forEachDialect, newId } from './harness.ts';

forEachDialect('users repository', (store) => {
  test('ensureUser creates once: the address keeps its case, lookups ignore it; a second id for it is ignored', async () => {
    const id = newId();
    const made = await repo.ensureUser(store.db, id, 'Jane.Doe@Example.com', T0);
    assert.deepEqual(made, { id, username: 'Jane.Doe@Example.com', firstName: null, lastName: null, createdAt: T0 });
    const again = await repo.ensureUser(store.db, newId(), 'jane.doe@example.COM', at(60));
    assert.deepEqual(again, made);
    assert.deepEqual(await repo.findUserByUsername(store.db, 'JANE.DOE@EXAMPLE.COM'), made);
    assert.deepEqual(await repo.findUser(store.db, id), made);
    assert.equal(await repo.findUser(store.db, newId()), undefined);
    assert.equal(await repo.findUserByUsername(store.db, 'nobody@example.com'), undefined);
  });

  test('concurrent ensureUser calls for one address converge on one user', async () => {
    const users = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        repo.ensureUser(store.db, newId(), i % 2 ? 'race@example.com' : 'RACE@example.com', T0),
      ),
    );
    assert.equal(new Set(users.map((u) => u.id)).size, 1);
  });

  test('insertUsersBatch keeps names (and nulls); a taken address is refused', async () => {
    const batch = Array.from({ length: 13 }, (_, i) => ({
      id: newId(),
      username: `batch-${i}@example.com`,
      firstName: i % 2 ? `Fïrst ${i}` : null,
      lastName: i % 3 ? null : `Last ${i}`,
      createdAt: at(i),
    }));
    await repo.insertUsersBatch(store.db, batch);
    for (const u of batch) assert.deepEqual(await repo.findUser(store.db, u.id), u);
    await assert.rejects(
      repo.insertUsersBatch(store.db, [{ ...batch[0], id: newId(), username: 'BATCH-0@example.com' }]),
    );
    await repo.insertUsersBatch(store.db, []);
  });

  test('toUser maps a row', () => {
    assert.deepEqual(
      repo.toUser({
        id: 'i',
        username: 'u',
        username_key: 'u',
        first_name: 'f',
        last_name: null,
        created_at: '2026-03-01T10:20:30.456Z',
      }),
      { id: 'i', username: 'u', firstName: 'f', lastName: null, createdAt: T0 },
    );
  });
});
