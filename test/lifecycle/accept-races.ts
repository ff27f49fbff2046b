import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Actor } from '../../src/domain/actor.ts';
import { principalForPublicKey } from '../../src/domain/api-keys/api-key.service.ts';
import {
  createGroupInvite,
  deleteGroupInvite,
  updateGroupInviteById,
} from '../../src/domain/invitations/invitation.service.ts';
import { acceptInvitation, declineInvitation } from '../../src/domain/invitations/lifecycle.service.ts';
import type { Principal } from '../../src/domain/principal.ts';
import { AtlasError } from '../../src/errors/atlas-error.ts';
import * as invitations from '../../src/storage/repositories/invitations.repository.ts';
import { findProjectMembership, listOrgMemberships } from '../../src/storage/repositories/memberships.repository.ts';
import { outboxMail, type TestWorld, testWorld } from '../helpers/app.ts';

const SURFACE = { required: 'GROUP_OWNER', catalogue: 'atlas' } as const;

/** The accept link's secret, read back out of the queued mail as an invitee would. */
export async function tokenFromMail(w: TestWorld, to: string): Promise<string> {
  const mails = (await outboxMail(w)).filter((m) => m.to === to);
  const m = /\/console\/invitations\/([A-Za-z0-9_-]+)\/accept/.exec(mails.at(-1)?.text ?? '');
  assert.ok(m, `no accept link mailed to ${to}`);
  return m[1];
}

/** 'ok', or the errorCode an AtlasError carried. */
export const outcome = async (p: Promise<unknown>) => {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (e instanceof AtlasError) return e.errorCode;
    throw e;
  }
};

/** Races run once per dialect: on PostgreSQL they really are concurrent transactions. */
export function acceptRaces(dialect: 'sqlite' | 'postgres'): void {
  describe(`accept races on ${dialect}`, () => {
    let w: TestWorld;
    let actor: Actor;
    before(async () => {
      w = await testWorld({ dialect });
      actor = {
        principal: (await principalForPublicKey(w.deps.ctx, w.owner.publicKey)) as Principal,
        remoteAddress: '127.0.0.1',
      };
    });
    after(() => w.close());

    test('two accepts of one invitation: one joins, the other fails, no half state', async () => {
      const inv = await createGroupInvite(w.deps.ctx, actor, SURFACE, w.groupId, {
        username: 'twice@example.com',
        roles: ['GROUP_READ_ONLY'],
      });
      const token = await tokenFromMail(w, 'twice@example.com');
      const results = await Promise.all([
        outcome(acceptInvitation(w.deps.ctx, { token })),
        outcome(acceptInvitation(w.deps.ctx, { token })),
      ]);
      assert.deepEqual(results.sort(), ['INVALID_INVITATION_ID', 'ok']);
      assert.equal(await invitations.findInvitation(w.deps.ctx.db, inv.id), undefined);
      const members = await listOrgMemberships(w.deps.ctx.db, w.orgId);
      assert.equal(members.length, 1);
      assert.deepEqual(members[0].roles, ['ORG_MEMBER']);
      assert.deepEqual((await findProjectMembership(w.deps.ctx.db, w.groupId, members[0].userId))?.roles, [
        'GROUP_READ_ONLY',
      ]);
      const orgInvites = await invitations.listInvitations(w.deps.ctx.db, {
        kind: 'org',
        scopeId: w.orgId,
        username: 'twice@example.com',
      });
      assert.deepEqual(orgInvites, [], 'the organization invitation made alongside is consumed');
    });

    test('accept racing a delete: exactly one wins', async () => {
      for (let i = 0; i < 5; i++) {
        const username = `race${i}@example.com`;
        const inv = await createGroupInvite(w.deps.ctx, actor, SURFACE, w.groupId, {
          username,
          roles: ['GROUP_OWNER'],
        });
        const token = await tokenFromMail(w, username);
        const [accepted, deleted] = await Promise.all([
          outcome(acceptInvitation(w.deps.ctx, { token })),
          outcome(deleteGroupInvite(w.deps.ctx, actor, SURFACE, w.groupId, inv.id)),
        ]);
        assert.ok((accepted === 'ok') !== (deleted === 'ok'), `${accepted} / ${deleted}`);
        const members = await listOrgMemberships(w.deps.ctx.db, w.orgId);
        const joined =
          members.length > 0 &&
          (await findProjectMembership(w.deps.ctx.db, w.groupId, inv.userId as string)) !== undefined;
        assert.equal(joined, accepted === 'ok');
      }
    });

    test('accept racing an update: the member gets either the old or the new roles, never a half state', async () => {
      const inv = await createGroupInvite(w.deps.ctx, actor, SURFACE, w.groupId, {
        username: 'upd@example.com',
        roles: ['GROUP_READ_ONLY'],
      });
      const token = await tokenFromMail(w, 'upd@example.com');
      const [accepted, updated] = await Promise.all([
        outcome(acceptInvitation(w.deps.ctx, { token })),
        outcome(
          updateGroupInviteById(w.deps.ctx, actor.principal, SURFACE, w.groupId, inv.id, { roles: ['GROUP_OWNER'] }),
        ),
      ]);
      assert.equal(accepted, 'ok');
      const roles = (await findProjectMembership(w.deps.ctx.db, w.groupId, inv.userId as string))?.roles;
      assert.deepEqual(roles, updated === 'ok' ? ['GROUP_OWNER'] : ['GROUP_READ_ONLY']);
    });

    test('declined and expired invitations cannot be accepted', async () => {
      await createGroupInvite(w.deps.ctx, actor, SURFACE, w.groupId, {
        username: 'no@example.com',
        roles: ['GROUP_READ_ONLY'],
      });
      const token = await tokenFromMail(w, 'no@example.com');
      assert.equal(await outcome(declineInvitation(w.deps.ctx, { token })), 'ok');
      assert.equal(await outcome(acceptInvitation(w.deps.ctx, { token })), 'INVALID_INVITATION_ID');
      await createGroupInvite(w.deps.ctx, actor, SURFACE, w.groupId, {
        username: 'late@example.com',
        roles: ['GROUP_READ_ONLY'],
      });
      const late = await tokenFromMail(w, 'late@example.com');
      w.clock.advance(30 * 24 * 3600 * 1000);
      assert.equal(await outcome(acceptInvitation(w.deps.ctx, { token: late })), 'VALIDATION_ERROR');
      w.clock.advance(-30 * 24 * 3600 * 1000);
    });
  });
}
