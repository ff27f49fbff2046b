import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as repo from '../../src/storage/repositories/orgs.repository.ts';
import { T0, at, forEachDialect, newId } from './harness.ts';

forEachDialect('orgs repository', (store) => {
  test('insertOrg / findOrg round-trip every column; flags default to false; unknown ids are undefined', async () => {
    const id = newId();
    await repo.insertOrg(store.db, { id, name: 'Ünïcode Org', createdAt: T0, apiAccessListRequired: true });
    assert.deepEqual(await repo.findOrg(store.db, id), {
      id,
      name: 'Ünïcode Org',
      createdAt: T0,
      apiAccessListRequired: true,
      usersApiShowsProjectInvitees: false,
    });
    assert.equal(await repo.findOrg(store.db, newId()), undefined);
  });

  test('renameOrg changes the name only; an unknown id renames nothing', async () => {
    const id = newId();
    await repo.insertOrg(store.db, { id, name: 'before', createdAt: T0, apiAccessListRequired: true });
    assert.equal(await repo.renameOrg(store.db, id, 'after (renamed)'), true);
    assert.deepEqual(await repo.findOrg(store.db, id), {
      id,
      name: 'after (renamed)',
      createdAt: T0,
      apiAccessListRequired: true,
      usersApiShowsProjectInvitees: false,
    });
    assert.equal(await repo.renameOrg(store.db, newId(), 'nobody'), false);
  });

  test('a second org with the same id is refused', async () => {
    const id = newId();
    await repo.insertOrg(store.db, { id, name: 'one', createdAt: T0, apiAccessListRequired: false });
    await assert.rejects(repo.insertOrg(store.db, { id, name: 'two', createdAt: T0, apiAccessListRequired: false }));
    assert.equal((await repo.findOrg(store.db, id))?.name, 'one');
  });

  test('insertOrgsBatch stores many; listOrgs orders by creation, then id', async () => {
    const before = await repo.listOrgs(store.db);
    const ids = Array.from({ length: 9 }, () => newId());
    // Created out of order: the list follows created_at, ties broken by id.
    await repo.insertOrgsBatch(
      store.db,
      ids.map((id, i) => ({ id, name: `batch ${i}`, createdAt: at(1000 + (i % 3)), apiAccessListRequired: i === 4 })),
    );
    const listed = (await repo.listOrgs(store.db)).slice(before.length);
    const expected = ids
      .map((id, i) => ({ id, t: 1000 + (i % 3) }))
      .sort((a, b) => a.t - b.t || a.id.localeCompare(b.id));
    assert.deepEqual(
      listed.map((o) => o.id),
      expected.map((e) => e.id),
    );
    assert.deepEqual(
      listed.filter((o) => o.apiAccessListRequired).map((o) => o.id),
      [ids[4]],
    );
    await repo.insertOrgsBatch(store.db, []);
  });

  test('the two settings flip on and off; unknown orgs answer false', async () => {
    const id = newId();
    await repo.insertOrg(store.db, { id, name: 'flags', createdAt: T0, apiAccessListRequired: false });
    assert.equal(await repo.setOrgAccessListRequired(store.db, id, true), true);
    assert.equal(await repo.setOrgUsersApiShowsProjectInvitees(store.db, id, true), true);
    assert.deepEqual(await repo.findOrg(store.db, id), {
      id,
      name: 'flags',
      createdAt: T0,
      apiAccessListRequired: true,
      usersApiShowsProjectInvitees: true,
    });
    await repo.setOrgAccessListRequired(store.db, id, false);
    await repo.setOrgUsersApiShowsProjectInvitees(store.db, id, false);
    const org = await repo.findOrg(store.db, id);
    assert.deepEqual([org?.apiAccessListRequired, org?.usersApiShowsProjectInvitees], [false, false]);
    assert.equal(await repo.setOrgAccessListRequired(store.db, newId(), true), false);
    assert.equal(await repo.setOrgUsersApiShowsProjectInvitees(store.db, newId(), true), false);
  });

  test('stored bytes: ISO-8601 text with milliseconds and 0/1 flags', async () => {
    const id = newId();
    await repo.insertOrg(store.db, { id, name: 'bytes', createdAt: T0, apiAccessListRequired: true });
    const row = await store.db.selectFrom('orgs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual(
      {
        created_at: row.created_at,
        a: Number(row.api_access_list_required),
        u: Number(row.users_api_shows_project_invitees),
      },
      { created_at: '2026-03-01T10:20:30.456Z', a: 1, u: 0 },
    );
  });
});
