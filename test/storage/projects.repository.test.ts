import assert from 'node:assert/strict';
import { test } from 'node:test';
import { upsertInvitation, listInvitations } from '../../src/storage/repositories/invitations.repository.ts';
import {
  setApiKeyProjectRoles,
  insertApiKey,
  findApiKeyById,
} from '../../src/storage/repositories/api-keys.repository.ts';
import * as repo from '../../src/storage/repositories/projects.repository.ts';
import { T0, aProject, anOrg, at, forEachDialect, newId } from './harness.ts';

forEachDialect('projects repository', (store) => {
  test('insertProject / findProject round-trip every column (tags as JSON, the alerts flag)', async () => {
    const org = await anOrg(store.db);
    const p = {
      id: newId(),
      orgId: org.id,
      name: 'Ünï Project',
      createdAt: T0,
      withDefaultAlertsSettings: false,
      tags: [
        { key: 'env', value: 'prod' },
        { key: 'a"b', value: '' },
      ],
    };
    await repo.insertProject(store.db, p);
    assert.deepEqual(await repo.findProject(store.db, p.id), p);
    assert.equal(await repo.findProject(store.db, newId()), undefined);
    const row = await store.db.selectFrom('projects').selectAll().where('id', '=', p.id).executeTakeFirstOrThrow();
    assert.deepEqual(
      [row.tags, row.name_key, row.created_at, Number(row.with_default_alerts_settings)],
      ['[{"key":"env","value":"prod"},{"key":"a\\"b","value":""}]', 'ünï project', '2026-03-01T10:20:30.456Z', 0],
    );
  });

  test('names are unique per organization, whatever their case; findProjectByName ignores case', async () => {
    const org = await anOrg(store.db);
    const other = await anOrg(store.db);
    const p = await aProject(store.db, org.id, { name: 'Shared' });
    await assert.rejects(aProject(store.db, org.id, { name: 'SHARED' }));
    await aProject(store.db, other.id, { name: 'Shared' });
    assert.equal((await repo.findProjectByName(store.db, org.id, 'sHaReD'))?.id, p.id);
    assert.equal(await repo.findProjectByName(store.db, org.id, 'Shared2'), undefined);
  });

  test('updateProject replaces name (and its key), tags and the flag; createdAt stays', async () => {
    const org = await anOrg(store.db);
    const p = await aProject(store.db, org.id, { name: 'Before' });
    const next = { ...p, name: 'After', tags: [{ key: 'k', value: 'v' }], withDefaultAlertsSettings: false };
    await repo.updateProject(store.db, next);
    assert.deepEqual(await repo.findProject(store.db, p.id), next);
    assert.equal((await repo.findProjectByName(store.db, org.id, 'after'))?.id, p.id);
    assert.equal(await repo.findProjectByName(store.db, org.id, 'before'), undefined);
  });

  test('deleteProject removes it with its invitations and key assignments; false when gone', async () => {
    const org = await anOrg(store.db);
    const p = await aProject(store.db, org.id);
    const keyId = newId();
    await insertApiKey(store.db, {
      id: keyId,
      orgId: org.id,
      publicKey: `pk${keyId}`,
      privateKeyTail: 't',
      privateKeySealed: 's',
      description: '',
      orgRoles: ['ORG_MEMBER'],
      projectAssignments: [],
      createdAt: T0,
    });
    await setApiKeyProjectRoles(store.db, keyId, p.id, ['GROUP_OWNER']);
    await upsertInvitation(
      store.db,
      {
        id: newId(),
        kind: 'project',
        orgId: org.id,
        orgName: '',
        projectId: p.id,
        projectName: null,
        username: 'x@example.com',
        roles: ['GROUP_READ_ONLY'],
        inviterUsername: 'i',
        createdAt: T0,
        expiresAt: at(60),
        userId: null,
        status: 'PENDING',
        source: 'invites',
        teamIds: [],
        groupRoleAssignments: [],
      },
      'h',
    );
    assert.equal(await repo.deleteProject(store.db, p.id), true);
    assert.equal(await repo.findProject(store.db, p.id), undefined);
    assert.deepEqual(await listInvitations(store.db, { kind: 'project', scopeId: p.id }), []);
    assert.deepEqual((await findApiKeyById(store.db, keyId))?.projectAssignments, []);
    assert.equal(await repo.deleteProject(store.db, p.id), false);
  });

  test('listProjects: creation order, paging with a total, id filter, literal case-insensitive prefix', async () => {
    const org = await anOrg(store.db);
    const names = ['Alpha', 'alpine', 'Beta', 'al%x', 'al_y', 'AL\\z'];
    const made = [];
    for (const [i, name] of names.entries()) made.push(await aProject(store.db, org.id, { name, createdAt: at(i) }));
    const list = (q: Partial<repo.ProjectQuery>) =>
      repo.listProjects(store.db, { orgId: org.id, offset: 0, limit: 100, ...q });
    assert.deepEqual(
      (await list({})).items.map((p) => p.name),
      names,
    );
    assert.deepEqual(await list({ offset: 2, limit: 2 }).then((r) => [r.total, r.items.map((p) => p.name)]), [
      6,
      ['Beta', 'al%x'],
    ]);
    assert.deepEqual(
      (await list({ namePrefix: 'AL' })).items.map((p) => p.name),
      ['Alpha', 'alpine', 'al%x', 'al_y', 'AL\\z'],
    );
    assert.deepEqual(
      (await list({ namePrefix: 'al%' })).items.map((p) => p.name),
      ['al%x'],
    );
    assert.deepEqual(
      (await list({ namePrefix: 'al_' })).items.map((p) => p.name),
      ['al_y'],
    );
    assert.deepEqual(
      (await list({ namePrefix: 'al\\' })).items.map((p) => p.name),
      ['AL\\z'],
    );
    assert.deepEqual(
      await list({ namePrefix: 'al', offset: 4, limit: 1 }).then((r) => [r.total, r.items.map((p) => p.name)]),
      [5, ['AL\\z']],
    );
    assert.deepEqual(
      (await list({ ids: [made[2].id, made[0].id, newId()] })).items.map((p) => p.name),
      ['Alpha', 'Beta'],
    );
    assert.deepEqual(await list({ ids: [] }), { items: [], total: 0 });
  });

  test('insertProjectsBatch and listAllProjects (all, or one organization), in creation order', async () => {
    const org = await anOrg(store.db);
    const batch = Array.from({ length: 15 }, (_, i) => ({
      id: newId(),
      orgId: org.id,
      name: `b${i}`,
      createdAt: at(100 - i),
      withDefaultAlertsSettings: i % 2 === 0,
      tags: i === 3 ? [{ key: 'k', value: 'v' }] : [],
    }));
    await repo.insertProjectsBatch(store.db, batch);
    assert.deepEqual(await repo.listAllProjects(store.db, org.id), [...batch].reverse());
    const all = await repo.listAllProjects(store.db);
    assert.ok(all.length > batch.length);
    assert.deepEqual(
      all.filter((p) => p.orgId === org.id),
      [...batch].reverse(),
    );
    for (let i = 1; i < all.length; i++) assert.ok(all[i - 1].createdAt <= all[i].createdAt);
  });
});
