import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { seed } from '../../src/domain/seed/seed.service.ts';
import { loadOrgDirectory, page, pageOrgUsers } from '../../src/domain/users/directory.ts';
import { ORG_MEMBERSHIP_STATUSES, type OrgMembershipStatus } from '../../src/domain/users/org-user.ts';
import { chunksOf } from '../../src/storage/batch.ts';
import { runCli } from '../e2e/server.ts';
import { testWorld, V2 } from '../helpers/app.ts';

const V25 = 'application/vnd.atlas.2025-02-19+json';
const HEX24 = /^[0-9a-f]{24}$/;

test('chunksOf keeps statements within the bind-parameter limit', () => {
  assert.deepEqual(chunksOf([1, 2, 3, 4, 5], 3, 2), [[1, 2], [3, 4], [5]]);
  assert.equal(chunksOf(Array.from({ length: 2000 }), 17)[0].length, 500);
  assert.equal(chunksOf(Array.from({ length: 2000 }), 100)[0].length, 320, '32,000 parameters at most');
});

for (const dialect of ['sqlite', 'postgres'] as const) {
  test(`seed writes what the API reads: invitations, their events and org invitations, members (${dialect})`, async () => {
    const w = await testWorld({ dialect });
    try {
      const v25 = { accept: V25, 'content-type': V25 };
      const before = JSON.parse((await w.api({ url: `/api/atlas/v2/orgs/${w.orgId}/users`, headers: v25 })).body)
        .totalCount as number;
      const steps: number[] = [];
      const r = await seed(
        w.deps.ctx,
        { invitations: 250, projects: 5, orgs: 2, members: 120, membersOrgId: w.orgId, perTransaction: 40 },
        (done) => steps.push(done),
      );
      assert.equal(steps.at(-1), 370);
      assert.deepEqual(
        {
          orgs: r.orgs,
          projects: r.projects,
          invitations: r.invitations,
          members: r.members,
          membersOrgId: r.membersOrgId,
        },
        {
          orgs: 2,
          projects: 5,
          invitations: 250,
          members: 120,
          membersOrgId: w.orgId,
        },
      );
      const db = w.deps.ctx.db;
      const n = async (table: 'invitations' | 'events' | 'org_memberships') =>
        Number(
          (
            await db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      assert.equal(await n('invitations'), 500, 'a project invitation and the org invitation made alongside');
      assert.equal(await n('events'), 500, 'INVITED_TO_GROUP and INVITED_TO_ORG');

      // The seeded project, as the API shows it to an Organization Owner of the seeded org.
      const owner = w.as(await w.key(['ORG_OWNER'], {}, r.firstOrgId as string));
      const base = `/api/atlas/v2/groups/${r.firstProjectId}`;
      const all = JSON.parse((await owner({ url: `${base}/invites` })).body) as Array<{
        id: string;
        username: string;
        groupId: string;
      }>;
      assert.equal(all.length, 50);
      assert.ok(all.every((i) => HEX24.test(i.id) && i.groupId === r.firstProjectId));
      const one = await owner({ url: `${base}/invites/${all[7].id}` });
      assert.equal(one.statusCode, 200);
      assert.equal(JSON.parse(one.body).username, all[7].username);
      const filtered = JSON.parse(
        (await owner({ url: `${base}/invites?username=${encodeURIComponent(all[7].username.toUpperCase())}` })).body,
      );
      assert.deepEqual(
        filtered.map((i: { id: string }) => i.id),
        [all[7].id],
      );
      const events = JSON.parse((await owner({ url: `${base}/events?itemsPerPage=10`, headers: { accept: V2 } })).body);
      assert.equal(events.totalCount, 50);
      assert.equal(events.results.length, 10);
      const orgEvents = JSON.parse(
        (await owner({ url: `/api/atlas/v2/orgs/${r.firstOrgId}/events?itemsPerPage=5`, headers: { accept: V2 } }))
          .body,
      );
      assert.equal(orgEvents.totalCount, 150, 'projects 0–2 are in the first org: 150 INVITED_TO_ORG');
      assert.ok(orgEvents.results.every((e: { eventTypeName: string }) => e.eventTypeName === 'INVITED_TO_ORG'));

      // The members, in address order, paged; one by id.
      const users = JSON.parse(
        (await w.api({ url: `/api/atlas/v2/orgs/${w.orgId}/users?itemsPerPage=50&pageNum=2`, headers: v25 })).body,
      );
      assert.equal(users.totalCount, before + 120);
      const names = users.results.map((u: { username: string }) => u.username);
      assert.deepEqual(names, [...names].sort());
      const member = users.results[3];
      const got = await w.api({ url: `/api/atlas/v2/orgs/${w.orgId}/users/${member.id}`, headers: v25 });
      assert.equal(got.statusCode, 200);
      assert.equal(JSON.parse(got.body).orgMembershipStatus, 'ACTIVE');
    } finally {
      await w.close();
    }
  });

  test(`listOrgUsers from indexes pages exactly as the whole directory did, in every state (${dialect})`, async () => {
    const w = await testWorld({ dialect });
    try {
      const v25 = { accept: V25, 'content-type': V25 };
      await seed(w.deps.ctx, { invitations: 0, members: 37, membersOrgId: w.orgId });
      const invite = (username: string) =>
        w.api({
          method: 'POST',
          url: `/api/atlas/v2/orgs/${w.orgId}/users`,
          headers: v25,
          body: { username, roles: { orgRoles: ['ORG_MEMBER'] } },
        });
      for (const u of ['a-first@example.com', 'Mixed.Case@example.com', 'seed-zz@example.com', 'zz-last@example.com'])
        assert.equal((await invite(u)).statusCode, 201);
      w.clock.advance(31 * 24 * 3600 * 1000);
      for (const u of ['b-fresh@example.com', 'seed-0@example.com']) assert.equal((await invite(u)).statusCode, 201);
      const db = w.deps.ctx.db;
      const now = w.clock.now();
      const everyone = await loadOrgDirectory(db, w.orgId, now);
      const subsets: OrgMembershipStatus[][] = [
        ['ACTIVE', 'PENDING'],
        ['PENDING'],
        ['INVITATION_EXPIRED'],
        [...ORG_MEMBERSHIP_STATUSES],
        ['ACTIVE'],
      ];
      for (const statuses of subsets) {
        for (const [pageNum, itemsPerPage] of [
          [1, 100],
          [1, 5],
          [3, 7],
          [9, 5],
          [20, 5],
        ]) {
          for (const username of [undefined, 'MIXED.case@example.com', 'nobody@example.com']) {
            const q = { statuses, pageNum, itemsPerPage, username };
            const want = page(everyone, q);
            const got = await pageOrgUsers(db, w.orgId, q, now);
            const ids = (p: typeof want) =>
              p.items.map((u) => `${u.user.username}:${u.status}:${u.invitation?.id ?? ''}`);
            assert.deepEqual(
              { total: got.total, items: ids(got) },
              { total: want.total, items: ids(want) },
              JSON.stringify(q),
            );
            assert.deepEqual(got.items, want.items);
          }
        }
      }
    } finally {
      await w.close();
    }
  });
}

test('cloud-invites seed loads a SQLite store, with a progress bar on stderr', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cloud-invites-seed-'));
  try {
    const r = await runCli(['seed', '--data', dir, '--invitations', '1200', '--members', '300', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual([out.invitations, out.projects, out.orgs, out.members], [1200, 12, 2, 300]);
    assert.match(out.firstProjectId, HEX24);
    assert.match(r.stderr, /\[#{30}\] 100% 1500\/1500/);
    const bad = await runCli(['seed', '--data', dir, '--invitations', 'many']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--invitations takes a whole number/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
