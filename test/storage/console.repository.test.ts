import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as repo from '../../src/storage/repositories/console.repository.ts';
import { deletePendingInvitation, rejectInvitation } from '../../src/storage/repositories/invitations.repository.ts';
import { addOrgMembership } from '../../src/storage/repositories/memberships.repository.ts';
import { aProject, aUser, anInvitation, anOrg, at, forEachDialect, newId, T0 } from './harness.ts';

forEachDialect('console repository', (store) => {
  test('accounts: upsert, read back, failed attempts and lockout; a new password lifts the lockout', async () => {
    const user = await aUser(store.db);
    assert.equal(await repo.findConsoleAccount(store.db, user.id), undefined);
    await repo.upsertConsoleAccount(store.db, user.id, 'scrypt$one', T0);
    assert.deepEqual(await repo.findConsoleAccount(store.db, user.id), {
      userId: user.id,
      passwordHash: 'scrypt$one',
      failedAttempts: 0,
      lockedUntil: null,
    });
    await repo.setFailedAttempts(store.db, user.id, 5, at(900));
    assert.deepEqual(await repo.findConsoleAccount(store.db, user.id), {
      userId: user.id,
      passwordHash: 'scrypt$one',
      failedAttempts: 5,
      lockedUntil: at(900),
    });
    await repo.upsertConsoleAccount(store.db, user.id, 'scrypt$two', at(1000));
    assert.deepEqual(await repo.findConsoleAccount(store.db, user.id), {
      userId: user.id,
      passwordHash: 'scrypt$two',
      failedAttempts: 0,
      lockedUntil: null,
    });
  });

  test('sessions: insert, find, extend, delete one, delete all of a person', async () => {
    const [a, b] = [await aUser(store.db), await aUser(store.db)];
    const ids = [newId(), newId(), newId()];
    await repo.insertSession(store.db, { idHash: ids[0], userId: a.id, createdAt: T0, expiresAt: at(3600) });
    await repo.insertSession(store.db, { idHash: ids[1], userId: a.id, createdAt: T0, expiresAt: at(3600) });
    await repo.insertSession(store.db, { idHash: ids[2], userId: b.id, createdAt: T0, expiresAt: at(3600) });
    assert.deepEqual(await repo.findSession(store.db, ids[0]), { userId: a.id, expiresAt: at(3600) });
    await repo.setSessionExpiry(store.db, ids[0], at(7200));
    assert.deepEqual(await repo.findSession(store.db, ids[0]), { userId: a.id, expiresAt: at(7200) });
    await repo.deleteSession(store.db, ids[0]);
    assert.equal(await repo.findSession(store.db, ids[0]), undefined);
    await repo.deleteSessionsOf(store.db, a.id);
    assert.equal(await repo.findSession(store.db, ids[1]), undefined);
    assert.deepEqual(await repo.findSession(store.db, ids[2]), { userId: b.id, expiresAt: at(3600) });
  });

  test('spent links: a deleted pending invitation is "gone", a declined one "declined"; a live link is not spent', async () => {
    const org = await anOrg(store.db);
    const project = await aProject(store.db, org.id);
    const [gone, declined, live] = [newId(), newId(), newId()];
    const deleted = await anInvitation(
      store.db,
      { orgId: org.id, projectId: project.id, username: 'Gone@Example.com' },
      gone,
    );
    const rejected = await anInvitation(store.db, { orgId: org.id, projectId: project.id }, declined);
    await anInvitation(store.db, { orgId: org.id, projectId: project.id }, live);
    assert.equal(await deletePendingInvitation(store.db, deleted.id), true);
    assert.equal(await rejectInvitation(store.db, rejected.id), true);
    assert.deepEqual(await repo.findSpentLink(store.db, gone), {
      kind: 'project',
      orgId: org.id,
      projectId: project.id,
      usernameKey: 'gone@example.com',
      outcome: 'gone',
    });
    assert.equal((await repo.findSpentLink(store.db, declined))?.outcome, 'declined');
    assert.equal(await repo.findSpentLink(store.db, live), undefined);
  });

  test("a person's organizations, by name, with their roles there", async () => {
    const user = await aUser(store.db);
    const zeta = await anOrg(store.db, { name: 'Zeta' });
    const alpha = await anOrg(store.db, { name: 'Alpha' });
    await anOrg(store.db, { name: 'Not a member' });
    await addOrgMembership(store.db, {
      orgId: zeta.id,
      userId: user.id,
      roles: ['ORG_OWNER'],
      teamIds: [],
      joinedAt: T0,
    });
    await addOrgMembership(store.db, {
      orgId: alpha.id,
      userId: user.id,
      roles: ['ORG_MEMBER', 'ORG_READ_ONLY'],
      teamIds: [],
      joinedAt: T0,
    });
    assert.deepEqual(await repo.listMembershipsOfUser(store.db, user.id), [
      { orgId: alpha.id, orgName: 'Alpha', roles: ['ORG_MEMBER', 'ORG_READ_ONLY'] },
      { orgId: zeta.id, orgName: 'Zeta', roles: ['ORG_OWNER'] },
    ]);
    assert.deepEqual(await repo.listMembershipsOfUser(store.db, newId()), []);
  });
});
