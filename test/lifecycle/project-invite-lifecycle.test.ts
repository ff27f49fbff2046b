import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as invitations from '../../src/storage/repositories/invitations.repository.ts';
import { listAllMail } from '../../src/storage/repositories/outbox.repository.ts';
import { findOrgMembership, findProjectMembership } from '../../src/storage/repositories/memberships.repository.ts';
import { json, outboxMail, RECORDED_NOW, type TestWorld, testWorld } from '../helpers/app.ts';
import {
  assertAtlasError,
  assertHtml,
  browse,
  control,
  eventTypes,
  invitationMail,
  mailbox,
  THIRTY_DAYS_S,
} from './control-plane.ts';

/**
 * A project invitation's whole life through HTTP, as a self-hosted invitee and a test suite see it:
 * created over Digest, mailed, read back from the control plane's mailbox, answered on the invitee's
 * page (or by automation), expired by moving the server's clock.
 */
describe('project invitation lifecycle over HTTP', () => {
  let w: TestWorld;
  const invites = () => `/api/atlas/v2/groups/${w.groupId}/invites`;
  const invite = async (username: string, roles = ['GROUP_READ_ONLY']) => {
    const res = await w.api({ method: 'POST', url: invites(), body: { username, roles } });
    assert.equal(res.statusCode, 200, res.body);
    return json(res) as { id: string; username: string };
  };
  const listed = async () => {
    const res = await w.api({ url: invites() });
    assert.equal(res.statusCode, 200, res.body);
    return (json(res) as Array<{ username: string }>).map((i) => i.username);
  };

  before(async () => {
    w = await testWorld({ controlPlane: true });
  });
  after(() => w.close());

  test('invite → mailbox → accept page → accept → gone, joined, events, welcome mail', async () => {
    const inv = await invite('ada@example.com', ['GROUP_DATA_ACCESS_READ_ONLY']);
    assert.deepEqual(await listed(), ['ada@example.com']);
    const orgInvite = await invitations.findInvitationByUsername(w.deps.ctx.db, 'org', w.orgId, 'ada@example.com');
    assert.equal(orgInvite?.status, 'PENDING', 'an organization invitation is made alongside');

    const mail = await invitationMail(w, 'ada@example.com');
    assert.equal(mail.to, 'ada@example.com');
    assert.equal(mail.subject, 'You are invited to join the project invitations-e2e-233');

    const page = await browse(w, 'GET', mail.acceptUrl);
    assertHtml(page, 200, 'Accept invitation', 'ada@example.com', 'invitations-e2e-233', 'GROUP_DATA_ACCESS_READ_ONLY');
    assert.ok(!page.body.includes('>Decline<'), 'the accept link asks only for that answer');
    assert.equal(page.headers['cache-control'], 'no-store');
    // Following the link (a mail scanner does) changes nothing.
    assert.deepEqual(await listed(), ['ada@example.com']);

    const accepted = await browse(w, 'POST', mail.acceptUrl);
    assertHtml(accepted, 200, 'Invitation accepted', 'project invitations-e2e-233', 'ada@example.com');

    assertAtlasError(await w.api({ url: `${invites()}/${inv.id}` }), 404, 'INVALID_INVITATION_ID');
    assert.deepEqual(await listed(), []);
    assert.equal(
      await invitations.findInvitationByUsername(w.deps.ctx.db, 'org', w.orgId, 'ada@example.com'),
      undefined,
      'org invitation consumed',
    );

    const userId = orgInvite?.userId as string;
    assert.deepEqual((await findOrgMembership(w.deps.ctx.db, w.orgId, userId))?.roles, ['ORG_MEMBER']);
    assert.deepEqual((await findProjectMembership(w.deps.ctx.db, w.groupId, userId))?.roles, [
      'GROUP_DATA_ACCESS_READ_ONLY',
    ]);

    const projectEvents = await eventTypes(w, { projectId: w.groupId }, 'ada@example.com');
    const orgEvents = await eventTypes(w, { orgId: w.orgId }, 'ada@example.com');
    for (const t of ['INVITED_TO_GROUP', 'JOINED_GROUP'])
      assert.ok(projectEvents.includes(t), `${t} in ${projectEvents}`);
    for (const t of ['INVITED_TO_ORG', 'JOINED_ORG']) assert.ok(orgEvents.includes(t), `${t} in ${orgEvents}`);

    const queued = (await listAllMail(w.deps.ctx.db)).filter((m) => m.to === 'ada@example.com');
    assert.deepEqual(
      queued.map((m) => m.subject),
      ['You are invited to join the project invitations-e2e-233', 'Welcome to the project invitations-e2e-233'],
    );
    assert.ok(
      (await mailbox(w, 'ADA@example.com')).some((m) => m.subject.startsWith('Welcome')),
      'the mailbox filter ignores case',
    );

    // The link is spent: the page and a second answer both say so, and say what became of it.
    assertHtml(
      await browse(w, 'GET', mail.acceptUrl),
      404,
      'no longer available',
      'This invitation was already accepted',
    );
    assertHtml(await browse(w, 'POST', mail.acceptUrl), 404, 'no longer available');
    assertHtml(await browse(w, 'POST', mail.declineUrl), 404, 'no longer available');
  });

  test('the review page offers both answers', async () => {
    await invite('page@example.com');
    const mail = await invitationMail(w, 'page@example.com');
    const res = await browse(w, 'GET', mail.acceptUrl.replace(/\/accept$/, ''));
    assertHtml(res, 200, 'Accept invitation', '>Decline<', 'page@example.com');
    // Whatever a browser posts along with the form token is ignored: the link is the answer.
    const form = await w.app.inject({ method: 'GET', url: new URL(mail.declineUrl).pathname });
    const posted = await w.app.inject({
      method: 'POST',
      url: new URL(mail.declineUrl).pathname,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: String(form.headers['set-cookie']).split(';')[0],
        origin: 'http://localhost:80',
      },
      payload: `confirm=yes&_csrf=${/name="_csrf" value="([^"]+)"/.exec(form.body)?.[1]}`,
    });
    assertHtml(posted, 200, 'Invitation declined');
  });

  test('decline through the link → gone from the list; accepting afterwards is "no longer available"', async () => {
    const inv = await invite('bob@example.com');
    const mail = await invitationMail(w, 'bob@example.com');
    const page = await browse(w, 'GET', mail.declineUrl);
    assertHtml(page, 200, '>Decline<', 'bob@example.com');
    assert.ok(!page.body.includes('Accept invitation'));

    assertHtml(await browse(w, 'POST', mail.declineUrl), 200, 'Invitation declined');
    assert.ok(!(await listed()).includes('bob@example.com'));
    assertAtlasError(await w.api({ url: `${invites()}/${inv.id}` }), 404, 'INVALID_INVITATION_ID');
    const orgInvite = await invitations.findInvitationByUsername(w.deps.ctx.db, 'org', w.orgId, 'bob@example.com');
    assert.equal(orgInvite?.status, 'REJECTED', 'the org invitation made alongside is declined too');

    assertHtml(await browse(w, 'GET', mail.acceptUrl), 404, 'no longer available');
    assertHtml(await browse(w, 'POST', mail.acceptUrl), 404, 'no longer available');
    const member = await findOrgMembership(w.deps.ctx.db, w.orgId, orgInvite?.userId as string);
    assert.equal(member, undefined, 'declining joins nothing');
    // A new invitation after a decline works, with a new link.
    await invite('bob@example.com');
    const again = await invitationMail(w, 'bob@example.com');
    assert.notEqual(again.acceptUrl, mail.acceptUrl);
    assertHtml(await browse(w, 'POST', again.acceptUrl), 200, 'Invitation accepted');
  });

  test('expiry: 30 days + 1 s on the server clock → the page says expired (410), accepting is refused', async () => {
    const inv = await invite('late@example.com');
    const mail = await invitationMail(w, 'late@example.com');
    const start = json(await control(w, 'GET', '/_cloud-invites/clock')) as { now: string };
    try {
      const moved = await control(w, 'POST', '/_cloud-invites/clock', { advanceSeconds: THIRTY_DAYS_S + 1 });
      assert.equal(moved.statusCode, 200, moved.body);
      assert.equal(
        (json(moved) as { now: string }).now,
        new Date(Date.parse(start.now) + (THIRTY_DAYS_S + 1) * 1000).toISOString().replace('.000', ''),
      );
      assertHtml(await browse(w, 'GET', mail.acceptUrl), 410, 'expired');
      assertHtml(await browse(w, 'POST', mail.acceptUrl), 410, 'expired');
      assertHtml(await browse(w, 'POST', mail.declineUrl), 410, 'expired');
      assertAtlasError(
        await control(w, 'POST', `/_cloud-invites/invitations/${inv.id}/accept`),
        400,
        'VALIDATION_ERROR',
      );
      assert.ok((await listed()).includes('late@example.com'), 'an expired invitation stays listed (ADR 0004)');
    } finally {
      assert.equal((await control(w, 'POST', '/_cloud-invites/clock', { set: start.now })).statusCode, 200);
    }
    // Back inside its 30 days, the same link works again.
    assertHtml(await browse(w, 'GET', mail.acceptUrl), 200, 'Accept invitation');
  });

  test('exactly 30 days after it was made the invitation has expired', async () => {
    const start = json(await control(w, 'GET', '/_cloud-invites/clock')) as { now: string };
    await invite('edge@example.com');
    const mail = await invitationMail(w, 'edge@example.com');
    try {
      await control(w, 'POST', '/_cloud-invites/clock', { advanceSeconds: THIRTY_DAYS_S - 1 });
      assertHtml(await browse(w, 'GET', mail.acceptUrl), 200, 'Accept invitation');
      await control(w, 'POST', '/_cloud-invites/clock', { advanceSeconds: 1 });
      assertHtml(await browse(w, 'GET', mail.acceptUrl), 410, 'expired');
    } finally {
      await control(w, 'POST', '/_cloud-invites/clock', { set: start.now });
    }
  });

  test('automation: POST /_cloud-invites/invitations/{id}/accept → 200 JSON, a second time → 404', async () => {
    const inv = await invite('bot@example.com', ['GROUP_OWNER']);
    const res = await control(w, 'POST', `/_cloud-invites/invitations/${inv.id}/accept`);
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    const body = json(res) as { invitationId: string; status: string; userId: string; username: string };
    assert.equal(body.invitationId, inv.id);
    assert.equal(body.status, 'ACCEPTED');
    assert.equal(body.username, 'bot@example.com');
    assert.match(body.userId, /^[0-9a-f]{24}$/);
    assert.deepEqual((await findProjectMembership(w.deps.ctx.db, w.groupId, body.userId))?.roles, ['GROUP_OWNER']);
    assertAtlasError(
      await control(w, 'POST', `/_cloud-invites/invitations/${inv.id}/accept`),
      404,
      'INVALID_INVITATION_ID',
    );
    assertAtlasError(
      await control(w, 'POST', `/_cloud-invites/invitations/${inv.id}/decline`),
      404,
      'INVALID_INVITATION_ID',
    );
    assertAtlasError(await w.api({ url: `${invites()}/${inv.id}` }), 404, 'INVALID_INVITATION_ID');
    // The mailed link is spent as well.
    assertHtml(
      await browse(w, 'GET', (await invitationMail(w, 'bot@example.com')).acceptUrl),
      404,
      'no longer available',
    );
  });

  test('automation: decline by id → 200 JSON, then 404; unknown and malformed ids → 404', async () => {
    const inv = await invite('nobot@example.com');
    const res = await control(w, 'POST', `/_cloud-invites/invitations/${inv.id}/decline`);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(json(res), { invitationId: inv.id, status: 'DECLINED', username: 'nobot@example.com' });
    assertAtlasError(
      await control(w, 'POST', `/_cloud-invites/invitations/${inv.id}/decline`),
      404,
      'INVALID_INVITATION_ID',
    );
    assertAtlasError(
      await control(w, 'POST', `/_cloud-invites/invitations/${inv.id}/accept`),
      404,
      'INVALID_INVITATION_ID',
    );
    assertAtlasError(
      await control(w, 'POST', '/_cloud-invites/invitations/0123456789abcdef01234567/accept'),
      404,
      'INVALID_INVITATION_ID',
    );
    assertAtlasError(
      await control(w, 'POST', '/_cloud-invites/invitations/not-an-id/accept'),
      404,
      'INVALID_INVITATION_ID',
    );
  });

  test('a made-up or truncated link shows "no longer available", never an error page', async () => {
    assertHtml(await browse(w, 'GET', 'http://x/console/invitations/not-a-token/accept'), 404, 'no longer available');
    assertHtml(await browse(w, 'POST', 'http://x/console/invitations/not-a-token/decline'), 404, 'no longer available');
    assertHtml(await browse(w, 'GET', 'http://x/console/invitations/%3Cscript%3E'), 404, 'no longer available');
  });

  test('control plane auth: no or wrong Bearer → 401 USER_UNAUTHORIZED, on every path and spelling', async () => {
    const paths = [
      ['GET', '/_cloud-invites/clock'],
      ['POST', '/_cloud-invites/clock'],
      ['GET', '/_cloud-invites/mailbox'],
      ['POST', '/_cloud-invites/invitations/0123456789abcdef01234567/accept'],
      ['POST', '/_cloud-invites/invitations/0123456789abcdef01234567/decline'],
      // Percent-encoded spellings the router decodes must not slip past the token check.
      ['GET', '/%5Fcloud-invites/mailbox'],
      ['GET', '/_cloud-invites/%6Dailbox'],
      ['GET', '/_cloud-invites/nothing-here'],
    ] as const;
    const wrong = [
      {},
      { authorization: 'Bearer nope' },
      { authorization: `Bearer ${w.controlToken}x` },
      { authorization: w.controlToken },
      { authorization: `Basic ${w.controlToken}` },
    ];
    for (const [method, url] of paths) {
      for (const headers of wrong) {
        const res = await w.app.inject({ method, url, headers });
        assertAtlasError(res, 401, 'USER_UNAUTHORIZED');
        assert.match(String(res.headers['www-authenticate']), /^Bearer /);
      }
    }
    const ok = await w.app.inject({
      url: '/_cloud-invites/clock',
      headers: { authorization: `bearer  ${w.controlToken}` },
    });
    assert.equal(ok.statusCode, 200, 'the scheme is case-insensitive');
  });

  test('control plane: Digest credentials do not open it, and it does not open the API', async () => {
    const res = await w.api({ url: '/_cloud-invites/clock' });
    assertAtlasError(res, 401, 'USER_UNAUTHORIZED');
    const api = await w.app.inject({
      url: invites(),
      headers: { authorization: `Bearer ${w.controlToken}`, accept: 'application/vnd.atlas.2023-01-01+json' },
    });
    assert.equal(api.statusCode, 401);
  });

  test('clock: read, set, advance; bad bodies → 400 and the clock stays', async () => {
    const read = async () => (json(await control(w, 'GET', '/_cloud-invites/clock')) as { now: string }).now;
    const start = await read();
    assert.equal(start, RECORDED_NOW.toISOString().replace('.000', ''));
    try {
      const set = await control(w, 'POST', '/_cloud-invites/clock', { set: '2027-01-02T03:04:05Z' });
      assert.equal(set.statusCode, 200, set.body);
      assert.deepEqual(json(set), { now: '2027-01-02T03:04:05Z' });
      assert.equal(w.clock.now().toISOString(), '2027-01-02T03:04:05.000Z', 'it is the server clock that moved');
      assert.deepEqual(json(await control(w, 'POST', '/_cloud-invites/clock', { advanceSeconds: 3600 })), {
        now: '2027-01-02T04:04:05Z',
      });
      assert.deepEqual(json(await control(w, 'POST', '/_cloud-invites/clock', { advanceSeconds: -60 })), {
        now: '2027-01-02T04:03:05Z',
      });
      assert.deepEqual(json(await control(w, 'POST', '/_cloud-invites/clock', { set: '2027-01-02T05:00:00+02:00' })), {
        now: '2027-01-02T03:00:00Z',
      });
      assert.equal(await read(), '2027-01-02T03:00:00Z');

      const bad: Array<[unknown, string]> = [
        [{}, 'VALIDATION_ERROR'],
        [{ advanceSeconds: 1, set: '2027-01-02T03:04:05Z' }, 'VALIDATION_ERROR'],
        [{ advanceSeconds: '60' }, 'INVALID_JSON_ATTRIBUTE'],
        [{ set: 1 }, 'INVALID_JSON_ATTRIBUTE'],
        [{ set: 'tomorrow' }, 'INVALID_JSON_ATTRIBUTE'],
        [{ set: '2027-01-02' }, 'INVALID_JSON_ATTRIBUTE'],
        [{ set: '2027-01-02T03:04:05' }, 'INVALID_JSON_ATTRIBUTE'],
        [{ set: '2027-13-45T03:04:05Z' }, 'INVALID_JSON_ATTRIBUTE'],
        [{ set: '+275760-09-13T00:00:00Z' }, 'INVALID_JSON_ATTRIBUTE'],
        [{ advanceSeconds: 1e300 }, 'VALIDATION_ERROR'],
        [{ advanceSeconds: -1e12 }, 'VALIDATION_ERROR'],
        [{ minutes: 5 }, 'INVALID_ATTRIBUTE'],
        [[], 'INVALID_JSON'],
        ['later', 'INVALID_JSON'],
      ];
      for (const [body, code] of bad)
        assertAtlasError(await control(w, 'POST', '/_cloud-invites/clock', body), 400, code);
      const raw = await w.app.inject({
        method: 'POST',
        url: '/_cloud-invites/clock',
        headers: { authorization: `Bearer ${w.controlToken}`, 'content-type': 'application/json' },
        payload: '{"advanceSeconds":',
      });
      assertAtlasError(raw, 400, 'MALFORMED_JSON');
      const empty = await w.app.inject({
        method: 'POST',
        url: '/_cloud-invites/clock',
        headers: { authorization: `Bearer ${w.controlToken}` },
      });
      assertAtlasError(empty, 400, 'INVALID_JSON');
      assert.equal(await read(), '2027-01-02T03:00:00Z', 'refused bodies leave the clock where it was');
    } finally {
      await control(w, 'POST', '/_cloud-invites/clock', { set: start });
    }
  });
});

describe('without --control-plane', () => {
  let w: TestWorld;
  before(async () => {
    w = await testWorld();
  });
  after(() => w.close());

  test('the control paths are 404 RESOURCE_NOT_FOUND, token or not; the invitee page still works', async () => {
    for (const [method, url] of [
      ['GET', '/_cloud-invites/clock'],
      ['POST', '/_cloud-invites/clock'],
      ['GET', '/_cloud-invites/mailbox'],
      ['POST', '/_cloud-invites/invitations/0123456789abcdef01234567/accept'],
    ] as const) {
      assertAtlasError(await w.app.inject({ method, url }), 404, 'RESOURCE_NOT_FOUND');
      assertAtlasError(
        await w.app.inject({ method, url, headers: { authorization: `Bearer ${w.controlToken}` } }),
        404,
        'RESOURCE_NOT_FOUND',
      );
    }
    const res = await w.api({
      method: 'POST',
      url: `/api/atlas/v2/groups/${w.groupId}/invites`,
      body: { username: 'plain@example.com', roles: ['GROUP_READ_ONLY'] },
    });
    assert.equal(res.statusCode, 200, res.body);
    await w.deps.outbox.drain();
    const text = (await outboxMail(w)).find((m) => m.to === 'plain@example.com')?.text ?? '';
    const accept = /https?:\/\/\S+\/accept/.exec(text)?.[0];
    assert.ok(accept);
    assertHtml(await browse(w, 'POST', accept), 200, 'Invitation accepted');
  });
});
