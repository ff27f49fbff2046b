import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as repo from '../../src/storage/repositories/memberships.repository.ts';
import { T0, aProject, aUser, anOrg, at, forEachDialect } from './harness.ts';

forEachDialect('memberships repository', (store) => {
  test('addOrgMembership round-trips roles, teams and the joining date; a second add changes nothing and answers false', async () => {
    const org = await anOrg(store.db);
    const user = await aUser(store.db, 'Member@Example.com');
    const m = { orgId: org.id, userId: user.id, roles: ['ORG_OWNER', 'ORG_READ_ONLY'], teamIds: ['t1'], joinedAt: T0 };
    assert.equal(await repo.addOrgMembership(store.db, m), true);
    assert.equal(await repo.addOrgMembership(store.db, { ...m, roles: ['ORG_MEMBER'], joinedAt: at(5) }), false);
    assert.deepEqual(await repo.findOrgMembership(store.db, org.id, user.id), m);
    assert.equal(await repo.findOrgMembership(store.db, org.id, (await aUser(store.db)).id), undefined);
    const row = await store.db
      .selectFrom('org_memberships')
      .selectAll()
      .where('user_id', '=', user.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(
      [row.roles, row.team_ids, row.joined_at, row.username_key],
      ['["ORG_OWNER","ORG_READ_ONLY"]', '["t1"]', '2026-03-01T10:20:30.456Z', 'member@example.com'],
    );
  });

  test('listOrgMemberships: joining order, then user id; setOrgRoles replaces roles', async () => {
    const org = await anOrg(store.db);
    const users = [await aUser(store.db), await aUser(store.db), await aUser(store.db)];
    await repo.addOrgMembership(store.db, {
      orgId: org.id,
      userId: users[2].id,
      roles: ['ORG_MEMBER'],
      teamIds: [],
      joinedAt: at(1),
    });
    await repo.addOrgMembership(store.db, {
      orgId: org.id,
      userId: users[1].id,
      roles: ['ORG_MEMBER'],
      teamIds: [],
      joinedAt: at(2),
    });
    await repo.addOrgMembership(store.db, {
      orgId: org.id,
      userId: users[0].id,
      roles: ['ORG_MEMBER'],
      teamIds: [],
      joinedAt: at(2),
    });
    assert.deepEqual(
      (await repo.listOrgMemberships(store.db, org.id)).map((m) => m.userId),
      [users[2].id, users[0].id, users[1].id],
    );
    await repo.setOrgRoles(store.db, org.id, users[0].id, ['ORG_BILLING_ADMIN', 'ORG_MEMBER']);
    assert.deepEqual((await repo.findOrgMembership(store.db, org.id, users[0].id))?.roles, [
      'ORG_BILLING_ADMIN',
      'ORG_MEMBER',
    ]);
    assert.deepEqual(await repo.listOrgMemberships(store.db, (await anOrg(store.db)).id), []);
  });

  test('upsertProjectMembership joins (true), then replaces roles keeping the joining date (false)', async () => {
    const org = await anOrg(store.db);
    const project = await aProject(store.db, org.id);
    const user = await aUser(store.db);
    const m = { projectId: project.id, userId: user.id, roles: ['GROUP_READ_ONLY'], joinedAt: T0 };
    assert.equal(await store.db.transaction().execute((trx) => repo.upsertProjectMembership(trx, m)), true);
    assert.equal(
      await store.db
        .transaction()
        .execute((trx) => repo.upsertProjectMembership(trx, { ...m, roles: ['GROUP_OWNER'], joinedAt: at(9) })),
      false,
    );
    assert.deepEqual(await repo.findProjectMembership(store.db, project.id, user.id), { ...m, roles: ['GROUP_OWNER'] });
    assert.equal(await repo.removeProjectMembership(store.db, project.id, user.id), true);
    assert.equal(await repo.removeProjectMembership(store.db, project.id, user.id), false);
    assert.equal(await repo.findProjectMembership(store.db, project.id, user.id), undefined);
  });

  test('removeOrgMembership leaves the org and its projects only, answering the projects left, sorted', async () => {
    const org = await anOrg(store.db);
    const other = await anOrg(store.db);
    const [p1, p2, elsewhere] = [
      await aProject(store.db, org.id),
      await aProject(store.db, org.id),
      await aProject(store.db, other.id),
    ];
    const user = await aUser(store.db);
    await repo.addOrgMembership(store.db, {
      orgId: org.id,
      userId: user.id,
      roles: ['ORG_MEMBER'],
      teamIds: [],
      joinedAt: T0,
    });
    await repo.addOrgMembership(store.db, {
      orgId: other.id,
      userId: user.id,
      roles: ['ORG_MEMBER'],
      teamIds: [],
      joinedAt: T0,
    });
    await store.db.transaction().execute(async (trx) => {
      for (const p of [p2, p1, elsewhere])
        await repo.upsertProjectMembership(trx, {
          projectId: p.id,
          userId: user.id,
          roles: ['GROUP_OWNER'],
          joinedAt: T0,
        });
    });
    const result = await store.db.transaction().execute((trx) => repo.removeOrgMembership(trx, org.id, user.id));
    assert.deepEqual(result, { removed: true, projectIds: [p1.id, p2.id].sort() });
    assert.equal(await repo.findOrgMembership(store.db, org.id, user.id), undefined);
    assert.equal(await repo.findProjectMembership(store.db, p1.id, user.id), undefined);
    assert.ok(await repo.findOrgMembership(store.db, other.id, user.id));
    assert.ok(await repo.findProjectMembership(store.db, elsewhere.id, user.id));
    assert.deepEqual(await store.db.transaction().execute((trx) => repo.removeOrgMembership(trx, org.id, user.id)), {
      removed: false,
      projectIds: [],
    });
  });

  test('memberships need an existing org, user and project', async () => {
    const org = await anOrg(store.db);
    const user = await aUser(store.db);
    await assert.rejects(
      repo.addOrgMembership(store.db, { orgId: org.id, userId: 'f'.repeat(24), roles: [], teamIds: [], joinedAt: T0 }),
    );
    await assert.rejects(
      store.db
        .transaction()
        .execute((trx) =>
          repo.upsertProjectMembership(trx, { projectId: 'f'.repeat(24), userId: user.id, roles: [], joinedAt: T0 }),
        ),
    );
  });

  test('insertOrgMembershipsBatch stores many with their lower-case addresses; a repeated member is refused', async () => {
    const org = await anOrg(store.db);
    const users = [];
    for (let i = 0; i < 8; i++) users.push(await aUser(store.db, `Batch${i}@Example.com`));
    const rows = users.map((u, i) => ({
      orgId: org.id,
      userId: u.id,
      username: u.username,
      roles: ['ORG_MEMBER'],
      teamIds: i ? [] : ['t'],
      joinedAt: at(i),
    }));
    await repo.insertOrgMembershipsBatch(store.db, rows);
    assert.deepEqual(
      await repo.listOrgMemberships(store.db, org.id),
      rows.map(({ username: _, ...m }) => m),
    );
    const keys = await store.db
      .selectFrom('org_memberships')
      .select('username_key')
      .where('org_id', '=', org.id)
      .orderBy('joined_at')
      .execute();
    assert.deepEqual(
      keys.map((k) => k.username_key),
      users.map((u) => u.username.toLowerCase()),
    );
    await assert.rejects(repo.insertOrgMembershipsBatch(store.db, [rows[0]]));
  });
});
