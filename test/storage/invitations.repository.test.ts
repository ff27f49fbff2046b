import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Invitation } from '../../src/domain/invitations/invitation.ts';
import * as repo from '../../src/storage/repositories/invitations.repository.ts';
import { aProject, aUser, anInvitation, anOrg, at, forEachDialect, newId } from './harness.ts';

forEachDialect('invitations repository', (store) => {
  /** What the repository hands back: the org's and project's names joined in. */
  const stored = (inv: Invitation, orgName: string, projectName: string | null): Invitation => ({
    ...inv,
    orgName,
    projectName,
  });

  test('every column round-trips (lists, assignments, dates, nulls), with the org and project names joined in', async () => {
    const org = await anOrg(store.db, { name: 'Joined Org' });
    const project = await aProject(store.db, org.id, { name: 'Joined Project' });
    const user = await aUser(store.db);
    const p = await anInvitation(
      store.db,
      {
        orgId: org.id,
        projectId: project.id,
        username: 'Mixed.Case@Example.com',
        roles: ['GROUP_OWNER', 'GROUP_READ_ONLY'],
        userId: user.id,
        source: 'users',
      },
      'hash-p',
    );
    const o = await anInvitation(store.db, {
      orgId: org.id,
      kind: 'org',
      username: 'org@example.com',
      roles: ['ORG_MEMBER'],
      teamIds: ['t1', 't2'],
      source: 'project-invite',
      groupRoleAssignments: [
        { groupId: project.id, roles: ['GROUP_OWNER'] },
        { groupId: 'x', roles: [] },
      ],
      createdAt: at(1),
      expiresAt: at(2),
    });
    assert.deepEqual(await repo.findInvitation(store.db, p.id), stored(p, 'Joined Org', 'Joined Project'));
    assert.deepEqual(await repo.findInvitation(store.db, o.id), stored(o, 'Joined Org', null));
    assert.deepEqual(
      await repo.findInvitationByUsername(store.db, 'project', project.id, 'mixed.case@EXAMPLE.com'),
      stored(p, 'Joined Org', 'Joined Project'),
    );
    assert.deepEqual(
      await repo.findInvitationByTokenHash(store.db, 'hash-p'),
      stored(p, 'Joined Org', 'Joined Project'),
    );
    const row = await store.db.selectFrom('invitations').selectAll().where('id', '=', o.id).executeTakeFirstOrThrow();
    assert.deepEqual(
      [
        row.roles,
        row.team_ids,
        row.group_role_assignments,
        row.created_at,
        row.scope_id,
        row.username_key,
        row.project_id,
        row.user_id,
      ],
      [
        '["ORG_MEMBER"]',
        '["t1","t2"]',
        `[{"groupId":"${project.id}","roles":["GROUP_OWNER"]},{"groupId":"x","roles":[]}]`,
        at(1).toISOString(),
        org.id,
        'org@example.com',
        null,
        null,
      ],
    );
  });

  test('lookups that match nothing: unknown or malformed ids (a NUL), other scopes, other kinds, unknown hashes', async () => {
    const org = await anOrg(store.db);
    const project = await aProject(store.db, org.id);
    await anInvitation(store.db, { orgId: org.id, projectId: project.id, username: 'only@example.com' });
    assert.equal(await repo.findInvitation(store.db, newId()), undefined);
    assert.equal(await repo.findInvitation(store.db, 'not-an-id\u0000'), undefined);
    assert.equal(await repo.findInvitationByUsername(store.db, 'org', org.id, 'only@example.com'), undefined);
    assert.equal(
      await repo.findInvitationByUsername(
        store.db,
        'project',
        (await aProject(store.db, org.id)).id,
        'only@example.com',
      ),
      undefined,
    );
    assert.equal(await repo.findInvitationByTokenHash(store.db, 'no-such-hash'), undefined);
  });

  test('upsertInvitation keeps one per kind, scope and address: a repeat (or a declined one) becomes pending with the new values', async () => {
    const org = await anOrg(store.db);
    const project = await aProject(store.db, org.id);
    const first = await anInvitation(
      store.db,
      { orgId: org.id, projectId: project.id, username: 'Again@example.com', status: 'REJECTED' },
      'h1',
    );
    const replacement = {
      ...first,
      id: newId(),
      username: 'again@EXAMPLE.com',
      roles: ['GROUP_OWNER'],
      inviterUsername: 'second',
      createdAt: at(5),
      expiresAt: at(6),
      status: 'PENDING' as const,
      source: 'users' as const,
    };
    await repo.upsertInvitation(store.db, replacement, 'h2');
    const listed = await repo.listInvitations(store.db, {
      kind: 'project',
      scopeId: project.id,
      statuses: ['PENDING', 'REJECTED'],
    });
    // The first row stays (its id and address as first written); everything else is the new invitation's.
    assert.deepEqual(listed, [
      stored({ ...replacement, id: first.id, username: 'Again@example.com' }, org.name, project.name),
    ]);
    assert.equal(await repo.findInvitationByTokenHash(store.db, 'h1'), undefined);
    // Concurrent creates for one address converge too.
    await Promise.all(
      Array.from({ length: 6 }, () =>
        anInvitation(store.db, { orgId: org.id, projectId: project.id, username: 'race@example.com' }),
      ),
    );
    assert.equal(
      (await repo.listInvitations(store.db, { kind: 'project', scopeId: project.id, username: 'race@example.com' }))
        .length,
      1,
    );
  });

  test('listInvitations filters by kind and scope, address, states and sources, in creation order then id', async () => {
    const org = await anOrg(store.db);
    const project = await aProject(store.db, org.id);
    const [a, b, c, d] = [
      await anInvitation(store.db, { orgId: org.id, projectId: project.id, createdAt: at(3) }),
      await anInvitation(store.db, { orgId: org.id, projectId: project.id, createdAt: at(1), source: 'users' }),
      await anInvitation(store.db, { orgId: org.id, projectId: project.id, createdAt: at(2), status: 'REJECTED' }),
      await anInvitation(store.db, { orgId: org.id, kind: 'org', createdAt: at(0) }),
    ];
    const ids = async (f: Partial<repo.InvitationFilter>) =>
      (await repo.listInvitations(store.db, { kind: 'project', scopeId: project.id, ...f })).map((i) => i.id);
    assert.deepEqual(await ids({}), [b.id, a.id]);
    assert.deepEqual(await ids({ statuses: ['PENDING', 'REJECTED'] }), [b.id, c.id, a.id]);
    assert.deepEqual(await ids({ statuses: ['REJECTED'] }), [c.id]);
    assert.deepEqual(await ids({ sources: ['users'] }), [b.id]);
    assert.deepEqual(await ids({ sources: [] }), []);
    assert.deepEqual(await ids({ statuses: [] }), []);
    assert.deepEqual(await ids({ username: a.username.toUpperCase() }), [a.id]);
    assert.deepEqual(await ids({ kind: 'org', scopeId: org.id }), [d.id]);
  });

  test('updatePendingInvitation replaces only what it is given, and only while pending', async () => {
    const org = await anOrg(store.db);
    const inv = await anInvitation(store.db, {
      orgId: org.id,
      kind: 'org',
      roles: ['ORG_MEMBER'],
      teamIds: ['t'],
      groupRoleAssignments: [{ groupId: 'g', roles: ['GROUP_OWNER'] }],
    });
    assert.equal(await repo.updatePendingInvitation(store.db, inv.id, { roles: ['ORG_OWNER'] }), true);
    assert.equal(await repo.updatePendingInvitation(store.db, inv.id, { teamIds: [], groupRoleAssignments: [] }), true);
    assert.equal(await repo.updatePendingInvitation(store.db, inv.id, {}), true);
    assert.deepEqual(await repo.findInvitation(store.db, inv.id), {
      ...inv,
      orgName: org.name,
      roles: ['ORG_OWNER'],
      teamIds: [],
      groupRoleAssignments: [],
    });
    assert.equal(await repo.rejectInvitation(store.db, inv.id), true);
    assert.equal(await repo.updatePendingInvitation(store.db, inv.id, { roles: ['ORG_MEMBER'] }), false);
    assert.equal(await repo.updatePendingInvitation(store.db, newId(), { roles: ['ORG_MEMBER'] }), false);
  });

  test('rejectInvitation declines a pending one and forgets its link; deletes: pending only, or any state', async () => {
    const org = await anOrg(store.db);
    const inv = await anInvitation(store.db, { orgId: org.id, kind: 'org' }, 'link');
    assert.equal(await repo.rejectInvitation(store.db, inv.id), true);
    assert.equal(await repo.rejectInvitation(store.db, inv.id), false);
    assert.equal((await repo.findInvitation(store.db, inv.id))?.status, 'REJECTED');
    assert.equal(await repo.findInvitationByTokenHash(store.db, 'link'), undefined);
    assert.equal(await repo.deletePendingInvitation(store.db, inv.id), false);
    assert.equal(await repo.deleteInvitation(store.db, inv.id), true);
    assert.equal(await repo.deleteInvitation(store.db, inv.id), false);
    const pending = await anInvitation(store.db, { orgId: org.id, kind: 'org' });
    assert.equal(await repo.deletePendingInvitation(store.db, pending.id), true);
    assert.equal(await repo.findInvitation(store.db, pending.id), undefined);
  });

  test('claimPendingInvitation deletes a pending one and answers what it held; undefined once gone or declined', async () => {
    const org = await anOrg(store.db);
    const inv = await anInvitation(store.db, {
      orgId: org.id,
      kind: 'org',
      roles: ['ORG_OWNER'],
      teamIds: ['t'],
      groupRoleAssignments: [{ groupId: 'g', roles: ['GROUP_OWNER'] }],
    });
    await repo.updatePendingInvitation(store.db, inv.id, { roles: ['ORG_MEMBER'] });
    assert.deepEqual(await repo.claimPendingInvitation(store.db, inv.id), {
      roles: ['ORG_MEMBER'],
      teamIds: ['t'],
      groupRoleAssignments: [{ groupId: 'g', roles: ['GROUP_OWNER'] }],
    });
    assert.equal(await repo.claimPendingInvitation(store.db, inv.id), undefined);
    const declined = await anInvitation(store.db, { orgId: org.id, kind: 'org', status: 'REJECTED' });
    assert.equal(await repo.claimPendingInvitation(store.db, declined.id), undefined);
    assert.ok(await repo.findInvitation(store.db, declined.id));
    const raced = await anInvitation(store.db, { orgId: org.id, kind: 'org' });
    const claims = await Promise.all(Array.from({ length: 4 }, () => repo.claimPendingInvitation(store.db, raced.id)));
    assert.equal(claims.filter((c) => c !== undefined).length, 1);
  });

  test('listPendingInvitations (all, or one org) and listPendingProjectInvitationsInOrg (one address, any project)', async () => {
    const org = await anOrg(store.db);
    const other = await anOrg(store.db);
    const [p1, p2, px] = [
      await aProject(store.db, org.id),
      await aProject(store.db, org.id),
      await aProject(store.db, other.id),
    ];
    const i1 = await anInvitation(store.db, {
      orgId: org.id,
      projectId: p2.id,
      username: 'Many@example.com',
      createdAt: at(2),
    });
    const i2 = await anInvitation(store.db, {
      orgId: org.id,
      projectId: p1.id,
      username: 'many@example.com',
      createdAt: at(1),
    });
    const io = await anInvitation(store.db, {
      orgId: org.id,
      kind: 'org',
      username: 'many@example.com',
      createdAt: at(0),
    });
    await anInvitation(store.db, { orgId: org.id, projectId: p1.id, status: 'REJECTED', createdAt: at(0) });
    await anInvitation(store.db, { orgId: other.id, projectId: px.id, username: 'many@example.com' });
    assert.deepEqual(
      (await repo.listPendingInvitations(store.db, { orgId: org.id })).map((i) => i.id),
      [io.id, i2.id, i1.id],
    );
    const all = await repo.listPendingInvitations(store.db);
    assert.ok(all.length > 3 && all.every((i) => i.status === 'PENDING'));
    assert.deepEqual(
      (await repo.listPendingProjectInvitationsInOrg(store.db, org.id, 'MANY@example.com')).map((i) => i.id),
      [i2.id, i1.id],
    );
  });

  test('listInvitationsByIds finds any kind or state; insertInvitationsBatch stores many with their links', async () => {
    const org = await anOrg(store.db);
    const project = await aProject(store.db, org.id);
    const rows = Array.from({ length: 20 }, (_, i) => ({
      invitation: {
        id: newId(),
        kind: i % 2 ? ('org' as const) : ('project' as const),
        orgId: org.id,
        orgName: org.name,
        projectId: i % 2 ? null : project.id,
        projectName: i % 2 ? null : project.name,
        username: `batch${i}@example.com`,
        roles: [i % 2 ? 'ORG_MEMBER' : 'GROUP_READ_ONLY'],
        inviterUsername: 'seed',
        createdAt: at(i),
        expiresAt: at(i + 100),
        userId: null,
        status: i === 3 ? ('REJECTED' as const) : ('PENDING' as const),
        source: 'invites' as const,
        teamIds: [],
        groupRoleAssignments: [],
      },
      tokenHash: i === 3 ? null : `batch-${i}`,
    }));
    await repo.insertInvitationsBatch(store.db, rows);
    const found = await repo.listInvitationsByIds(store.db, [...rows.map((r) => r.invitation.id), newId()]);
    assert.deepEqual(
      found.sort((a, b) => a.id.localeCompare(b.id)),
      rows.map((r) => r.invitation),
    );
    assert.equal((await repo.findInvitationByTokenHash(store.db, 'batch-4'))?.id, rows[4].invitation.id);
    assert.deepEqual(await repo.listInvitationsByIds(store.db, []), []);
    await assert.rejects(
      repo.insertInvitationsBatch(store.db, [{ ...rows[0], invitation: { ...rows[0].invitation, id: newId() } }]),
      'one per kind, scope and address',
    );
  });

  test('an invitation needs an existing org (and project)', async () => {
    await assert.rejects(anInvitation(store.db, { orgId: 'f'.repeat(24), kind: 'org' }));
    const org = await anOrg(store.db);
    await assert.rejects(anInvitation(store.db, { orgId: org.id, projectId: 'e'.repeat(24) }));
  });
});
