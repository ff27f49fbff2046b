import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Credentials, type RunningServer, runCli, startServer } from './server.ts';

/**
 * The console's sign-in, sessions and CSRF defences over plain HTTP (fetch, no browser), against the
 * real server with its movable clock: form tokens bound to the session, the Origin check, lockout,
 * sign-out, expiry and the cookie flags.
 */
describe('console sessions and CSRF over HTTP', () => {
  let server: RunningServer;
  let creds: Credentials;
  before(async () => {
    server = await startServer({ args: ['--control-plane'] });
    creds = server.creds as Credentials;
  });
  after(async () => server?.stop());

  const url = (path: string) => `${server.baseUrl}${path}`;
  const cookieOf = (res: Response, name: string) => res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
  const tokenIn = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? assert.fail('no _csrf field');

  /** A browser's worth of state: its cookies and the last form token it saw. */
  class Browser {
    cookies = new Map<string, string>();
    token = '';
    header() {
      return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    }
    keep(res: Response) {
      for (const c of res.headers.getSetCookie()) {
        const [pair] = c.split(';');
        const eq = pair.indexOf('=');
        const value = pair.slice(eq + 1);
        if (/Max-Age=0/.test(c)) this.cookies.delete(pair.slice(0, eq));
        else this.cookies.set(pair.slice(0, eq), value);
      }
    }
    async get(path: string) {
      const res = await fetch(url(path), { headers: { cookie: this.header() }, redirect: 'manual' });
      this.keep(res);
      const body = await res.text();
      if (body.includes('name="_csrf"')) this.token = tokenIn(body);
      return { res, body };
    }
    async post(
      path: string,
      form: Record<string, string>,
      opts: { origin?: string | null; token?: string | null } = {},
    ) {
      const fields = new URLSearchParams(form);
      const token = opts.token === undefined ? this.token : opts.token;
      if (token !== null) fields.set('_csrf', token);
      const headers: Record<string, string> = {
        cookie: this.header(),
        'content-type': 'application/x-www-form-urlencoded',
      };
      const origin = opts.origin === undefined ? server.baseUrl : opts.origin;
      if (origin !== null) headers.origin = origin;
      const res = await fetch(url(path), { method: 'POST', headers, body: fields.toString(), redirect: 'manual' });
      this.keep(res);
      return { res, body: await res.text() };
    }
    async signIn(email: string, password: string) {
      await this.get('/console/sign-in');
      return this.post('/console/sign-in', { email, password });
    }
  }

  const moveClock = async (advanceSeconds: number) => {
    const res = await fetch(url('/_cloud-invites/clock'), {
      method: 'POST',
      headers: { authorization: `Bearer ${creds.controlToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ advanceSeconds }),
    });
    assert.equal(res.status, 200);
  };

  test('every console answer carries the security headers; the API keeps its JSON errors', async () => {
    const { res } = await new Browser().get('/console/sign-in');
    assert.equal(res.status, 200);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('referrer-policy'), 'same-origin');
    assert.match(res.headers.get('permissions-policy') ?? '', /camera=\(\)/);
    const missing = await new Browser().get('/console/no-such-page');
    assert.equal(missing.res.status, 404);
    assert.match(missing.res.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(missing.res.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    const css = await fetch(url('/console/assets/console.css'));
    assert.equal(css.status, 200);
    assert.match(css.headers.get('content-type') ?? '', /^text\/css/);
    assert.deepEqual(css.headers.getSetCookie(), [], 'a publicly cacheable file sets no cookie');
    const api = await fetch(url('/api/atlas/v2/no-such'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=b',
    });
    assert.equal(api.headers.get('content-security-policy'), null);
  });

  test('signing in sets an HttpOnly SameSite=Lax session cookie (not Secure over plain HTTP) and opens the console', async () => {
    const b = new Browser();
    const first = await b.get('/console/sign-in');
    const anon = cookieOf(first.res, 'ci_csrf') ?? assert.fail('no anonymous form cookie');
    assert.match(anon, /; Path=\/console; SameSite=Strict; HttpOnly$/);
    const { res } = await b.post('/console/sign-in', {
      email: creds.consoleEmail as string,
      password: creds.consolePassword as string,
    });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/console/');
    const session = cookieOf(res, 'ci_session') ?? assert.fail('no session cookie');
    assert.match(session, /^ci_session=[A-Za-z0-9_-]{43}; Path=\/console; SameSite=Lax; Max-Age=43200; HttpOnly$/);
    assert.doesNotMatch(session, /Secure/);
    const home = await b.get('/console/');
    assert.equal(home.res.status, 200);
    assert.match(home.body, /Organization Owner/);
  });

  test("a POST without the form token, with another session's token, or from another origin is refused with 403", async () => {
    const a = new Browser();
    const b = new Browser();
    assert.equal((await a.signIn(creds.consoleEmail as string, creds.consolePassword as string)).res.status, 303);
    assert.equal((await b.signIn(creds.consoleEmail as string, creds.consolePassword as string)).res.status, 303);
    await a.get('/console/');
    await b.get('/console/');
    assert.notEqual(a.token, b.token, 'each session has its own token');
    const invite = { username: 'csrf@example.com', roles: 'ORG_MEMBER' };
    const path = `/console/orgs/${creds.orgId}/invites`;
    for (const [what, opts] of [
      ['no token', { token: null }],
      ["another session's token", { token: b.token }],
      ['a foreign Origin', { origin: 'http://evil.example' }],
      ['no Origin and no Referer', { origin: null }],
    ] as const) {
      const r = await a.post(path, invite, opts);
      assert.equal(r.res.status, 403, what);
      assert.match(r.body, /This form expired or came from another site/, what);
    }
    // The anonymous sign-in form is protected the same way (login CSRF).
    const c = new Browser();
    await c.get('/console/sign-in');
    assert.equal(
      (await c.post('/console/sign-in', { email: 'x@example.com', password: 'y' }, { token: null })).res.status,
      403,
    );
    assert.equal(
      (await c.post('/console/sign-in', { email: 'x@example.com', password: 'y' }, { origin: 'https://evil.example' }))
        .res.status,
      403,
    );
    // With its own token and origin the same request goes through.
    const ok = await a.post(path, invite);
    assert.equal(ok.res.status, 303, ok.body);
  });

  test('signing out ends the session on the server: the old cookie no longer opens anything', async () => {
    const b = new Browser();
    await b.signIn(creds.consoleEmail as string, creds.consolePassword as string);
    const stolen = b.header();
    await b.get('/console/');
    const out = await b.post('/console/sign-out', {});
    assert.equal(out.res.status, 303);
    assert.match(cookieOf(out.res, 'ci_session') ?? '', /Max-Age=0/);
    const replay = await fetch(url('/console/'), { headers: { cookie: stolen }, redirect: 'manual' });
    assert.equal(replay.status, 303);
    assert.match(replay.headers.get('location') ?? '', /^\/console\/sign-in\?next=/);
  });

  test('five wrong passwords lock the account for 15 minutes of server time, even against the right one', async () => {
    const email = 'locked@example.com';
    const added = await runCli([
      'console-user',
      'add',
      email,
      '--org',
      creds.orgId,
      '--roles',
      'ORG_MEMBER',
      '--password',
      'right-password',
      '--data',
      server.dataDir,
      '--json',
    ]);
    assert.equal(added.code, 0, added.stderr);
    const b = new Browser();
    for (let i = 1; i <= 4; i++) assert.equal((await b.signIn(email, `wrong-${i}`)).res.status, 401, `attempt ${i}`);
    const fifth = await b.signIn(email, 'wrong-5');
    assert.equal(fifth.res.status, 429);
    assert.match(fifth.body, /locked until/);
    assert.equal((await b.signIn(email, 'right-password')).res.status, 429, 'locked even with the right password');
    await moveClock(14 * 60);
    assert.equal((await b.signIn(email, 'right-password')).res.status, 429, 'still locked after 14 minutes');
    await moveClock(61);
    assert.equal((await b.signIn(email, 'right-password')).res.status, 303, 'open again after 15 minutes');
    // reset-password replaces the password and signs the person out everywhere.
    await b.get('/console/');
    const reset = await runCli([
      'console-user',
      'reset-password',
      email,
      '--password',
      'new-password',
      '--data',
      server.dataDir,
    ]);
    assert.equal(reset.code, 0, reset.stderr);
    assert.equal((await b.get('/console/')).res.status, 303, 'the old session is gone');
    assert.equal((await new Browser().signIn(email, 'right-password')).res.status, 401);
    assert.equal((await new Browser().signIn(email, 'new-password')).res.status, 303);
  });

  test('a session expires after 12 hours of server time', async () => {
    const b = new Browser();
    await b.signIn(creds.consoleEmail as string, creds.consolePassword as string);
    assert.equal((await b.get('/console/')).res.status, 200);
    await moveClock(12 * 3600 - 60);
    assert.equal((await b.get('/console/')).res.status, 200);
    await moveClock(61);
    assert.equal((await b.get('/console/')).res.status, 303);
  });
});
