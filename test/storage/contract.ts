import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createApiKey, principalForPublicKey, privateKeyFor } from '../../src/domain/api-keys/api-key.service.ts';
import { createGroupInvite } from '../../src/domain/invitations/invitation.service.ts';
import type { Principal } from '../../src/domain/principal.ts';
import { getOrCreateSecret } from '../../src/storage/repositories/server-secrets.repository.ts';
import * as invitations from '../../src/storage/repositories/invitations.repository.ts';
import * as projects from '../../src/storage/repositories/projects.repository.ts';
import { type TestWorld, testWorld } from '../helpers/app.ts';

/** The storage contract, run once per dialect by sqlite.test.ts and postgres.test.ts. */
export function storageContract(dialect: 'sqlite' | 'postgres'): void {
  describe(`storage on ${dialect}`, () => {
    let w: TestWorld;
    let owner: Principal;
    before(async () => {
      w = await testWorld({ dialect });
      owner = (await principalForPublicKey(w.deps.ctx, w.owner.publicKey)) as Principal;
    });
    after(() => w.close());

    test('runs on the dialect it was asked for', () => {
      assert.equal(w.deps.database.dialect, dialect);
    });

    test('projects: name prefix (case-insensitive, LIKE wildcards literal), paging and id filter', async () => {
      const orgId = await w.newOrg('Paging Org');
      const ids: string[] = [];
      for (const name of ['Alpha', 'alpine', 'Beta', 'alxy', 'al_y']) ids.push(await w.newProject(orgId, name));
      const db = w.deps.ctx.db;
      const al = await projects.listProjects(db, { orgId, namePrefix: 'AL', offset: 0, limit: 10 });
      assert.deepEqual(
        al.items.map((p) => p.name),
        ['Alpha', 'alpine', 'alxy', 'al_y'],
      );
      const underscore = await projects.listProjects(db, { orgId, namePrefix: 'al_', offset: 0, limit: 10 });
      assert.deepEqual(
        underscore.items.map((p) => p.name),
        ['al_y'],
      );
      const percent = await projects.listProjects(db, { orgId, namePrefix: '%', offset: 0, limit: 10 });
      assert.deepEqual(percent.items, []);
      const page2 = await projects.listProjects(db, { orgId, offset: 2, limit: 2 });
      assert.deepEqual([page2.total, page2.items.map((p) => p.name)], [5, ['Beta', 'alxy']]);
      const only = await projects.listProjects(db, { orgId, ids: [ids[2]], offset: 0, limit: 10 });
      assert.deepEqual(
        only.items.map((p) => p.id),
        [ids[2]],
      );
      assert.deepEqual(await projects.listProjects(db, { orgId, ids: [], offset: 0, limit: 10 }), {
        items: [],
        total: 0,
      });
    });

    test('invitations: upsert keeps one row per username (any case) and replaces roles and dates', async () => {
      const db = w.deps.ctx.db;
      const base = {
        kind: 'project' as const,
        orgId: w.orgId,
        orgName: '',
        projectId: w.groupId,
        projectName: 'ignored',
        inviterUsername: 'abcdefgh',
        createdAt: new Date('2026-01-01T00:00:00Z'),
        expiresAt: new Date('2026-01-31T00:00:00Z'),
        userId: null,
        status: 'PENDING' as const,
        source: 'invites' as const,
        teamIds: [],
        groupRoleAssignments: [],
      };
      await invitations.upsertInvitation(
        db,
        { ...base, id: 'a'.repeat(24), username: 'Jane@Example.com', roles: ['GROUP_OWNER'] },
        'h1',
      );
      await invitations.upsertInvitation(
        db,
        {
          ...base,
          id: 'b'.repeat(24),
          username: 'jane@example.com',
          roles: ['GROUP_READ_ONLY'],
          createdAt: new Date('2026-02-01T00:00:00Z'),
        },
        'h2',
      );
      const all = await invitations.listInvitations(db, {
        kind: 'project',
        scopeId: w.groupId,
        username: 'JANE@example.COM',
      });
      assert.equal(all.length, 1);
      assert.deepEqual(
        {
          id: all[0].id,
          username: all[0].username,
          roles: all[0].roles,
          createdAt: all[0].createdAt.toISOString(),
          projectName: all[0].projectName,
          orgName: all[0].orgName,
        },
        {
          id: 'a'.repeat(24),
          username: 'Jane@Example.com',
          roles: ['GROUP_READ_ONLY'],
          createdAt: '2026-02-01T00:00:00.000Z',
          projectName: 'invitations-e2e-233',
          orgName: 'Atlas CLI E2E',
        },
      );
      assert.equal(
        (await invitations.findInvitationByTokenHash(db, 'h2'))?.id,
        'a'.repeat(24),
        'the new link replaces the old',
      );
      assert.equal(await invitations.findInvitationByTokenHash(db, 'h1'), undefined);
      assert.equal(
        await invitations.updatePendingInvitation(db, 'a'.repeat(24), { roles: ['GROUP_OWNER', 'GROUP_READ_ONLY'] }),
        true,
      );
      assert.deepEqual((await invitations.findInvitation(db, 'a'.repeat(24)))?.roles, [
        'GROUP_OWNER',
        'GROUP_READ_ONLY',
      ]);
      assert.equal(await invitations.rejectInvitation(db, 'a'.repeat(24)), true);
      assert.equal(
        await invitations.rejectInvitation(db, 'a'.repeat(24)),
        false,
        'only a pending invitation can be declined',
      );
      assert.equal(await invitations.updatePendingInvitation(db, 'a'.repeat(24), { roles: ['GROUP_OWNER'] }), false);
      assert.deepEqual(
        await invitations.listInvitations(db, { kind: 'project', scopeId: w.groupId, username: 'jane@example.com' }),
        [],
      );
      assert.equal(await invitations.deletePendingInvitation(db, 'a'.repeat(24)), false);
      assert.equal(await invitations.deleteInvitation(db, 'a'.repeat(24)), true);
      assert.equal(await invitations.findInvitation(db, 'a'.repeat(24)), undefined);
    });

    test('concurrent creates for one username converge on one invitation', async () => {
      const surface = { required: 'GROUP_OWNER', catalogue: 'atlas' } as const;
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          createGroupInvite(w.deps.ctx, { principal: owner, remoteAddress: '127.0.0.1' }, surface, w.groupId, {
            username: 'race@example.com',
            roles: [i % 2 ? 'GROUP_OWNER' : 'GROUP_READ_ONLY'],
          }),
        ),
      );
      assert.equal(new Set(results.map((r) => r.id)).size, 1);
      assert.equal(
        (
          await invitations.listInvitations(w.deps.ctx.db, {
            kind: 'project',
            scopeId: w.groupId,
            username: 'race@example.com',
          })
        ).length,
        1,
      );
    });

    test('deleting a project removes its invitations and key assignments', async () => {
      const projectId = await w.newProject(w.orgId, 'Doomed');
      const key = await w.key(['ORG_MEMBER'], { [projectId]: ['GROUP_OWNER'] });
      await createGroupInvite(
        w.deps.ctx,
        { principal: owner, remoteAddress: '127.0.0.1' },
        { required: 'GROUP_OWNER', catalogue: 'atlas' },
        projectId,
        {
          username: 'x@example.com',
          roles: ['GROUP_READ_ONLY'],
        },
      );
      assert.equal(await projects.deleteProject(w.deps.ctx.db, projectId), true);
      assert.deepEqual(await invitations.listInvitations(w.deps.ctx.db, { kind: 'project', scopeId: projectId }), []);
      const p = await principalForPublicKey(w.deps.ctx, key.publicKey);
      assert.deepEqual([...(p?.projectRoles.keys() ?? [])], []);
    });

    test('API keys: private key sealed at rest, opened for Digest, assignments round-trip', async () => {
      const created = await createApiKey(w.deps.ctx, {
        orgId: w.orgId,
        description: 'contract',
        orgRoles: ['ORG_MEMBER'],
        projectAssignments: [{ projectId: w.groupId, roles: ['GROUP_OWNER', 'GROUP_READ_ONLY'] }],
      });
      const row = await w.deps.ctx.db
        .selectFrom('api_keys')
        .selectAll()
        .where('id', '=', created.apiKey.id)
        .executeTakeFirstOrThrow();
      assert.ok(!row.private_key_sealed.includes(created.privateKey));
      assert.equal(row.private_key_tail, created.privateKey.slice(-12));
      assert.equal(await privateKeyFor(w.deps.ctx, created.apiKey.publicKey), created.privateKey);
      const p = await principalForPublicKey(w.deps.ctx, created.apiKey.publicKey);
      assert.deepEqual([...(p?.projectRoles.get(w.groupId) ?? [])], ['GROUP_OWNER', 'GROUP_READ_ONLY']);
      assert.equal(await privateKeyFor(w.deps.ctx, 'zzzzzzzz'), null);
    });

    test('server secrets are created once and then shared', async () => {
      const db = w.deps.ctx.db;
      const first = await getOrCreateSecret(db, 'contract-secret', () => 'one', new Date());
      const second = await getOrCreateSecret(db, 'contract-secret', () => 'two', new Date());
      assert.deepEqual([first, second], ['one', 'one']);
    });
  });
}
