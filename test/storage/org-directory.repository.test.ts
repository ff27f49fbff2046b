import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addOrgMembership,
  listOrgMemberships,
  upsertProjectMembership,
} from '../../src/storage/repositories/memberships.repository.ts';
import * as repo from '../../src/storage/repositories/org-directory.repository.ts';
import { findInvitation } from '../../src/storage/repositories/invitations.repository.ts';
import { T0, aProject, aUser, anInvitation, anOrg, at, contend, forEachDialect, newId } from './harness.ts';

forEachDialect('org-directory repository', (store) => {
  const member = (orgId: string, userId: string, roles = ['ORG_MEMBER'], joinedAt = T0) =>
    addOrgMembership(store.db, { orgId, userId, roles, teamIds: [], joinedAt });

  test('listUsersByIds and listUsersByUsernames (any case, repeats once); empty lists ask nothing', async () => {
    const [a, b] = [await aUser(store.db, 'Dir.A@example.com'), await aUser(store.db, 'dir.b@example.com')];
    const byId = await repo.listUsersByIds(store.db, [b.id, a.id, newId()]);
    assert.deepEqual(
      byId.sort((x, y) => x.id.localeCompare(y.id)),
      [a, b].sort((x, y) => x.id.localeCompare(y.id)),
    );
    const byName = await repo.listUsersByUsernames(store.db, [
      'DIR.a@EXAMPLE.com',
      'dir.a@example.com',
      'nobody@example.com',
    ]);
    assert.deepEqual(byName, [a]);
    assert.deepEqual(await repo.listUsersByIds(store.db, []), []);
    assert.deepEqual(await repo.listUsersByUsernames(store.db, []), []);
  });

  test("members, their project memberships (this org's projects only) and project ids", async () => {
    const org = await anOrg(store.db);
    const other = await anOrg(store.db);
    const [p1, p2, px] = [
      await aProject(store.db, org.id),
      await aProject(store.db, org.id),
      await aProject(store.db, other.id),
    ];
    const [u1, u2] = [await aUser(store.db), await aUser(store.db)];
    await member(org.id, u2.id, ['ORG_OWNER'], at(2));
    await member(org.id, u1.id, ['ORG_MEMBER'], at(1));
    await store.db.transaction().execute(async (trx) => {
      await upsertProjectMembership(trx, { projectId: p2.id, userId: u1.id, roles: ['GROUP_OWNER'], joinedAt: at(3) });
      await upsertProjectMembership(trx, {
        projectId: p1.id,
        userId: u2.id,
        roles: ['GROUP_READ_ONLY', 'GROUP_OWNER'],
        joinedAt: at(3),
      });
      await upsertProjectMembership(trx, { projectId: px.id, userId: u1.id, roles: ['GROUP_OWNER'], joinedAt: at(0) });
    });
    assert.deepEqual(await listOrgMemberships(store.db, org.id), [
      { orgId: org.id, userId: u1.id, roles: ['ORG_MEMBER'], teamIds: [], joinedAt: at(1) },
      { orgId: org.id, userId: u2.id, roles: ['ORG_OWNER'], teamIds: [], joinedAt: at(2) },
    ]);
    const expected = [
      { projectId: p1.id, userId: u2.id, roles: ['GROUP_READ_ONLY', 'GROUP_OWNER'], joinedAt: at(3) },
      { projectId: p2.id, userId: u1.id, roles: ['GROUP_OWNER'], joinedAt: at(3) },
    ];
    assert.deepEqual(await repo.listOrgProjectMemberships(store.db, org.id), expected);
    assert.deepEqual(await repo.listOrgProjectMembershipsOf(store.db, org.id, [u1.id]), [expected[1]]);
    assert.deepEqual(await repo.listOrgProjectMembershipsOf(store.db, org.id, []), []);
    assert.deepEqual((await repo.listOrgProjectIds(store.db, org.id)).sort(), [p1.id, p2.id].sort());
    assert.deepEqual(await repo.existingOrgProjectIds(store.db, org.id, [px.id, p2.id, newId()]), [p2.id]);
    assert.deepEqual(await repo.existingOrgProjectIds(store.db, org.id, []), []);
  });

  test('setOrgTeamIds and countOrgMembersWithRole (a role name, not a prefix of one)', async () => {
    const org = await anOrg(store.db);
    const [u1, u2, u3] = [await aUser(store.db), await aUser(store.db), await aUser(store.db)];
    await member(org.id, u1.id, ['ORG_OWNER']);
    await member(org.id, u2.id, ['ORG_MEMBER', 'ORG_OWNER']);
    await member(org.id, u3.id, ['ORG_OWNER_X']);
    assert.equal(await repo.countOrgMembersWithRole(store.db, org.id, 'ORG_OWNER'), 2);
    assert.equal(await repo.countOrgMembersWithRole(store.db, org.id, 'ORG_READ_ONLY'), 0);
    await repo.setOrgTeamIds(store.db, org.id, u1.id, ['team-a', 'team-b']);
    assert.deepEqual((await listOrgMemberships(store.db, org.id)).find((m) => m.userId === u1.id)?.teamIds, [
      'team-a',
      'team-b',
    ]);
  });

  test('deleteOrgInvitationsFor deletes every invitation of the address in the org, whatever its kind or state', async () => {
    const org = await anOrg(store.db);
    const other = await anOrg(store.db);
    const project = await aProject(store.db, org.id);
    const gone = [
      await anInvitation(store.db, { orgId: org.id, kind: 'org', username: 'gone@example.com' }),
      await anInvitation(store.db, {
        orgId: org.id,
        projectId: project.id,
        username: 'gone@example.com',
        status: 'REJECTED',
      }),
    ];
    const kept = await anInvitation(store.db, { orgId: other.id, kind: 'org', username: 'gone@example.com' });
    await repo.deleteOrgInvitationsFor(store.db, org.id, 'gone@example.com');
    for (const inv of gone) assert.equal(await findInvitation(store.db, inv.id), undefined);
    assert.ok(await findInvitation(store.db, kept.id));
  });

  test('setInvitationGroupRoleAssignments replaces them in any state; false for an unknown id', async () => {
    const org = await anOrg(store.db);
    const inv = await anInvitation(store.db, {
      orgId: org.id,
      kind: 'org',
      status: 'REJECTED',
      groupRoleAssignments: [{ groupId: 'g1', roles: ['GROUP_OWNER'] }],
    });
    const next = [{ groupId: 'g2', roles: ['GROUP_READ_ONLY', 'GROUP_OWNER'] }];
    assert.equal(await repo.setInvitationGroupRoleAssignments(store.db, inv.id, next), true);
    assert.deepEqual((await findInvitation(store.db, inv.id))?.groupRoleAssignments, next);
    assert.equal(await repo.setInvitationGroupRoleAssignments(store.db, newId(), next), false);
  });

  test("lockOrg holds the org's row until the transaction ends: a second taker waits", async () => {
    const org = await anOrg(store.db);
    assert.deepEqual(await contend(store, (trx) => repo.lockOrg(trx, org.id)), [
      'first locked',
      'first committed',
      'second locked',
    ]);
    assert.equal(
      (await store.db.selectFrom('orgs').select('name').where('id', '=', org.id).executeTakeFirstOrThrow()).name,
      org.name,
    );
  });

  test('pageOrgDirectory / countOrgDirectory: members and visible invitations, merged in address order, paged', async () => {
    const org = await anOrg(store.db);
    const now = at(1000);
    const users: Record<string, string> = {};
    for (const name of ['a', 'b', 'C', 'd', 'e', 'f', 'g'])
      users[name] = (await aUser(store.db, `${name}@dir.example`)).id;
    for (const name of ['a', 'C', 'e']) await member(org.id, users[name], ['ORG_MEMBER'], at(name.charCodeAt(0)));
    const inv = {
      b: await anInvitation(store.db, {
        orgId: org.id,
        kind: 'org',
        username: 'b@dir.example',
        source: 'users',
        userId: users.b,
      }),
      d: await anInvitation(store.db, { orgId: org.id, kind: 'org', username: 'd@dir.example', expiresAt: at(10) }),
      f: await anInvitation(store.db, {
        orgId: org.id,
        kind: 'org',
        username: 'f@dir.example',
        status: 'REJECTED',
        source: 'users',
      }),
      g: await anInvitation(store.db, {
        orgId: org.id,
        kind: 'org',
        username: 'g@dir.example',
        source: 'project-invite',
      }),
    };
    await anInvitation(store.db, { orgId: org.id, kind: 'org', username: 'h@dir.example' }); // no such user: not listed
    await anInvitation(store.db, { orgId: org.id, kind: 'org', username: 'A@dir.example' }); // a member already: listed once, as a member
    const q: repo.DirectoryQuery = {
      orgId: org.id,
      members: true,
      pending: true,
      expired: true,
      rejected: true,
      sources: ['invites', 'users'],
      now,
    };
    const page = await repo.pageOrgDirectory(store.db, q, 0, 100);
    assert.deepEqual(
      page.map((k) => [k.userId, k.invitationId]),
      [
        [users.a, null],
        [users.b, inv.b.id],
        [users.C, null],
        [users.d, inv.d.id],
        [users.e, null],
        [users.f, inv.f.id],
      ],
    );
    assert.deepEqual(page[0].member, {
      orgId: org.id,
      userId: users.a,
      roles: ['ORG_MEMBER'],
      teamIds: [],
      joinedAt: at(97),
    });
    assert.equal(page[1].member, undefined);
    assert.equal(await repo.countOrgDirectory(store.db, q), 6);
    assert.deepEqual(
      (await repo.pageOrgDirectory(store.db, q, 2, 3)).map((k) => k.userId),
      [users.C, users.d, users.e],
    );
    assert.deepEqual(await repo.pageOrgDirectory(store.db, q, 6, 3), []);
    const only = async (over: Partial<repo.DirectoryQuery>) =>
      (await repo.pageOrgDirectory(store.db, { ...q, ...over }, 0, 100)).map((k) => k.userId);
    assert.deepEqual(await only({ members: false, expired: false, rejected: false }), [users.b]);
    assert.deepEqual(await only({ members: false, pending: false, rejected: false }), [users.d]);
    assert.deepEqual(await only({ members: false, pending: false, expired: false }), [users.f]);
    assert.deepEqual(
      await only({ members: false, sources: ['invites', 'users', 'project-invite'], expired: false, rejected: false }),
      [users.b, users.g],
    );
    assert.deepEqual(await only({ pending: false, expired: false, rejected: false }), [users.a, users.C, users.e]);
    assert.deepEqual(await only({ usernameKey: 'c@dir.example' }), [users.C]);
    assert.deepEqual(await only({ usernameKey: 'd@dir.example' }), [users.d]);
    assert.equal(await repo.countOrgDirectory(store.db, { ...q, usernameKey: 'c@dir.example' }), 1);
    assert.equal(await repo.countOrgDirectory(store.db, { ...q, members: false, sources: [] }), 0);
    assert.deepEqual(await only({ members: false, sources: [] }), []);
  });
});
