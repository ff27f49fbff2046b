import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { addConsoleMember } from '../../src/domain/console/console-members.ts';
import { type TestWorld, testWorld } from '../helpers/app.ts';
import { browse, invitationMail } from '../lifecycle/control-plane.ts';

/**
 * The console's state in the store, on both dialects: sessions and lockout counters, the triggers
 * that tell the invitee's page what became of a link, events naming the person who acted, and
 * Secure cookies behind an https public URL.
 */
for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`console state in the store (${dialect})`, () => {
    let w: TestWorld;
    before(async () => {
      w = await testWorld({ dialect, controlPlane: true, publicUrl: 'https://console.example' });
      await addConsoleMember(w.deps.ctx, {
        orgId: w.orgId,
        email: 'boss@example.com',
        password: 'boss-password',
        orgRoles: ['ORG_OWNER'],
      });
    });
    after(async () => w?.close());

    /** One browser: its cookies and its last form token. */
    function client() {
      const jar = new Map<string, string>();
      let token = '';
      const keep = (res: LightMyRequestResponse) => {
        const set = res.headers['set-cookie'];
        for (const c of Array.isArray(set) ? set : set ? [set] : []) {
          const [pair] = c.split(';');
          const eq = pair.indexOf('=');
          jar.set(pair.slice(0, eq), pair.slice(eq + 1));
        }
        token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1] ?? token;
        return res;
      };
      const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
      return {
        cookies: jar,
        get: async (url: string) => keep(await w.app.inject({ url, headers: { cookie: cookie() } })),
        post: async (url: string, form: Record<string, string | string[]>) => {
          const body = new URLSearchParams({ _csrf: token });
          for (const [k, v] of Object.entries(form)) for (const x of [v].flat()) body.append(k, x);
          const headers = {
            cookie: cookie(),
            origin: 'https://console.example',
            'content-type': 'application/x-www-form-urlencoded',
          };
          return keep(await w.app.inject({ method: 'POST', url, headers, payload: body.toString() }));
        },
      };
    }

    async function signedIn(email = 'boss@example.com', password = 'boss-password') {
      const c = client();
      await c.get('/console/sign-in');
      const res = await c.post('/console/sign-in', { email, password });
      assert.equal(res.statusCode, 303, res.body);
      await c.get('/console/');
      return { c, res };
    }

    test('behind an https public URL both cookies are Secure; the session lives in the store, hashed', async () => {
      const c = client();
      const form = await c.get('/console/sign-in');
      assert.match(
        String(form.headers['set-cookie']),
        /^ci_csrf=[A-Za-z0-9_-]{43}; Path=\/console; SameSite=Strict; HttpOnly; Secure$/,
      );
      const { res } = await signedIn();
      const session = String(res.headers['set-cookie']);
      assert.match(
        session,
        /^ci_session=[A-Za-z0-9_-]{43}; Path=\/console; SameSite=Lax; Max-Age=43200; HttpOnly; Secure$/,
      );
      const id = session.split(';')[0].split('=')[1];
      const rows = await w.deps.ctx.db.selectFrom('console_sessions').select('id_hash').execute();
      assert.ok(
        rows.length > 0 && rows.every((r) => /^[0-9a-f]{64}$/.test(r.id_hash) && r.id_hash !== id),
        'only hashes are stored',
      );
    });

    test('five failures lock the account (the count is in the store); 15 minutes later it opens', async () => {
      await addConsoleMember(w.deps.ctx, {
        orgId: w.orgId,
        email: 'lock@example.com',
        password: 'lock-password',
        orgRoles: ['ORG_MEMBER'],
      });
      const c = client();
      await c.get('/console/sign-in');
      const statuses = [];
      for (let i = 0; i < 5; i++)
        statuses.push((await c.post('/console/sign-in', { email: 'lock@example.com', password: 'nope' })).statusCode);
      assert.deepEqual(statuses, [401, 401, 401, 401, 429]);
      assert.equal(
        (await c.post('/console/sign-in', { email: 'lock@example.com', password: 'lock-password' })).statusCode,
        429,
      );
      w.clock.advance(15 * 60_000);
      assert.equal(
        (await c.post('/console/sign-in', { email: 'lock@example.com', password: 'lock-password' })).statusCode,
        303,
      );
    });

    test('the invitee page says what became of a link: accepted, cancelled, declined', async () => {
      const { c } = await signedIn();
      for (const who of ['acc@example.com', 'can@example.com', 'dec@example.com']) {
        const res = await c.post(`/console/projects/${w.groupId}/invites`, { username: who, roles: 'GROUP_READ_ONLY' });
        assert.equal(res.statusCode, 303, res.body);
      }
      const acc = await invitationMail(w, 'acc@example.com');
      const can = await invitationMail(w, 'can@example.com');
      const dec = await invitationMail(w, 'dec@example.com');
      assert.equal((await browse(w, 'POST', acc.acceptUrl)).statusCode, 200);
      assert.equal((await browse(w, 'POST', dec.declineUrl)).statusCode, 200);
      const page = await c.get(`/console/projects/${w.groupId}`);
      const id = new RegExp(`data-invitee="can@example.com"[\\s\\S]*?/invites/([0-9a-f]{24})/cancel`).exec(
        page.body,
      )?.[1] as string;
      assert.equal((await c.post(`/console/projects/${w.groupId}/invites/${id}/cancel`, {})).statusCode, 303);
      const title = async (url: string) => /<h1>([^<]*)<\/h1>/.exec((await browse(w, 'GET', url)).body)?.[1];
      assert.equal(await title(acc.acceptUrl), 'This invitation was already accepted');
      assert.equal(await title(can.acceptUrl), 'This invitation was cancelled');
      assert.equal(await title(dec.acceptUrl), 'This invitation was declined');
      assert.equal(
        await title(acc.acceptUrl.replace(/[A-Za-z0-9_-]{43}/, 'x'.repeat(43))),
        'This invitation is no longer available',
      );
    });

    test('events name the person who acted in the console, not an API key', async () => {
      const { c } = await signedIn();
      await c.post(`/console/orgs/${w.orgId}/invites`, { username: 'evt@example.com', roles: 'ORG_MEMBER' });
      const row = await w.deps.ctx.db
        .selectFrom('events')
        .selectAll()
        .where('target_username', '=', 'evt@example.com')
        .where('event_type', '=', 'INVITED_TO_ORG')
        .executeTakeFirstOrThrow();
      assert.equal(row.username, 'boss@example.com');
      assert.equal(row.api_key_id, null);
      assert.equal(row.public_key, null);
      assert.match(row.user_id ?? '', /^[0-9a-f]{24}$/);
    });

    test('resend gives the invitation a fresh 30 days and a new mail; remove takes a member out of the organization', async () => {
      const { c } = await signedIn();
      await c.post(`/console/orgs/${w.orgId}/invites`, { username: 'again@example.com', roles: 'ORG_READ_ONLY' });
      const first = await invitationMail(w, 'again@example.com');
      w.clock.advance(2 * 3600_000);
      const page = await c.get(`/console/orgs/${w.orgId}`);
      const id = new RegExp(`data-invitee="again@example.com"[\\s\\S]*?/invites/([0-9a-f]{24})/resend`).exec(
        page.body,
      )?.[1] as string;
      const resent = await c.post(`/console/orgs/${w.orgId}/invites/${id}/resend`, {});
      assert.equal(resent.headers.location, `/console/orgs/${w.orgId}?done=resent`, resent.body);
      const second = await invitationMail(w, 'again@example.com');
      assert.notEqual(second.acceptUrl, first.acceptUrl, 'a new link');
      assert.equal(second.subject, `Reminder: You are invited to join the organization ${'Atlas CLI E2E'}`);
      const inv = await w.deps.ctx.db
        .selectFrom('invitations')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(JSON.parse(inv.roles), ['ORG_READ_ONLY'], 'the same roles');
      assert.equal(
        new Date(inv.expires_at).getTime(),
        w.clock.now().getTime() + 30 * 24 * 3600_000 - (w.clock.now().getTime() % 1000),
      );
      // Accept, then remove the new member.
      assert.equal((await browse(w, 'POST', second.acceptUrl)).statusCode, 200);
      const members = await c.get(`/console/orgs/${w.orgId}`);
      const userId = new RegExp(`data-user="again@example.com"[\\s\\S]*?/members/([0-9a-f]{24})/remove`).exec(
        members.body,
      )?.[1] as string;
      const removed = await c.post(`/console/orgs/${w.orgId}/members/${userId}/remove`, {});
      assert.equal(removed.headers.location, `/console/orgs/${w.orgId}?done=removed`);
      assert.ok(!(await c.get(`/console/orgs/${w.orgId}`)).body.includes('data-user="again@example.com"'));
      // The last Organization Owner cannot be removed: Atlas's error, on a page.
      const me = new RegExp('data-user="boss@example.com"[\\s\\S]*?/members/([0-9a-f]{24})/remove').exec(
        members.body,
      )?.[1] as string;
      const refused = await c.post(`/console/orgs/${w.orgId}/members/${me}/remove`, {});
      assert.equal(refused.statusCode, 403);
      assert.match(
        refused.body,
        /The last Organization Owner cannot be removed\.[\s\S]*<code>CANNOT_DELETE_LAST_ADMIN<\/code> \(403\)/,
      );
    });

    test('long lists are paged: a project with 45 pending invitations stays well under 100 KB a page', async () => {
      const { c } = await signedIn();
      const { createProject } = await import('../../src/domain/projects/project.service.ts');
      const project = await createProject(w.deps.ctx, null, { orgId: w.orgId, name: 'Busy' });
      for (let i = 0; i < 45; i++) {
        const res = await c.post(`/console/projects/${project.id}/invites`, {
          username: `p${String(i).padStart(2, '0')}@example.com`,
          roles: ['GROUP_READ_ONLY', 'GROUP_OWNER'],
        });
        assert.equal(res.statusCode, 303, res.body);
      }
      const first = await c.get(`/console/projects/${project.id}`);
      assert.ok(Buffer.byteLength(first.body) < 60 * 1024, `${Buffer.byteLength(first.body)} bytes`);
      assert.equal((first.body.match(/data-invitee=/g) ?? []).length, 20);
      assert.match(first.body, /Page 1 of 3.*href="\/console\/projects\/[0-9a-f]{24}\?invites=2" rel="next"/s);
      const last = await c.get(`/console/projects/${project.id}?invites=3`);
      assert.equal((last.body.match(/data-invitee=/g) ?? []).length, 5);
      assert.ok(last.body.includes('data-invitee="p44@example.com"'));
    });

    test("the clock banner: move forward, or set a UTC time; both at once is refused with Atlas's error", async () => {
      const { c } = await signedIn();
      const before = w.clock.now().getTime();
      const moved = await c.post('/console/clock', {
        days: '1',
        hours: '2',
        set: '',
        back: `/console/orgs/${w.orgId}?done=invited&user=x`,
      });
      assert.equal(moved.headers.location, `/console/orgs/${w.orgId}?done=clock`);
      assert.equal(w.clock.now().getTime() - before, 26 * 3600_000);
      await c.get('/console/');
      assert.equal(
        (await c.post('/console/clock', { days: '0', hours: '0', set: '2030-05-06T07:08', back: '/console/' }))
          .statusCode,
        303,
      );
      assert.equal(w.clock.now().toISOString(), '2030-05-06T07:08:00.000Z');
      await c.get('/console/');
      const both = await c.post('/console/clock', {
        days: '1',
        hours: '0',
        set: '2031-01-01T00:00',
        back: '/console/',
      });
      assert.equal(both.statusCode, 400);
      assert.match(both.body, /give exactly one of advanceSeconds and set[\s\S]*VALIDATION_ERROR/);
      assert.equal((await c.post('/console/clock', { days: '-1', hours: '0', back: '/console/' })).statusCode, 400);
      assert.equal(
        (await c.post('/console/clock', { days: '0', hours: '0', set: '99999-01-01T00:00', back: '/console/' }))
          .statusCode,
        400,
      );
      assert.equal(w.clock.now().toISOString(), '2030-05-06T07:08:00.000Z', 'refused moves leave the clock');
      w.clock.set(new Date(before));
    });

    /** A second console user of the organization with only Organization Member (no project roles). */
    async function orgMember(email: string) {
      await addConsoleMember(w.deps.ctx, {
        orgId: w.orgId,
        email,
        password: 'member-password',
        orgRoles: ['ORG_MEMBER'],
      });
      return (await signedIn(email, 'member-password')).c;
    }
    const UNAUTHORIZED = /Your roles do not allow this action\.[\s\S]*<code>USER_UNAUTHORIZED<\/code> \(401\)/;

    test("Project → API keys: invite an organization key with project roles, change them, remove it; refusals are Atlas's", async () => {
      const { c } = await signedIn();
      const key = await w.key(['ORG_MEMBER']);
      const tab = `/console/projects/${w.groupId}/api-keys`;
      const before = await c.get(tab);
      assert.equal(before.statusCode, 200, before.body);
      const id = new RegExp(`<option value="([0-9a-f]{24})">${key.publicKey} ·`).exec(before.body)?.[1] as string;
      assert.ok(id, 'the organization key is offered');
      const listed = async () => {
        const res = await w.api({ url: `/api/atlas/v2/groups/${w.groupId}/apiKeys` });
        const k = (
          JSON.parse(res.body).results as Array<{ id: string; roles: Array<{ groupId?: string; roleName: string }> }>
        ).find((x) => x.id === id);
        return k?.roles
          .filter((r) => r.groupId === w.groupId)
          .map((r) => r.roleName)
          .sort();
      };

      const none = await c.post(tab, { apiKeyId: id });
      assert.equal(none.statusCode, 400);
      assert.match(none.body, /Choose at least one role\.[\s\S]*<code>MISSING_API_KEY_ROLES<\/code> \(400\)/);
      const added = await c.post(tab, { apiKeyId: id, roles: ['GROUP_READ_ONLY', 'GROUP_DATA_ACCESS_READ_ONLY'] });
      assert.equal(added.headers.location, `${tab}?done=apiKeyAdded`, added.body);
      assert.deepEqual(await listed(), ['GROUP_DATA_ACCESS_READ_ONLY', 'GROUP_READ_ONLY']);
      const page = await c.get(`${tab}?done=apiKeyAdded`);
      assert.match(page.body, /The API key now has access to this project\./);
      assert.match(page.body, new RegExp(`data-key="${key.publicKey}"[\\s\\S]*?title="GROUP_READ_ONLY"`));
      assert.ok(!page.body.includes(`<option value="${id}">`), 'no longer offered');

      const changed = await c.post(`${tab}/${id}/roles`, { roles: 'GROUP_OWNER' });
      assert.equal(changed.headers.location, `${tab}?done=roles`, changed.body);
      assert.deepEqual(await listed(), ['GROUP_OWNER']);

      // An Organization Member without project roles: the page and every action are refused as the API refuses.
      const m = await orgMember('keys-member@example.com');
      assert.equal((await m.get(tab)).statusCode, 401);
      await m.get('/console/');
      for (const [url, form] of [
        [tab, { apiKeyId: id, roles: 'GROUP_READ_ONLY' }],
        [`${tab}/${id}/roles`, { roles: 'GROUP_READ_ONLY' }],
        [`${tab}/${id}/remove`, {}],
      ] as const) {
        const refused = await m.post(url, form);
        assert.equal(refused.statusCode, 401, url);
        assert.match(refused.body, UNAUTHORIZED, url);
      }
      assert.deepEqual(await listed(), ['GROUP_OWNER'], 'nothing changed');

      const removed = await c.post(`${tab}/${id}/remove`, {});
      assert.equal(removed.headers.location, `${tab}?done=apiKeyRemoved`, removed.body);
      assert.equal(await listed(), undefined);
      assert.equal(
        (await w.api({ url: `/api/atlas/v2/orgs/${w.orgId}/apiKeys/${id}` })).statusCode,
        200,
        'still in the organization',
      );
      const again = await c.post(`${tab}/${id}/remove`, {});
      assert.equal(again.statusCode, 404);
      assert.match(again.body, /<code>USER_NOT_IN_GROUP<\/code>/);
    });

    test('Project → Service accounts: invite an organization account with project roles, remove it; a member is refused', async () => {
      const { c } = await signedIn();
      const made = await c.post(`/console/orgs/${w.orgId}/service-accounts`, {
        name: 'project robot',
        description: 'for the project tab',
        hours: '24',
        roles: 'ORG_MEMBER',
      });
      assert.equal(made.statusCode, 201, made.body);
      const clientId = /<code>(mdb_sa_id_[0-9a-f]{24})<\/code>/.exec(made.body)?.[1] as string;
      const tab = `/console/projects/${w.groupId}/service-accounts`;
      const before = await c.get(tab);
      assert.equal(before.statusCode, 200, before.body);
      assert.ok(before.body.includes(`<option value="${clientId}">project robot · ${clientId}</option>`));
      assert.ok(!before.body.includes(`data-client="${clientId}"`));

      const m = await orgMember('accounts-member@example.com');
      const refused = await m.post(tab, { clientId, roles: 'GROUP_READ_ONLY' });
      assert.equal(refused.statusCode, 401);
      assert.match(refused.body, UNAUTHORIZED);

      const added = await c.post(tab, { clientId, roles: ['GROUP_READ_ONLY', 'GROUP_CLUSTER_MANAGER'] });
      assert.equal(added.headers.location, `${tab}?done=serviceAccountAdded&user=project+robot`, added.body);
      const page = await c.get(added.headers.location as string);
      assert.match(page.body, /The service account project robot now has access to this project\./);
      const row = new RegExp(`<tr data-client="${clientId}">[\\s\\S]*?</tr>`).exec(page.body)?.[0] ?? '';
      assert.deepEqual([...row.matchAll(/title="(GROUP_\w+)"/g)].map((x) => x[1]).sort(), [
        'GROUP_CLUSTER_MANAGER',
        'GROUP_READ_ONLY',
      ]);
      assert.ok(!page.body.includes(`<option value="${clientId}">`), 'no longer offered');

      await m.get('/console/');
      const refusedRemove = await m.post(`${tab}/${clientId}/remove`, {});
      assert.equal(refusedRemove.statusCode, 401);
      assert.match(refusedRemove.body, UNAUTHORIZED);
      const removed = await c.post(`${tab}/${clientId}/remove`, {});
      assert.equal(removed.headers.location, `${tab}?done=serviceAccountRemoved`, removed.body);
      assert.ok(!(await c.get(tab)).body.includes(`data-client="${clientId}"`));
      assert.ok((await c.get(`/console/orgs/${w.orgId}/service-accounts`)).body.includes(`data-client="${clientId}"`));
    });

    test('access-list entries and service-account secrets are removed from the console; a member is refused', async () => {
      const { c } = await signedIn();
      const key = await w.key(['ORG_READ_ONLY']);
      const keys = `/console/orgs/${w.orgId}/api-keys`;
      const id = new RegExp(`data-key="${key.publicKey}"[\\s\\S]*?/api-keys/([0-9a-f]{24})/access-list`).exec(
        (await c.get(keys)).body,
      )?.[1] as string;
      await c.post(`${keys}/${id}/access-list`, { entry: '198.51.100.0/24' });
      await c.post(`${keys}/${id}/access-list`, { entry: '203.0.113.7' });
      const entries = async () => {
        const res = await w.api({ url: `/api/atlas/v2/orgs/${w.orgId}/apiKeys/${id}/accessList` });
        return (JSON.parse(res.body).results as Array<{ cidrBlock: string }>).map((e) => e.cidrBlock).sort();
      };
      assert.deepEqual(await entries(), ['198.51.100.0/24', '203.0.113.7/32']);
      const listPage = (await c.get(keys)).body;
      assert.match(
        listPage,
        /<input type="hidden" name="entry" value="198\.51\.100\.0\/24"><button type="submit" class="danger small">Remove entry<span class="sr-only"> 198\.51\.100\.0\/24 · /,
      );

      const m = await orgMember('lists-member@example.com');
      const denied = await m.post(`${keys}/${id}/access-list/remove`, { entry: '198.51.100.0/24' });
      assert.equal(denied.statusCode, 401);
      assert.match(
        denied.body,
        /Only an Organization Owner \(or the key itself\) can change this access list\.[\s\S]*API_KEY_ACCESS_LIST_ACCESS_DENIED/,
      );
      const removed = await c.post(`${keys}/${id}/access-list/remove`, { entry: '198.51.100.0/24' });
      assert.equal(removed.headers.location, `${keys}?done=accessListRemoved`, removed.body);
      assert.deepEqual(await entries(), ['203.0.113.7/32']);
      const gone = await c.post(`${keys}/${id}/access-list/remove`, { entry: '198.51.100.0/24' });
      assert.equal(gone.statusCode, 404);
      assert.match(gone.body, /<code>RESOURCE_NOT_FOUND<\/code> \(404\)/);

      // A service account: one access-list entry and a second secret, then both go.
      const made = await c.post(`/console/orgs/${w.orgId}/service-accounts`, {
        name: 'lists robot',
        description: 'access lists and secrets',
        hours: '24',
        roles: 'ORG_MEMBER',
      });
      const clientId = /<code>(mdb_sa_id_[0-9a-f]{24})<\/code>/.exec(made.body)?.[1] as string;
      const accounts = `/console/orgs/${w.orgId}/service-accounts`;
      const one = `${accounts}/${clientId}`;
      await c.get(accounts);
      const row = async () =>
        new RegExp(`<tr data-client="${clientId}">[\\s\\S]*?</tr>`).exec((await c.get(accounts)).body)?.[0] ?? '';
      assert.equal((await c.post(`${one}/access-list`, { entry: '192.0.2.0/24' })).statusCode, 303);
      assert.ok((await row()).includes('<code>192.0.2.0/24</code>'));
      const { createSecretIn } =
        await import('../../src/domain/service-accounts/service-account-credentials.service.ts');
      const second = await createSecretIn(w.deps.ctx, null, clientId, 24);
      const secretIds = async () => [...(await row()).matchAll(/\/secrets\/([0-9a-f]{24})\/delete/g)].map((x) => x[1]);
      assert.equal((await secretIds()).length, 2);
      assert.ok(
        (await row()).includes(`Delete secret<span class="sr-only"> ${second.info.maskedSecretValue} · lists robot`),
      );

      await m.get('/console/');
      const saDenied = await m.post(`${one}/access-list/remove`, { entry: '192.0.2.0/24' });
      assert.equal(saDenied.statusCode, 401);
      assert.match(saDenied.body, UNAUTHORIZED);
      const secretDenied = await m.post(`${one}/secrets/${second.info.id}/delete`, {});
      assert.equal(secretDenied.statusCode, 401);
      assert.match(secretDenied.body, UNAUTHORIZED);

      const saRemoved = await c.post(`${one}/access-list/remove`, { entry: '192.0.2.0/24' });
      assert.equal(saRemoved.headers.location, `${accounts}?done=accessListRemoved`, saRemoved.body);
      assert.ok((await row()).includes('Add IP address') && !(await row()).includes('<code>192.0.2.0/24</code>'));
      const deleted = await c.post(`${one}/secrets/${second.info.id}/delete`, {});
      assert.equal(deleted.headers.location, `${accounts}?done=secretDeleted`, deleted.body);
      assert.deepEqual((await secretIds()).includes(second.info.id), false);
      assert.equal((await secretIds()).length, 1);
      const twice = await c.post(`${one}/secrets/${second.info.id}/delete`, {});
      assert.equal(twice.statusCode, 404);
      assert.match(twice.body, /<code>RESOURCE_NOT_FOUND<\/code> \(404\)/);
    });

    test('an Organization Member sees the members but cannot invite: the same rule as the API, in words and code', async () => {
      await addConsoleMember(w.deps.ctx, {
        orgId: w.orgId,
        email: 'member@example.com',
        password: 'member-password',
        orgRoles: ['ORG_MEMBER'],
      });
      const c = client();
      await c.get('/console/sign-in');
      await c.post('/console/sign-in', { email: 'member@example.com', password: 'member-password' });
      const page = await c.get(`/console/orgs/${w.orgId}`);
      assert.equal(page.statusCode, 200);
      assert.ok(page.body.includes('boss@example.com') && !page.body.includes('invite-title'));
      const refused = await c.post(`/console/orgs/${w.orgId}/invites`, {
        username: 'x@example.com',
        roles: 'ORG_MEMBER',
      });
      assert.equal(refused.statusCode, 401);
      assert.match(
        refused.body,
        /Your roles do not allow this action\.[\s\S]*Current user is not authorized to perform this action\.[\s\S]*USER_UNAUTHORIZED/,
      );
    });
  });
}
