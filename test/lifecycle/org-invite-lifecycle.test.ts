import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Actor } from '../../src/domain/actor.ts';
import { principalForPublicKey } from '../../src/domain/api-keys/api-key.service.ts';
import { createOrgInvite } from '../../src/domain/invitations/org-invitation.service.ts';
import type { Principal } from '../../src/domain/principal.ts';
import * as invitations from '../../src/storage/repositories/invitations.repository.ts';
import { findOrgMembership, findProjectMembership } from '../../src/storage/repositories/memberships.repository.ts';
import { listAllMail } from '../../src/storage/repositories/outbox.repository.ts';
import { json, type TestWorld, testWorld } from '../helpers/app.ts';
import {
  assertAtlasError,
  assertHtml,
  browse,
  control,
  eventTypes,
  invitationMail,
  THIRTY_DAYS_S,
} from './control-plane.ts';

/** The organization invitation's whole life through HTTP: the same story as a project invitation's. */
describe('organization invitation lifecycle over HTTP', () => {
  let w: TestWorld;
  let actor: Actor;
  const invites = () => `/api/atlas/v2/orgs/${w.orgId}/invites`;
  /** Over Digest (createOrgInvite, v2). */
  const invite = async (username: string, body: Record<string, unknown> = { roles: ['ORG_MEMBER'] }) => {
    const res = await w.api({ method: 'POST', url: invites(), body: { username, ...body } });
    assert.equal(res.statusCode, 200, res.body);
    return json(res) as { id: string; username: string; roles: string[] };
  };
  const listed = async () => {
    const res = await w.api({ url: invites() });
    assert.equal(res.statusCode, 200, res.body);
    return (json(res) as Array<{ username: string }>).map((i) => i.username);
  };

  before(async () => {
    w = await testWorld({ controlPlane: true });
    actor = {
      principal: (await principalForPublicKey(w.deps.ctx, w.owner.publicKey)) as Principal,
      remoteAddress: '127.0.0.1',
    };
  });
  after(() => w.close());

  test('invite → mailbox → accept page → accept → gone, member of the org and its projects, events, welcome mail', async () => {
    const inv = await invite('olga@example.com', {
      roles: ['ORG_BILLING_ADMIN', 'ORG_MEMBER'],
      groupRoleAssignments: [{ groupId: w.groupId, roles: ['GROUP_READ_ONLY'] }],
    });
    assert.deepEqual(await listed(), ['olga@example.com']);

    const mail = await invitationMail(w, 'olga@example.com');
    assert.equal(mail.subject, 'You are invited to join the organization Atlas CLI E2E');
    const page = await browse(w, 'GET', mail.acceptUrl);
    assertHtml(
      page,
      200,
      'Accept invitation',
      'the organization Atlas CLI E2E',
      'olga@example.com',
      'title="ORG_BILLING_ADMIN"',
      'title="ORG_MEMBER"',
    );
    assert.deepEqual(await listed(), ['olga@example.com'], 'showing the page changes nothing');

    assertHtml(
      await browse(w, 'POST', mail.acceptUrl),
      200,
      'Invitation accepted',
      'organization Atlas CLI E2E',
      'olga@example.com',
    );

    assertAtlasError(await w.api({ url: `${invites()}/${inv.id}` }), 404, 'INVALID_INVITATION_ID');
    assert.deepEqual(await listed(), []);
    assertAtlasError(await w.api({ method: 'DELETE', url: `${invites()}/${inv.id}` }), 400, 'INVALID_INVITATION_ID');
    assert.equal(await invitations.findInvitation(w.deps.ctx.db, inv.id), undefined);

    const user = await w.deps.ctx.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'olga@example.com')
      .executeTakeFirstOrThrow();
    assert.deepEqual((await findOrgMembership(w.deps.ctx.db, w.orgId, user.id))?.roles, [
      'ORG_BILLING_ADMIN',
      'ORG_MEMBER',
    ]);
    assert.deepEqual((await findProjectMembership(w.deps.ctx.db, w.groupId, user.id))?.roles, ['GROUP_READ_ONLY']);

    const orgEvents = await eventTypes(w, { orgId: w.orgId }, 'olga@example.com');
    for (const t of ['INVITED_TO_ORG', 'JOINED_ORG']) assert.ok(orgEvents.includes(t), `${t} in ${orgEvents}`);
    assert.ok((await eventTypes(w, { projectId: w.groupId }, 'olga@example.com')).includes('JOINED_GROUP'));

    const queued = (await listAllMail(w.deps.ctx.db)).filter((m) => m.to === 'olga@example.com').map((m) => m.subject);
    assert.deepEqual(queued, [
      'You are invited to join the organization Atlas CLI E2E',
      'Welcome to the organization Atlas CLI E2E',
    ]);

    assertHtml(await browse(w, 'GET', mail.acceptUrl), 404, 'no longer available');
    assertHtml(await browse(w, 'POST', mail.acceptUrl), 404, 'no longer available');
    // A member cannot be invited again (409), so nothing can revive the spent link.
    assertAtlasError(
      await w.api({ method: 'POST', url: invites(), body: { username: 'olga@example.com', roles: ['ORG_MEMBER'] } }),
      409,
      'USER_ALREADY_EXISTS',
    );
  });

  test('made with the org service (createOrgInvite) and accepted by its link', async () => {
    const inv = await createOrgInvite(w.deps.ctx, actor, w.orgId, {
      username: 'svc@example.com',
      roles: ['ORG_READ_ONLY'],
    });
    const mail = await invitationMail(w, 'svc@example.com');
    assertHtml(await browse(w, 'POST', mail.acceptUrl), 200, 'Invitation accepted');
    assertAtlasError(await w.api({ url: `${invites()}/${inv.id}` }), 404, 'INVALID_INVITATION_ID');
    assert.deepEqual((await findOrgMembership(w.deps.ctx.db, w.orgId, inv.userId as string))?.roles, ['ORG_READ_ONLY']);
  });

  test('decline through the link → gone from the list and GET; accepting afterwards is "no longer available"', async () => {
    const inv = await invite('dora@example.com');
    const mail = await invitationMail(w, 'dora@example.com');
    assertHtml(await browse(w, 'GET', mail.declineUrl), 200, '>Decline<');
    assertHtml(await browse(w, 'POST', mail.declineUrl), 200, 'Invitation declined', 'dora@example.com');
    assert.ok(!(await listed()).includes('dora@example.com'));
    assertAtlasError(await w.api({ url: `${invites()}/${inv.id}` }), 404, 'INVALID_INVITATION_ID');
    assert.equal(
      (await invitations.findInvitation(w.deps.ctx.db, inv.id))?.status,
      'REJECTED',
      'kept for the users API',
    );
    assertHtml(await browse(w, 'GET', mail.acceptUrl), 404, 'no longer available');
    assertHtml(await browse(w, 'POST', mail.acceptUrl), 404, 'no longer available');
    const declined = await invitations.findInvitation(w.deps.ctx.db, inv.id);
    assert.equal(
      await findOrgMembership(w.deps.ctx.db, w.orgId, declined?.userId as string),
      undefined,
      'declining joins nothing',
    );
    // Re-inviting makes it pending again, same id, new link.
    const again = await invite('dora@example.com');
    assert.equal(again.id, inv.id);
    const second = await invitationMail(w, 'dora@example.com');
    assert.notEqual(second.acceptUrl, mail.acceptUrl);
    assertHtml(await browse(w, 'GET', mail.acceptUrl), 404, 'no longer available');
    assertHtml(await browse(w, 'GET', second.acceptUrl), 200, 'Accept invitation');
  });

  test('a re-sent invitation mails a reminder; only the newest link works', async () => {
    await invite('twice@example.com');
    const first = await invitationMail(w, 'twice@example.com');
    await invite('twice@example.com', { roles: ['ORG_GROUP_CREATOR'] });
    const second = await invitationMail(w, 'twice@example.com');
    assert.equal(second.subject, 'Reminder: You are invited to join the organization Atlas CLI E2E');
    assertHtml(await browse(w, 'POST', first.acceptUrl), 404, 'no longer available');
    assertHtml(await browse(w, 'POST', second.acceptUrl), 200, 'Invitation accepted');
  });

  test('expiry: 30 days + 1 s on the server clock → expired page (410), accept refused, still listed', async () => {
    const inv = await invite('old@example.com');
    const mail = await invitationMail(w, 'old@example.com');
    const start = (json(await control(w, 'GET', '/_cloud-invites/clock')) as { now: string }).now;
    try {
      assert.equal(
        (await control(w, 'POST', '/_cloud-invites/clock', { advanceSeconds: THIRTY_DAYS_S + 1 })).statusCode,
        200,
      );
      assertHtml(await browse(w, 'GET', mail.acceptUrl), 410, 'This invitation has expired');
      assertHtml(await browse(w, 'POST', mail.acceptUrl), 410, 'expired');
      assertAtlasError(
        await control(w, 'POST', `/_cloud-invites/invitations/${inv.id}/accept`),
        400,
        'VALIDATION_ERROR',
      );
      assertAtlasError(
        await control(w, 'POST', `/_cloud-invites/invitations/${inv.id}/decline`),
        400,
        'VALIDATION_ERROR',
      );
      assert.ok((await listed()).includes('old@example.com'));
      // Re-inviting gives a fresh 30 days from the moved clock.
      const again = await invite('old@example.com');
      assert.equal(again.id, inv.id);
      assertHtml(
        await browse(w, 'POST', (await invitationMail(w, 'old@example.com')).acceptUrl),
        200,
        'Invitation accepted',
      );
    } finally {
      await control(w, 'POST', '/_cloud-invites/clock', { set: start });
    }
  });

  test('automation: accept by id → 200 JSON, a second time → 404; decline by id likewise', async () => {
    const inv = await invite('auto@example.com', { roles: ['ORG_OWNER'] });
    const res = await control(w, 'POST', `/_cloud-invites/invitations/${inv.id}/accept`);
    assert.equal(res.statusCode, 200, res.body);
    const body = json(res) as { invitationId: string; status: string; userId: string; username: string };
    assert.deepEqual(
      { ...body, userId: undefined },
      { invitationId: inv.id, status: 'ACCEPTED', userId: undefined, username: 'auto@example.com' },
    );
    assert.deepEqual((await findOrgMembership(w.deps.ctx.db, w.orgId, body.userId))?.roles, ['ORG_OWNER']);
    assertAtlasError(
      await control(w, 'POST', `/_cloud-invites/invitations/${inv.id}/accept`),
      404,
      'INVALID_INVITATION_ID',
    );
    assertAtlasError(await w.api({ url: `${invites()}/${inv.id}` }), 404, 'INVALID_INVITATION_ID');

    const no = await invite('autono@example.com');
    assert.deepEqual(json(await control(w, 'POST', `/_cloud-invites/invitations/${no.id}/decline`)), {
      invitationId: no.id,
      status: 'DECLINED',
      username: 'autono@example.com',
    });
    assertAtlasError(
      await control(w, 'POST', `/_cloud-invites/invitations/${no.id}/decline`),
      404,
      'INVALID_INVITATION_ID',
    );
  });

  test('an invitation naming a project deleted since is still accepted (joins the org and the projects that remain)', async () => {
    const doomed = await w.newProject(w.orgId, 'doomed');
    await invite('keep@example.com', {
      roles: ['ORG_MEMBER'],
      groupRoleAssignments: [
        { groupId: doomed, roles: ['GROUP_READ_ONLY'] },
        { groupId: w.groupId, roles: ['GROUP_OWNER'] },
      ],
    });
    const del = await w.api({ method: 'DELETE', url: `/api/atlas/v2/groups/${doomed}` });
    assert.ok(del.statusCode < 300, del.body);
    assertHtml(
      await browse(w, 'POST', (await invitationMail(w, 'keep@example.com')).acceptUrl),
      200,
      'Invitation accepted',
    );
    const user = await w.deps.ctx.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'keep@example.com')
      .executeTakeFirstOrThrow();
    assert.deepEqual((await findProjectMembership(w.deps.ctx.db, w.groupId, user.id))?.roles, ['GROUP_OWNER']);
    assert.equal(await findProjectMembership(w.deps.ctx.db, doomed, user.id), undefined);
  });

  test('Cloud Manager v1.0 org invitations follow the same lifecycle', async () => {
    const res = await w.api({
      method: 'POST',
      url: `/api/public/v1.0/orgs/${w.orgId}/invites`,
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: { username: 'cm@example.com', roles: ['ORG_MEMBER'] },
    });
    assert.equal(res.statusCode, 200, res.body);
    const inv = json(res) as { id: string };
    assertHtml(
      await browse(w, 'POST', (await invitationMail(w, 'cm@example.com')).acceptUrl),
      200,
      'Invitation accepted',
    );
    const gone = await w.api({
      url: `/api/public/v1.0/orgs/${w.orgId}/invites/${inv.id}`,
      headers: { accept: 'application/json' },
    });
    assertAtlasError(gone, 404, 'INVALID_INVITATION_ID');
  });
});
