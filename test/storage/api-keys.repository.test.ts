import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as repo from '../../src/storage/repositories/api-keys.repository.ts';
import { T0, aProject, anOrg, at, forEachDialect, newId } from './harness.ts';

forEachDialect('api-keys repository', (store) => {
  const aKey = async (orgId: string, over: Partial<repo.StoredApiKey> = {}): Promise<repo.StoredApiKey> => {
    const id = newId();
    const key: repo.StoredApiKey = {
      id,
      orgId,
      publicKey: `pk${id.slice(-8)}`,
      privateKeyTail: 'abcdef123456',
      privateKeySealed: `sealed:${id}`,
      description: 'a key',
      orgRoles: ['ORG_MEMBER'],
      projectAssignments: [],
      createdAt: T0,
      ...over,
    };
    await repo.insertApiKey(store.db, key);
    return key;
  };

  test('insertApiKey round-trips every column, with its project assignments sorted by project id', async () => {
    const org = await anOrg(store.db);
    const [p1, p2] = [await aProject(store.db, org.id), await aProject(store.db, org.id)];
    const key = await aKey(org.id, {
      description: 'Ünïcode "desc"',
      orgRoles: ['ORG_OWNER', 'ORG_READ_ONLY'],
      projectAssignments: [
        { projectId: p2.id, roles: ['GROUP_OWNER'] },
        { projectId: p1.id, roles: ['GROUP_READ_ONLY', 'GROUP_DATA_ACCESS_ADMIN'] },
      ],
    });
    const expected = {
      ...key,
      projectAssignments: [...key.projectAssignments].sort((a, b) => a.projectId.localeCompare(b.projectId)),
    };
    assert.deepEqual(await repo.findApiKeyById(store.db, key.id), expected);
    assert.deepEqual(await repo.findApiKeyByPublicKey(store.db, key.publicKey), expected);
    assert.equal(await repo.findApiKeyById(store.db, newId()), undefined);
    assert.equal(await repo.findApiKeyByPublicKey(store.db, 'nope'), undefined);
    const row = await store.db.selectFrom('api_keys').selectAll().where('id', '=', key.id).executeTakeFirstOrThrow();
    assert.deepEqual([row.org_roles, row.created_at], ['["ORG_OWNER","ORG_READ_ONLY"]', '2026-03-01T10:20:30.456Z']);
  });

  test('public keys are unique', async () => {
    const org = await anOrg(store.db);
    const key = await aKey(org.id);
    await assert.rejects(aKey(org.id, { publicKey: key.publicKey }));
  });

  test('setApiKeyProjectRoles adds or replaces an assignment; deleteApiKeyProjectRoles removes it', async () => {
    const org = await anOrg(store.db);
    const project = await aProject(store.db, org.id);
    const key = await aKey(org.id);
    await repo.setApiKeyProjectRoles(store.db, key.id, project.id, ['GROUP_READ_ONLY']);
    await repo.setApiKeyProjectRoles(store.db, key.id, project.id, ['GROUP_OWNER', 'GROUP_READ_ONLY']);
    assert.deepEqual((await repo.findApiKeyById(store.db, key.id))?.projectAssignments, [
      { projectId: project.id, roles: ['GROUP_OWNER', 'GROUP_READ_ONLY'] },
    ]);
    assert.equal(await repo.deleteApiKeyProjectRoles(store.db, key.id, project.id), true);
    assert.equal(await repo.deleteApiKeyProjectRoles(store.db, key.id, project.id), false);
    assert.deepEqual((await repo.findApiKeyById(store.db, key.id))?.projectAssignments, []);
    await assert.rejects(repo.setApiKeyProjectRoles(store.db, key.id, newId(), ['GROUP_OWNER']), 'an unknown project');
  });

  test('updateApiKey replaces the description and org roles it is given; updateSealedPrivateKey reseals', async () => {
    const org = await anOrg(store.db);
    const key = await aKey(org.id);
    await repo.updateApiKey(store.db, key.id, { description: 'new' });
    await repo.updateApiKey(store.db, key.id, {});
    assert.deepEqual(await repo.findApiKeyById(store.db, key.id), { ...key, description: 'new' });
    await repo.updateApiKey(store.db, key.id, { orgRoles: ['ORG_OWNER'] });
    await repo.updateSealedPrivateKey(store.db, key.id, 'resealed');
    assert.deepEqual(await repo.findApiKeyById(store.db, key.id), {
      ...key,
      description: 'new',
      orgRoles: ['ORG_OWNER'],
      privateKeySealed: 'resealed',
    });
  });

  test('listApiKeys (all, or one org) in creation order; listApiKeysPage by public key, with a project filter and a total', async () => {
    const org = await anOrg(store.db);
    const project = await aProject(store.db, org.id);
    const keys = [
      await aKey(org.id, { publicKey: 'pkzzzz01', createdAt: at(1) }),
      await aKey(org.id, {
        publicKey: 'pkaaaa01',
        createdAt: at(2),
        projectAssignments: [{ projectId: project.id, roles: ['GROUP_OWNER'] }],
      }),
      await aKey(org.id, { publicKey: 'pkmmmm01', createdAt: at(0) }),
    ];
    await aKey((await anOrg(store.db)).id);
    assert.deepEqual(
      (await repo.listApiKeys(store.db, org.id)).map((k) => k.publicKey),
      ['pkmmmm01', 'pkzzzz01', 'pkaaaa01'],
    );
    assert.ok((await repo.listApiKeys(store.db)).length >= 4);
    const page = await repo.listApiKeysPage(store.db, { orgId: org.id, offset: 1, limit: 1 });
    assert.deepEqual([page.total, page.items.map((k) => k.publicKey)], [3, ['pkmmmm01']]);
    const inProject = await repo.listApiKeysPage(store.db, {
      orgId: org.id,
      projectId: project.id,
      offset: 0,
      limit: 10,
    });
    assert.deepEqual(inProject, { total: 1, items: [keys[1]] });
  });

  test('deleteApiKey removes the key and its assignments; false when gone', async () => {
    const org = await anOrg(store.db);
    const project = await aProject(store.db, org.id);
    const key = await aKey(org.id, { projectAssignments: [{ projectId: project.id, roles: ['GROUP_OWNER'] }] });
    assert.equal(await repo.deleteApiKey(store.db, key.id), true);
    assert.equal(await repo.findApiKeyById(store.db, key.id), undefined);
    assert.deepEqual(
      await store.db.selectFrom('api_key_project_roles').selectAll().where('api_key_id', '=', key.id).execute(),
      [],
    );
    assert.equal(await repo.deleteApiKey(store.db, key.id), false);
  });
});
