import assert from 'node:assert/strict';
import { outcome } from './accept-races.ts';
import { after, before, describe, test } from 'node:test';
import type { Actor } from '../../src/domain/actor.ts';
import { principalForPublicKey } from '../../src/domain/api-keys/api-key.service.ts';
import type { Principal } from '../../src/domain/principal.ts';
import { addGroupUsers } from '../../src/domain/users/group-users.service.ts';
import { removeOrgUserRole } from '../../src/domain/users/org-users.service.ts';
import { type TestWorld, testWorld } from '../helpers/app.ts';
import {
  accept,
  activeOrgUser,
  DAY,
  decline,
  expectV25,
  idOfBody,
  pendingOrgUser,
  V25,
} from '../http/v2/users-fixtures.ts';

/** The users API's states over a real PostgreSQL, and its races (which SQLite's single writer hides). */
describe('users API lifecycle on postgres', () => {
  let w: TestWorld;
  let actor: Actor;
  const v25 = { accept: V25, 'content-type': V25 };
  const users = () => `/api/atlas/v2/orgs/${w.orgId}/users`;
  const create = (username: string, orgRoles: string[], groupRoleAssignments: unknown[] = []) =>
    w.api({
      method: 'POST',
      url: users(),
      headers: v25,
      body: { username, roles: { orgRoles, groupRoleAssignments } },
    });

  before(async () => {
    w = await testWorld({ dialect: 'postgres' });
    actor = {
      principal: (await principalForPublicKey(w.deps.ctx, w.owner.publicKey)) as Principal,
      remoteAddress: '127.0.0.1',
    };
  });
  after(() => w.close());

  test('PENDING → ACTIVE by the mailed link; PENDING → INVITATION_REJECTED; PENDING → INVITATION_EXPIRED; a rejected user re-created', async () => {
    const inviter = w.owner.publicKey;
    const assignment = [{ groupId: w.groupId, groupRoles: ['GROUP_READ_ONLY'] }];
    const joiner = idOfBody(await create('joiner@example.com', ['ORG_READ_ONLY'], assignment));
    const decliner = idOfBody(await create('decliner@example.com', ['ORG_MEMBER']));
    const idle = idOfBody(await create('idle@example.com', ['ORG_MEMBER']));
    await accept(w, 'joiner@example.com');
    await decline(w, 'decliner@example.com');
    expectV25(
      await w.api({ url: `${users()}/${joiner}`, headers: v25 }),
      200,
      activeOrgUser({
        id: joiner,
        username: 'joiner@example.com',
        orgRoles: ['ORG_READ_ONLY'],
        groupRoleAssignments: assignment,
      }),
      '500',
    );
    const listed = JSON.parse((await w.api({ url: users(), headers: v25 })).body);
    assert.deepEqual(
      listed.results.map((u: { id: string; orgMembershipStatus: string }) => [u.id, u.orgMembershipStatus]),
      [
        [idle, 'PENDING'],
        [joiner, 'ACTIVE'],
      ],
    );
    expectV25(
      await w.api({ url: `${users()}/${decliner}?orgMembershipStatuses=INVITATION_REJECTED`, headers: v25 }),
      200,
      pendingOrgUser({
        id: decliner,
        username: 'decliner@example.com',
        orgRoles: ['ORG_MEMBER'],
        status: 'INVITATION_REJECTED',
        expiresAt: null,
        inviter,
      }),
      '500',
    );
    w.clock.advance(31 * DAY);
    expectV25(
      await w.api({ url: `${users()}/${idle}?orgMembershipStatuses=INVITATION_EXPIRED`, headers: v25 }),
      200,
      pendingOrgUser({
        id: idle,
        username: 'idle@example.com',
        orgRoles: ['ORG_MEMBER'],
        status: 'INVITATION_EXPIRED',
        inviter,
      }),
      '500',
    );
    const again = await create('decliner@example.com', ['ORG_OWNER']);
    expectV25(
      again,
      201,
      pendingOrgUser({
        id: decliner,
        username: 'decliner@example.com',
        orgRoles: ['ORG_OWNER'],
        createdAt: '2026-09-10T03:04:53Z',
        expiresAt: '2026-10-10T03:04:53Z',
        inviter,
      }),
      '500',
    );
    w.clock.advance(-31 * DAY);
  });

  test('two owners demoting each other at once: exactly one succeeds (the organization stays owned)', async () => {
    const a = idOfBody(await create('owner-a@example.com', ['ORG_OWNER', 'ORG_MEMBER']));
    const b = idOfBody(await create('owner-b@example.com', ['ORG_OWNER', 'ORG_MEMBER']));
    await accept(w, 'owner-a@example.com');
    await accept(w, 'owner-b@example.com');
    const results = await Promise.all([
      outcome(removeOrgUserRole(w.deps.ctx, actor, w.orgId, a, 'ORG_OWNER')),
      outcome(removeOrgUserRole(w.deps.ctx, actor, w.orgId, b, 'ORG_OWNER')),
    ]);
    assert.deepEqual(results.sort(), ['CANNOT_DEMOTE_LAST_ORG_OWNER', 'ok']);
  });

  test('two addGroupUsers for one newcomer at once: one invitation, one 201 and one 409', async () => {
    const results = await Promise.all([
      outcome(
        addGroupUsers(w.deps.ctx, actor, w.groupId, { username: 'twice@example.com', roles: ['GROUP_READ_ONLY'] }),
      ),
      outcome(addGroupUsers(w.deps.ctx, actor, w.groupId, { username: 'twice@example.com', roles: ['GROUP_OWNER'] })),
    ]);
    assert.deepEqual(results.sort(), ['USER_ALREADY_EXISTS', 'ok']);
    const pending = JSON.parse((await w.api({ url: `${users()}?username=twice@example.com`, headers: v25 })).body);
    assert.equal(pending.totalCount, 1);
    assert.equal(pending.results[0].roles.groupRoleAssignments.length, 1);
  });
});
