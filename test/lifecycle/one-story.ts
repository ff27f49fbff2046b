import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { listAllMail } from '../../src/storage/repositories/outbox.repository.ts';
import { findProjectMembership, listOrgMemberships } from '../../src/storage/repositories/memberships.repository.ts';
import { findUserByUsername } from '../../src/storage/repositories/users.repository.ts';
import { outboxMail, type TestWorld, testWorld } from '../helpers/app.ts';
import { accept, decline, eventTypes, V25 } from '../http/v2/users-fixtures.ts';
import { outcome, tokenFromMail } from './accept-races.ts';
import { acceptInvitation } from '../../src/domain/invitations/lifecycle.service.ts';
import { setUsersApiShowsProjectInvitees } from '../../src/domain/orgs/org.service.ts';

const DAY = 24 * 3600 * 1000;

/**
 * Invitations and memberships tell one story: expired invitations grant nothing, joining settles
 * every pending invitation, leaving voids old links, and bad bytes never reach the store.
 * Run once per dialect.
 */
export function oneStory(dialect: 'sqlite' | 'postgres'): void {
  describe(`one story on ${dialect}`, () => {
    let w: TestWorld;
    before(async () => {
      w = await testWorld({ dialect });
    });
    after(() => w.close());

    const orgInvite = (username: string, body: object) =>
      w.api({ method: 'POST', url: `/api/atlas/v2/orgs/${w.orgId}/invites`, body: { username, ...body } });
    const projectInvite = (username: string, roles: string[]) =>
      w.api({ method: 'POST', url: `/api/atlas/v2/groups/${w.groupId}/invites`, body: { roles, username } });
    const orgRolesOf = async (username: string) => {
      const user = await findUserByUsername(w.deps.ctx.db, username);
      return (await listOrgMemberships(w.deps.ctx.db, w.orgId)).find((m) => m.userId === user?.id)?.roles;
    };

    test('an expired org invitation grants nothing through a later project invitation', async () => {
      assert.equal((await orgInvite('eve@example.com', { roles: ['ORG_OWNER'] })).statusCode, 200);
      w.clock.advance(30 * DAY + 1000);
      assert.equal((await projectInvite('eve@example.com', ['GROUP_READ_ONLY'])).statusCode, 200);
      await accept(w, 'eve@example.com');
      assert.deepEqual(await orgRolesOf('eve@example.com'), ['ORG_MEMBER']);
    });

    test('joining through the org invitation settles the pending project invitation; leaving voids old links', async () => {
      assert.equal(
        (
          await orgInvite('carol@example.com', {
            roles: ['ORG_MEMBER'],
            groupRoleAssignments: [{ groupId: w.groupId, roles: ['GROUP_OWNER'] }],
          })
        ).statusCode,
        200,
      );
      assert.equal((await projectInvite('carol@example.com', ['GROUP_READ_ONLY'])).statusCode, 200);
      const projectLink = await tokenFromMail(w, 'carol@example.com');
      const orgLink = (await outboxMail(w)).filter((m) => m.to === 'carol@example.com')[0];
      const orgToken = /\/console\/invitations\/([A-Za-z0-9_-]+)\/accept/.exec(orgLink.text)?.[1] as string;
      await acceptInvitation(w.deps.ctx, { token: orgToken });
      const carol = await findUserByUsername(w.deps.ctx.db, 'carol@example.com');
      assert.deepEqual((await findProjectMembership(w.deps.ctx.db, w.groupId, carol?.id as string))?.roles, [
        'GROUP_OWNER',
        'GROUP_READ_ONLY',
      ]);
      const pending = await w.api({ url: `/api/atlas/v2/groups/${w.groupId}/invites?username=carol@example.com` });
      assert.equal(pending.body, '[]');
      assert.equal(await outcome(acceptInvitation(w.deps.ctx, { token: projectLink })), 'INVALID_INVITATION_ID');

      const removed = await w.api({
        method: 'DELETE',
        url: `/api/atlas/v2/orgs/${w.orgId}/users/${carol?.id}`,
        headers: { accept: V25 },
      });
      assert.equal(removed.statusCode, 204, removed.body);
      assert.ok((await eventTypes(w, { projectId: w.groupId })).includes('REMOVED_FROM_GROUP'));
      assert.equal(await orgRolesOf('carol@example.com'), undefined);
      const left = await w.api({ url: `/api/atlas/v2/orgs/${w.orgId}/invites?username=carol@example.com` });
      assert.equal(left.body, '[]', 'no invitation of hers survives her removal');
    });

    test('concurrent createOrgUser for a declined user: one 201, one 409, one mail', async () => {
      for (let i = 0; i < 4; i++) {
        const username = `dup${i}@example.com`;
        const create = () =>
          w.api({
            method: 'POST',
            url: `/api/atlas/v2/orgs/${w.orgId}/users`,
            headers: { accept: V25 },
            body: { roles: { orgRoles: ['ORG_MEMBER'] }, username },
          });
        assert.equal((await create()).statusCode, 201);
        await decline(w, username);
        const mailsBefore = (await listAllMail(w.deps.ctx.db)).filter((m) => m.to === username).length;
        const statuses = (await Promise.all([create(), create()])).map((r) => r.statusCode).sort();
        assert.deepEqual(statuses, [201, 409]);
        assert.equal((await listAllMail(w.deps.ctx.db)).filter((m) => m.to === username).length, mailsBefore + 1);
      }
    });

    test('addGroupUsers racing an accept: always 201, and the member ends up in the project', async () => {
      const second = await w.newProject(w.orgId, 'Second');
      for (let i = 0; i < 4; i++) {
        const username = `racer${i}@example.com`;
        const created = await w.api({
          method: 'POST',
          url: `/api/atlas/v2/orgs/${w.orgId}/users`,
          headers: { accept: V25 },
          body: { roles: { orgRoles: ['ORG_MEMBER'] }, username },
        });
        assert.equal(created.statusCode, 201, created.body);
        const token = await tokenFromMail(w, username);
        const [added] = await Promise.all([
          w.api({
            method: 'POST',
            url: `/api/atlas/v2/groups/${second}/users`,
            headers: { accept: V25 },
            body: { roles: ['GROUP_READ_ONLY'], username },
          }),
          acceptInvitation(w.deps.ctx, { token }),
        ]);
        assert.equal(added.statusCode, 201, added.body);
        const user = await findUserByUsername(w.deps.ctx.db, username);
        assert.deepEqual((await findProjectMembership(w.deps.ctx.db, second, user?.id as string))?.roles, [
          'GROUP_READ_ONLY',
        ]);
      }
    });

    test('the org setting usersApiShowsProjectInvitees lifts the blind spot', async () => {
      assert.equal((await projectInvite('hidden@example.com', ['GROUP_READ_ONLY'])).statusCode, 200);
      const listed = async () => {
        const res = await w.api({
          url: `/api/atlas/v2/orgs/${w.orgId}/users?username=hidden@example.com`,
          headers: { accept: V25 },
        });
        assert.equal(res.statusCode, 200, res.body);
        return (
          JSON.parse(res.body) as { results: Array<{ orgMembershipStatus: string; roles: { orgRoles: string[] } }> }
        ).results;
      };
      assert.deepEqual(await listed(), [], 'hidden, as on Atlas');
      await setUsersApiShowsProjectInvitees(w.deps.ctx, w.orgId, true);
      const shown = await listed();
      assert.equal(shown.length, 1);
      assert.equal(shown[0].orgMembershipStatus, 'PENDING');
      assert.deepEqual(shown[0].roles.orgRoles, ['ORG_MEMBER']);
      await setUsersApiShowsProjectInvitees(w.deps.ctx, w.orgId, false);
      assert.deepEqual(await listed(), []);
    });

    test('control characters and NUL are refused with 400s, never reaching the store', async () => {
      for (const username of [
        'x\u0000y@example.com',
        'x\u0001y@example.com',
        'x\u007fy@example.com',
        'x\u0085y@example.com',
      ]) {
        const res = await projectInvite(username, ['GROUP_READ_ONLY']);
        assert.equal(res.statusCode, 400, JSON.stringify(username));
        assert.ok(['INVALID_USERNAME', 'INVALID_JSON'].includes(JSON.parse(res.body).errorCode), res.body);
      }
      const query = await w.api({ url: `/api/atlas/v2/groups/${w.groupId}/invites?username=x%00y@example.com` });
      assert.equal(query.statusCode, 400);
      assert.equal(JSON.parse(query.body).errorCode, 'INVALID_QUERY_PARAMETER');
      const users = await w.api({
        method: 'POST',
        url: `/api/atlas/v2/orgs/${w.orgId}/users`,
        headers: { accept: V25 },
        body: { roles: { orgRoles: ['ORG_MEMBER'] }, username: 'n\u0000@example.com' },
      });
      assert.equal(users.statusCode, 400, users.body);
    });

    test('users-list links echo includeCount as asked', async () => {
      const res = await w.api({
        url: `/api/atlas/v2/orgs/${w.orgId}/users?includeCount=false&itemsPerPage=1`,
        headers: { accept: V25 },
      });
      assert.equal(res.statusCode, 200, res.body);
      const { links, totalCount } = JSON.parse(res.body) as { links: Array<{ href: string }>; totalCount: number };
      assert.equal(totalCount, 0);
      assert.ok(links.length > 0 && links.every((l) => l.href.includes('includeCount=false')), JSON.stringify(links));
    });
  });
}
