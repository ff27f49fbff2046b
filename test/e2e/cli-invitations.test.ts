import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../src/config/config.ts';
import { createDeps } from '../../src/deps.ts';
import type { Actor } from '../../src/domain/actor.ts';
import { principalForPublicKey } from '../../src/domain/api-keys/api-key.service.ts';
import { createGroupInvite } from '../../src/domain/invitations/invitation.service.ts';
import { createOrgInvite } from '../../src/domain/invitations/org-invitation.service.ts';
import type { Principal } from '../../src/domain/principal.ts';
import { movableClock, systemClock } from '../../src/lib/clock.ts';
import { cliFails, cliJson, runCli, type RunningServer, startServer, tempDir } from './server.ts';

interface Row {
  id: string;
  kind: 'PROJECT' | 'ORG';
  orgId: string;
  groupId: string | null;
  username: string;
  roles: string[];
  status: 'PENDING' | 'EXPIRED';
  expiresAt: string;
}

interface MailRow {
  id: string;
  to: string;
  subject: string;
  status: 'SENT' | 'QUEUED';
  attempts: number;
  acceptUrl: string | null;
  declineUrl: string | null;
}

describe('cloud-invites invitations | mailbox (on the store)', () => {
  const dir = tempDir();
  const store = ['--data', dir];
  let init: { orgId: string; groupId: string; publicKey: string };
  const ids: Record<string, string> = {};

  before(async () => {
    init = await cliJson(['init', ...store]);
    // Invitations as the API would make them (same store, this process), one of them 31 days old.
    for (const [clock, make] of [
      [systemClock, ['now@example.com', 'org@example.com', 'decline@example.com']],
      [movableClock(new Date(Date.now() - 31 * 24 * 3600 * 1000)), ['old@example.com']],
    ] as const) {
      const deps = await createDeps(loadConfig({ data: dir }), { clock });
      try {
        const actor: Actor = {
          principal: (await principalForPublicKey(deps.ctx, init.publicKey)) as Principal,
          remoteAddress: '127.0.0.1',
        };
        for (const username of make) {
          const inv =
            username === 'org@example.com'
              ? await createOrgInvite(deps.ctx, actor, init.orgId, { username, roles: ['ORG_READ_ONLY'] })
              : await createGroupInvite(
                  deps.ctx,
                  actor,
                  { required: 'GROUP_OWNER', catalogue: 'atlas' },
                  init.groupId,
                  { username, roles: ['GROUP_READ_ONLY'] },
                );
          ids[username] = inv.id;
        }
        await deps.outbox.drain(); // no --smtp-url: captured, as a running server would
      } finally {
        await deps.close();
      }
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('invitations list: pending project and org invitations, with PENDING / EXPIRED', async () => {
    const rows = await cliJson<Row[]>(['invitations', 'list', ...store]);
    const byUser = (u: string, kind: Row['kind']) => rows.find((r) => r.username === u && r.kind === kind);
    assert.equal(byUser('now@example.com', 'PROJECT')?.status, 'PENDING');
    assert.equal(byUser('now@example.com', 'PROJECT')?.id, ids['now@example.com']);
    assert.equal(byUser('now@example.com', 'PROJECT')?.groupId, init.groupId);
    assert.equal(byUser('now@example.com', 'ORG')?.status, 'PENDING', 'the org invitation made alongside');
    assert.deepEqual(byUser('org@example.com', 'ORG')?.roles, ['ORG_READ_ONLY']);
    assert.equal(byUser('old@example.com', 'PROJECT')?.status, 'EXPIRED');
    assert.equal(rows.length, 7);
    assert.deepEqual(await cliJson(['invitations', 'list', '--org', '0123456789abcdef01234567', ...store]), []);
    assert.equal((await cliJson<Row[]>(['invitations', 'list', '--org', init.orgId, ...store])).length, 7);

    const human = await runCli(['invitations', 'list', ...store]);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, new RegExp(`^${ids['old@example.com']}  EXPIRED  old@example.com  project `, 'm'));
    assert.match(human.stdout, /  PENDING  org@example\.com  org Cloud-Invites /);
  });

  test('mailbox: captured mail with the accept and decline URLs; --to filters; --all adds what is queued', async () => {
    const mails = await cliJson<MailRow[]>(['mailbox', '--to', 'NOW@example.com', ...store]);
    assert.equal(mails.length, 1);
    assert.equal(mails[0].status, 'SENT');
    assert.match(
      mails[0].acceptUrl ?? '',
      /^http:\/\/127\.0\.0\.1:8080\/console\/invitations\/[A-Za-z0-9_-]{43}\/accept$/,
    );
    assert.equal(mails[0].declineUrl, (mails[0].acceptUrl as string).replace(/accept$/, 'decline'));
    assert.equal(
      (await cliJson<MailRow[]>(['mailbox', ...store])).length,
      4,
      'one invitation mail each (the org invitation made alongside sends none)',
    );
    const human = await runCli(['mailbox', '--to', 'now@example.com', ...store]);
    assert.match(
      human.stdout,
      /now@example\.com  You are invited to join the project Project-0\n {2}accept: {2}http:\S+\/accept\n {2}decline: http:\S+\/decline/,
    );
    await cliFails(['mailbox', '--limit', '0', ...store], /^error: --limit takes a positive integer/);
  });

  test('invitations accept --id: joins; a second accept fails with INVALID_INVITATION_ID; the welcome mail is queued', async () => {
    const id = ids['now@example.com'];
    const r = await cliJson<{ invitationId: string; status: string; userId: string; username: string }>([
      'invitations',
      'accept',
      '--id',
      id,
      ...store,
    ]);
    assert.equal(r.invitationId, id);
    assert.equal(r.status, 'ACCEPTED');
    assert.equal(r.username, 'now@example.com');
    await cliFails(
      ['invitations', 'accept', '--id', id, ...store],
      /^error: INVALID_INVITATION_ID: An invalid invitation ID [0-9a-f]{24} was specified\.\n$/,
    );
    const rows = await cliJson<Row[]>(['invitations', 'list', ...store]);
    assert.ok(!rows.some((x) => x.username === 'now@example.com'), 'project and org invitation both gone');
    const queued = await cliJson<MailRow[]>(['mailbox', '--all', '--to', 'now@example.com', ...store]);
    assert.deepEqual(
      queued.map((m) => [m.status, m.subject]),
      [
        ['SENT', 'You are invited to join the project Project-0'],
        ['QUEUED', 'Welcome to the project Project-0'],
      ],
    );
    const human = await runCli(['invitations', 'accept', '--id', ids['org@example.com'], ...store]);
    assert.equal(human.code, 0, human.stderr);
    assert.equal(human.stdout, 'Accepted: org@example.com is now a member of the organization Cloud-Invites.\n');
  });

  test('invitations decline --id, then neither answer works; expired and malformed ids are refused', async () => {
    const id = ids['decline@example.com'];
    assert.deepEqual(await cliJson(['invitations', 'decline', '--id', id, ...store]), {
      invitationId: id,
      status: 'DECLINED',
      username: 'decline@example.com',
    });
    await cliFails(['invitations', 'accept', '--id', id, ...store], /^error: INVALID_INVITATION_ID: /);
    await cliFails(['invitations', 'decline', '--id', id, ...store], /^error: INVALID_INVITATION_ID: /);
    await cliFails(
      ['invitations', 'accept', '--id', ids['old@example.com'], ...store],
      /^error: VALIDATION_ERROR: .*expired at/,
    );
    await cliFails(
      ['invitations', 'accept', '--id', 'nope', ...store],
      /^error: INVALID_INVITATION_ID: An invalid invitation ID nope was specified/,
    );
    await cliFails(['invitations', 'accept', ...store], /required option '--id <invitationId>'/);
  });
});

describe('cloud-invites clock (against a running server)', () => {
  let server: RunningServer;
  let token: string;
  before(async () => {
    server = await startServer({ args: ['--control-plane'] });
    token = server.creds?.controlToken as string;
    assert.match(token, /^cit_/);
  });
  after(() => server.stop());

  test('reads, advances and sets the server clock', async () => {
    const conn = ['--url', server.baseUrl, '--control-token', token];
    const { now } = await cliJson<{ now: string }>(['clock', ...conn]);
    assert.ok(Math.abs(Date.parse(now) - Date.now()) < 60_000, now);
    const moved = await cliJson<{ now: string }>(['clock', '--advance', '86400', ...conn]);
    assert.ok(Math.abs(Date.parse(moved.now) - Date.parse(now) - 86_400_000) < 60_000, `${now} → ${moved.now}`);
    assert.deepEqual(await cliJson(['clock', '--set', '2030-01-01T00:00:00Z', ...conn]), {
      now: '2030-01-01T00:00:00Z',
    });
    const back = await cliJson<{ now: string }>(['clock', '--advance=-3600', ...conn]);
    assert.match(back.now, /^2029-12-31T23:00:0\dZ$/);
    const human = await runCli(['clock', ...conn]);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /^2029-12-31T23:00:\d\dZ\n$/);
  });

  test('errors: wrong token, bad values, both flags, no control plane, nobody listening', async () => {
    await cliFails(['clock', '--url', server.baseUrl, '--control-token', 'wrong'], /answered 401: wrong control token/);
    await cliFails(
      ['clock', '--url', server.baseUrl, '--control-token', token, '--set', 'tomorrow'],
      /answered 400 INVALID_JSON_ATTRIBUTE/,
    );
    await cliFails(
      ['clock', '--url', server.baseUrl, '--control-token', token, '--advance', 'x'],
      /--advance takes a number of seconds/,
    );
    await cliFails(
      ['clock', '--url', server.baseUrl, '--control-token', token, '--advance', '1', '--set', '2030-01-01T00:00:00Z'],
      /cannot be used with option/,
    );
    await cliFails(['clock', '--url', server.baseUrl], /--control-token .* is required/);
    const dead = createServer();
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', () => resolve()));
    const { port } = dead.address() as AddressInfo;
    await new Promise<void>((resolve) => dead.close(() => resolve()));
    await cliFails(
      ['clock', '--url', `http://127.0.0.1:${port}`, '--control-token', token],
      new RegExp(`cannot reach http://127\\.0\\.0\\.1:${port}/_cloud-invites/clock: ECONNREFUSED`),
    );
  });
});

describe('cloud-invites clock against a server without --control-plane', () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  test('says the control plane is off', async () => {
    await cliFails(
      ['clock', '--url', server.baseUrl, '--control-token', 'x'],
      /answered 404: is the server running with --control-plane\?/,
    );
  });
});
