import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ServiceAccount } from '../../src/domain/service-accounts/service-account.ts';
import { addAccessListEntry, listAccessList } from '../../src/storage/repositories/access-lists.repository.ts';
import * as repo from '../../src/storage/repositories/service-accounts.repository.ts';
import { T0, aProject, anOrg, at, forEachDialect, newId } from './harness.ts';

forEachDialect('service-accounts repository', (store) => {
  const anAccount = async (orgId: string, over: Partial<ServiceAccount> = {}): Promise<ServiceAccount> => {
    const id = newId();
    const sa = {
      id,
      clientId: `mdb_sa_id_${id}`,
      orgId,
      name: 'account',
      description: 'desc',
      orgRoles: ['ORG_MEMBER'],
      createdAt: T0,
      ...over,
    };
    await repo.insertServiceAccount(store.db, sa);
    return { ...sa, projectAssignments: [], secrets: [] };
  };
  const aSecret = async (serviceAccountId: string, over: Partial<Parameters<typeof repo.insertSecret>[1]> = {}) => {
    const s = {
      id: newId(),
      serviceAccountId,
      secretHash: newId(),
      maskedValue: 'mdb_sa_sk_****abcd',
      createdAt: T0,
      expiresAt: at(3600),
      ...over,
    };
    await repo.insertSecret(store.db, s);
    return s;
  };

  test('insertServiceAccount round-trips every column; client ids are unique', async () => {
    const org = await anOrg(store.db);
    const sa = await anAccount(org.id, { name: 'Ünï', description: '', orgRoles: ['ORG_OWNER', 'ORG_BILLING_ADMIN'] });
    assert.deepEqual(await repo.findServiceAccountByClientId(store.db, sa.clientId), sa);
    assert.equal(await repo.findServiceAccountByClientId(store.db, 'mdb_sa_id_nope'), undefined);
    await assert.rejects(anAccount(org.id, { clientId: sa.clientId }));
  });

  test('project roles: set, replace, remove; assignments come sorted by project id', async () => {
    const org = await anOrg(store.db);
    const [p1, p2] = [await aProject(store.db, org.id), await aProject(store.db, org.id)];
    const sa = await anAccount(org.id);
    await repo.setServiceAccountProjectRoles(store.db, sa.id, p2.id, ['GROUP_READ_ONLY']);
    await repo.setServiceAccountProjectRoles(store.db, sa.id, p1.id, ['GROUP_OWNER']);
    await repo.setServiceAccountProjectRoles(store.db, sa.id, p2.id, ['GROUP_OWNER', 'GROUP_READ_ONLY']);
    const expected = [
      { projectId: p1.id, roles: ['GROUP_OWNER'] },
      { projectId: p2.id, roles: ['GROUP_OWNER', 'GROUP_READ_ONLY'] },
    ].sort((a, b) => a.projectId.localeCompare(b.projectId));
    assert.deepEqual((await repo.findServiceAccountByClientId(store.db, sa.clientId))?.projectAssignments, expected);
    assert.equal(await repo.removeServiceAccountFromProject(store.db, sa.id, p1.id), true);
    assert.equal(await repo.removeServiceAccountFromProject(store.db, sa.id, p1.id), false);
    assert.deepEqual((await repo.findServiceAccountByClientId(store.db, sa.clientId))?.projectAssignments, [
      { projectId: p2.id, roles: ['GROUP_OWNER', 'GROUP_READ_ONLY'] },
    ]);
  });

  test('secrets: listed oldest first with their masks and dates; found by hash for their own client only; touched; deleted', async () => {
    const org = await anOrg(store.db);
    const sa = await anAccount(org.id);
    const other = await anAccount(org.id);
    const late = await aSecret(sa.id, { createdAt: at(10), expiresAt: at(20) });
    const early = await aSecret(sa.id, { createdAt: at(1) });
    const secrets = (await repo.findServiceAccountByClientId(store.db, sa.clientId))?.secrets;
    assert.deepEqual(secrets, [
      {
        id: early.id,
        createdAt: at(1),
        expiresAt: at(3600),
        lastUsedAt: null,
        maskedSecretValue: 'mdb_sa_sk_****abcd',
      },
      { id: late.id, createdAt: at(10), expiresAt: at(20), lastUsedAt: null, maskedSecretValue: 'mdb_sa_sk_****abcd' },
    ]);
    assert.deepEqual(await repo.findSecretByHash(store.db, sa.clientId, late.secretHash), {
      secretId: late.id,
      expiresAt: at(20),
    });
    assert.equal(await repo.findSecretByHash(store.db, other.clientId, late.secretHash), undefined);
    assert.equal(await repo.findSecretByHash(store.db, sa.clientId, 'unknown'), undefined);
    await repo.touchSecret(store.db, late.id, at(15));
    assert.deepEqual(
      (await repo.findServiceAccountByClientId(store.db, sa.clientId))?.secrets.map((s) => s.lastUsedAt),
      [null, at(15)],
    );
    await assert.rejects(aSecret(other.id, { secretHash: late.secretHash }), 'secret hashes are unique');
    assert.equal(await repo.deleteSecret(store.db, other.id, late.id), false, "another account's secret");
    assert.equal(await repo.deleteSecret(store.db, sa.id, late.id), true);
    assert.equal(await repo.findSecretByHash(store.db, sa.clientId, late.secretHash), undefined);
  });

  test('updateServiceAccount replaces what it is given', async () => {
    const org = await anOrg(store.db);
    const sa = await anAccount(org.id);
    await repo.updateServiceAccount(store.db, sa.id, { name: 'renamed' });
    await repo.updateServiceAccount(store.db, sa.id, {});
    await repo.updateServiceAccount(store.db, sa.id, { description: 'd2', orgRoles: ['ORG_READ_ONLY'] });
    assert.deepEqual(await repo.findServiceAccountByClientId(store.db, sa.clientId), {
      ...sa,
      name: 'renamed',
      description: 'd2',
      orgRoles: ['ORG_READ_ONLY'],
    });
  });

  test('listServiceAccounts pages in creation order with a total and a project filter; listAllServiceAccounts', async () => {
    const org = await anOrg(store.db);
    const project = await aProject(store.db, org.id);
    const accounts = [
      await anAccount(org.id, { createdAt: at(3) }),
      await anAccount(org.id, { createdAt: at(1) }),
      await anAccount(org.id, { createdAt: at(2) }),
    ];
    await repo.setServiceAccountProjectRoles(store.db, accounts[0].id, project.id, ['GROUP_OWNER']);
    await anAccount((await anOrg(store.db)).id);
    const page = await repo.listServiceAccounts(store.db, { orgId: org.id, offset: 1, limit: 1 });
    assert.deepEqual([page.total, page.items.map((s) => s.id)], [3, [accounts[2].id]]);
    const inProject = await repo.listServiceAccounts(store.db, {
      orgId: org.id,
      projectId: project.id,
      offset: 0,
      limit: 10,
    });
    assert.deepEqual([inProject.total, inProject.items.map((s) => s.id)], [1, [accounts[0].id]]);
    assert.deepEqual(
      (await repo.listAllServiceAccounts(store.db, org.id)).map((s) => s.id),
      [accounts[1].id, accounts[2].id, accounts[0].id],
    );
    assert.ok((await repo.listAllServiceAccounts(store.db)).length >= 4);
  });

  test('deleteServiceAccount removes it with its secrets, project roles and access list; false when gone', async () => {
    const org = await anOrg(store.db);
    const project = await aProject(store.db, org.id);
    const sa = await anAccount(org.id);
    const secret = await aSecret(sa.id);
    await repo.setServiceAccountProjectRoles(store.db, sa.id, project.id, ['GROUP_OWNER']);
    await addAccessListEntry(store.db, { kind: 'serviceAccount', id: sa.id }, newId(), '10.0.0.0/8', T0);
    assert.equal(await repo.deleteServiceAccount(store.db, sa.id), true);
    assert.equal(await repo.findServiceAccountByClientId(store.db, sa.clientId), undefined);
    assert.equal(await repo.findSecretByHash(store.db, sa.clientId, secret.secretHash), undefined);
    assert.deepEqual(await listAccessList(store.db, { kind: 'serviceAccount', id: sa.id }), []);
    assert.deepEqual(
      await store.db
        .selectFrom('service_account_project_roles')
        .selectAll()
        .where('service_account_id', '=', sa.id)
        .execute(),
      [],
    );
    assert.equal(await repo.deleteServiceAccount(store.db, sa.id), false);
  });
});
