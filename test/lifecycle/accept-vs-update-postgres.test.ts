import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { principalForPublicKey } from '../../src/domain/api-keys/api-key.service.ts';
import { createGroupInvite } from '../../src/domain/invitations/invitation.service.ts';
import { acceptInvitation } from '../../src/domain/invitations/lifecycle.service.ts';
import type { Principal } from '../../src/domain/principal.ts';
import { findProjectMembership } from '../../src/storage/repositories/memberships.repository.ts';
import { type TestWorld, testWorld } from '../helpers/app.ts';
import { TEST_DATABASE_URL } from '../helpers/database.ts';
import { tokenFromMail } from './accept-races.ts';

/**
 * The interleaving Promise.all cannot force: a role update holds the invitation's row lock, an
 * accept reads the old roles and then waits on that lock, the update commits. The member must get
 * the committed roles. PostgreSQL only: SQLite has one writer, so the interleaving cannot happen.
 */
let w: TestWorld;
before(async () => {
  w = await testWorld({ dialect: 'postgres' });
});
after(() => w.close());

async function waitUntilBlocked(observer: pg.Client, blockerPid: number): Promise<void> {
  for (let i = 0; i < 10_000; i++) {
    const r = await observer.query(
      'SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE NOT l.granted AND $1 = ANY(pg_blocking_pids(a.pid))',
      [blockerPid],
    );
    if (r.rows[0].n > 0) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('the accept never waited on the update');
}

test('an accept that waited on a committed role update grants the updated roles', async () => {
  const principal = (await principalForPublicKey(w.deps.ctx, w.owner.publicKey)) as Principal;
  const inv = await createGroupInvite(
    w.deps.ctx,
    { principal, remoteAddress: '127.0.0.1' },
    { required: 'GROUP_OWNER', catalogue: 'atlas' },
    w.groupId,
    {
      username: 'interleaved@example.com',
      roles: ['GROUP_READ_ONLY'],
    },
  );
  const token = await tokenFromMail(w, 'interleaved@example.com');
  const options = `-c search_path=${w.pgSchema}`;
  const updater = new pg.Client({ connectionString: TEST_DATABASE_URL, options });
  const observer = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await Promise.all([updater.connect(), observer.connect()]);
  try {
    await updater.query('BEGIN');
    await updater.query(`UPDATE invitations SET roles = '["GROUP_OWNER"]' WHERE id = $1 AND status = 'PENDING'`, [
      inv.id,
    ]);
    const updaterPid = (await updater.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
    const accepting = acceptInvitation(w.deps.ctx, { token });
    await waitUntilBlocked(observer, updaterPid);
    await updater.query('COMMIT');
    await accepting;
  } finally {
    await Promise.all([updater.end(), observer.end()]);
  }
  assert.deepEqual((await findProjectMembership(w.deps.ctx.db, w.groupId, inv.userId as string))?.roles, [
    'GROUP_OWNER',
  ]);
});
