import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { type Credentials, ROOT, type RunningServer, startServer } from './server.ts';

/** Debian's chromium: `.ci/run` and `scripts/ensure-deps.sh` install it when it is missing. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Every page's screenshot lands here (gitignored); `CONSOLE_SCREENSHOTS_TO_DOCS=1` also refreshes docs/screenshots/. */
const SHOTS = join(ROOT, 'test-artifacts/screenshots');
const DOCS_SHOTS = join(ROOT, 'docs/screenshots');
const AXE = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
const DESKTOP = { width: 1280, height: 800 };
const MAX_PAGE_BYTES = 100 * 1024;

interface Weight {
  page: string;
  document: number;
  assets: number;
  total: number;
}

/**
 * The whole console in one browser (one launch: slow machines): the owner signs in, invites from
 * the organization and the project page, finds the mail in the mailbox, the invitee accepts in a
 * second context as a new user, roles change, an invitation is cancelled, the clock moves and an
 * invitation expires, credentials are made, the language switches. Every page is checked with
 * axe-core (no serious or critical violations), weighed (< 100 KB), and photographed.
 */
describe('the web console in a real browser', () => {
  let server: RunningServer;
  let creds: Credentials;
  let browser: Browser;
  let owner: BrowserContext;
  let invitee: BrowserContext;
  let page: Page;
  const weights: Weight[] = [];
  const cspViolations: string[] = [];
  const mail: Record<string, string> = {};

  before(async () => {
    if (!existsSync(CHROMIUM)) {
      assert.fail(
        `${CHROMIUM} is missing: install Debian's chromium (apt-get update && apt-get install -y chromium); .ci/run and npm test (scripts/ensure-deps.sh, as root) do this`,
      );
    }
    mkdirSync(SHOTS, { recursive: true });
    server = await startServer({ args: ['--control-plane'] });
    creds = server.creds as Credentials;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, timeout: 60_000 });
    owner = await browser.newContext({ viewport: DESKTOP, locale: 'en-US' });
    invitee = await browser.newContext({ viewport: DESKTOP, locale: 'en-US' });
    page = await watch(await owner.newPage());
  });
  after(async () => {
    if (weights.length) {
      process.stdout.write(`\nconsole page weights (bytes, cold cache: document + CSS + JS + icon)\n`);
      for (const w of weights)
        process.stdout.write(
          `${w.page.padEnd(24)} ${String(w.document).padStart(7)} + ${String(w.assets).padStart(6)} = ${String(w.total).padStart(7)}\n`,
        );
    }
    await browser?.close();
    await server?.stop();
  });

  async function watch(p: Page): Promise<Page> {
    p.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    return p;
  }

  /** axe-core on the page as it is (run through DevTools, which the page's CSP does not govern). */
  async function axe(p: Page, name: string): Promise<void> {
    await p.evaluate(AXE);
    const violations = await p.evaluate(async () => {
      const g = globalThis as unknown as {
        document: unknown;
        axe: {
          run: (
            ctx: unknown,
            o: object,
          ) => Promise<{
            violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: string[] }> }>;
          }>;
        };
      };
      const result = await g.axe.run(g.document, { resultTypes: ['violations'] });
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 3),
      }));
    });
    const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(bad, [], `${name}: axe-core found ${JSON.stringify(bad, null, 2)}`);
  }

  /** Bytes a first visit transfers: the document as sent, plus every asset it loads, uncompressed and uncached. */
  async function weigh(p: Page, name: string): Promise<void> {
    const sizes = await p.evaluate(() => {
      type Entry = { transferSize: number; encodedBodySize: number; decodedBodySize: number };
      const perf = (globalThis as unknown as { performance: { getEntriesByType(t: string): Entry[] } }).performance;
      const nav = perf.getEntriesByType('navigation')[0];
      const resources = perf.getEntriesByType('resource');
      return {
        document: nav.transferSize || nav.encodedBodySize,
        assets: resources.reduce((n, r) => n + (r.encodedBodySize || r.decodedBodySize), 0),
      };
    });
    const total = sizes.document + sizes.assets;
    weights.push({ page: name, ...sizes, total });
    assert.ok(total < MAX_PAGE_BYTES, `${name} weighs ${total} bytes`);
  }

  async function shot(p: Page, name: string, docs = false): Promise<void> {
    const file = join(SHOTS, `${name}.png`);
    await p.screenshot({ path: file, fullPage: true });
    const png = readFileSync(file);
    assert.deepEqual(png.subarray(0, 8), PNG_SIGNATURE, `${file} is not a PNG`);
    if (docs && process.env.CONSOLE_SCREENSHOTS_TO_DOCS === '1') {
      mkdirSync(DOCS_SHOTS, { recursive: true });
      copyFileSync(file, join(DOCS_SHOTS, `${name}.png`));
      assert.ok(statSync(file).size < 200 * 1024, `${name}.png is ${statSync(file).size} bytes`);
    }
  }

  /** Every main page gets the same three checks. */
  async function check(p: Page, name: string, docs = false): Promise<void> {
    await axe(p, name);
    await weigh(p, name);
    await shot(p, name, docs);
  }

  const notice = (p: Page) => p.locator('p.notice').textContent();
  const inviteForm = (p: Page) => p.locator('section[aria-labelledby="invite-title"]');
  const submit = async (p: Page, button: ReturnType<Page['locator']>) => {
    await Promise.all([p.waitForEvent('load'), button.click()]);
  };

  test(
    'sign in with the owner that first start printed; a wrong password is refused',
    { timeout: 120_000 },
    async () => {
      assert.equal(creds.consoleEmail, 'owner@cloud-invites.local');
      const res = await page.goto(`${server.baseUrl}/console/`);
      assert.equal(res?.status(), 200);
      assert.match(page.url(), /\/console\/sign-in\?next=/, 'the console sends a stranger to sign in');
      await check(page, 'sign-in', true);
      await page.getByLabel('Email address').fill(creds.consoleEmail as string);
      await page.getByLabel('Password').fill('not the password');
      await submit(page, page.getByRole('button', { name: 'Sign in' }));
      assert.equal(await page.locator('[role=alert]').textContent(), 'The email address or password is not right.');
      await page.getByLabel('Password').fill(creds.consolePassword as string);
      await submit(page, page.getByRole('button', { name: 'Sign in' }));
      assert.equal(await page.locator('h1').textContent(), 'Organizations');
      assert.equal(await page.locator('.who').textContent(), creds.consoleEmail);
      assert.match(
        (await page.locator('.clock time').getAttribute('datetime')) ?? '',
        /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/,
        'the clock banner shows the virtual time',
      );
      await check(page, 'home');
    },
  );

  test('invite from the organization page: roles and a project assignment', { timeout: 120_000 }, async () => {
    await page.goto(`${server.baseUrl}/console/orgs/${creds.orgId}`);
    assert.equal(await page.locator('h1').textContent(), 'Cloud-Invites · Access Manager');
    const form = inviteForm(page);
    await form.getByLabel('Email address').fill('org-invitee@example.com');
    await form.getByLabel('Organization Member', { exact: true }).check();
    await form.getByLabel('Project-0').selectOption('GROUP_READ_ONLY');
    await submit(page, form.getByRole('button', { name: 'Send invitation' }));
    assert.equal(await notice(page), 'Invitation sent to org-invitee@example.com.');
    const row = page.locator('#invitations tr[data-invitee="org-invitee@example.com"]');
    assert.equal(await row.count(), 1);
    assert.match((await row.textContent()) ?? '', /Organization Member.*Project-0: Project Read Only/s);
    assert.equal(
      await page.locator('#members tr[data-user="owner@cloud-invites.local"] .badge').textContent(),
      'Organization Owner',
    );
    await check(page, 'org-access-manager', true);
  });

  test(
    "invite from the project page; a refused invitation shows Atlas's error text and code",
    { timeout: 120_000 },
    async () => {
      await page.goto(`${server.baseUrl}/console/projects/${creds.groupId}`);
      assert.equal(await page.locator('h1').textContent(), 'Project-0 · Access Manager');
      for (const [who, role] of [
        ['newbie@example.com', 'Project Read Only'],
        ['expiring@example.com', 'Project Read Only'],
        ['cancel-me@example.com', 'Project Owner'],
      ]) {
        const form = inviteForm(page);
        await form.getByLabel('Email address').fill(who);
        await form.getByLabel(role, { exact: true }).check();
        await submit(page, form.getByRole('button', { name: 'Send invitation' }));
        assert.equal(await notice(page), `Invitation sent to ${who}.`);
      }
      assert.equal(await page.locator('#invitations tr[data-invitee]').count(), 3);
      await check(page, 'project-access-manager', true);

      // No role chosen: the service refuses, the page says why in words and in Atlas's terms.
      const form = inviteForm(page);
      await form.getByLabel('Email address').fill('no-roles@example.com');
      const res = await Promise.all([
        page.waitForEvent('load'),
        form.getByRole('button', { name: 'Send invitation' }).click(),
      ]);
      void res;
      assert.equal(await page.locator('h1').textContent(), 'That did not work');
      assert.match(
        (await page.locator('[role=alert]').textContent()) ?? '',
        /Some of what you entered is not valid\..*roles must contain at least one role.*VALIDATION_ERROR \(400\)/s,
      );
      await check(page, 'error');
    },
  );

  test('the mailbox shows the invitation mail with working links', { timeout: 120_000 }, async () => {
    await page.goto(`${server.baseUrl}/console/mailbox`);
    for (const who of [
      'org-invitee@example.com',
      'newbie@example.com',
      'expiring@example.com',
      'cancel-me@example.com',
    ]) {
      const item = page.locator(`article[data-to="${who}"]`).first();
      assert.equal(
        await item.locator('h2').textContent(),
        who === 'org-invitee@example.com'
          ? 'You are invited to join the organization Cloud-Invites'
          : 'You are invited to join the project Project-0',
      );
      const href = await item.getByRole('link', { name: 'Accept link' }).getAttribute('href');
      assert.ok(href?.startsWith(`${server.baseUrl}/console/invitations/`), href ?? '');
      mail[who] = href as string;
    }
    await check(page, 'mailbox', true);
  });

  test(
    'the invitee opens the link in another browser, sets a password and accepts as a new user',
    { timeout: 120_000 },
    async () => {
      const p = await watch(await invitee.newPage());
      await p.goto(mail['newbie@example.com']);
      assert.equal(await p.locator('h1').textContent(), "You're invited");
      assert.match(
        (await p.locator('main').textContent()) ?? '',
        /owner@cloud-invites\.local invited newbie@example\.com to join the project Project-0 in Cloud-Invites/,
      );
      assert.equal(await p.getByRole('button', { name: 'Decline' }).count(), 0, 'the accept link asks only to accept');
      await check(p, 'invitation-accept', true);
      await p.getByLabel('New password (at least 8 characters)').fill('newbie-password');
      await p.getByLabel('Repeat the password').fill('newbie-passwort');
      await submit(p, p.getByRole('button', { name: 'Accept invitation' }));
      assert.equal(await p.locator('[role=alert]').textContent(), 'The two passwords differ.');
      await p.getByLabel('New password (at least 8 characters)').fill('newbie-password');
      await p.getByLabel('Repeat the password').fill('newbie-password');
      await submit(p, p.getByRole('button', { name: 'Accept invitation' }));
      assert.equal(await p.locator('h1').textContent(), 'Invitation accepted');
      await check(p, 'invitation-accepted');
      // Signed in by accepting: the project opens, as a member without the right to manage it.
      await submit(p, p.getByRole('link', { name: 'Open the console' }));
      assert.equal(await p.locator('h1').textContent(), 'Project-0 · Access Manager');
      assert.equal(await p.locator('.who').textContent(), 'newbie@example.com');
      assert.equal(
        await p.locator('section[aria-labelledby="invite-title"]').count(),
        0,
        'Project Read Only cannot invite',
      );
      // The spent link now says what became of it.
      const again = await p.goto(mail['newbie@example.com']);
      assert.equal(again?.status(), 404);
      assert.equal(await p.locator('h1').textContent(), 'This invitation was already accepted');
      // A link for someone else, opened while signed in as newbie: the wrong-account state.
      const other = await p.goto(mail['expiring@example.com']);
      assert.equal(other?.status(), 409);
      assert.equal(await p.locator('h1').textContent(), 'This invitation is for someone else');
      assert.match(
        (await p.locator('[role=alert]').textContent()) ?? '',
        /signed in as newbie@example\.com, but this invitation is for expiring@example\.com/,
      );
      await check(p, 'invitation-wrong-account');
      await p.close();
    },
  );

  test(
    'the owner sees the member appear and the invitation disappear, and changes their roles',
    { timeout: 120_000 },
    async () => {
      await page.goto(`${server.baseUrl}/console/projects/${creds.groupId}`);
      const member = page.locator('#members tr[data-user="newbie@example.com"]');
      assert.equal(await member.count(), 1, 'newbie is a member');
      assert.equal(await member.locator('.badge').textContent(), 'Project Read Only');
      assert.equal(
        await page.locator('#invitations tr[data-invitee="newbie@example.com"]').count(),
        0,
        'no longer invited',
      );
      await member.getByText('Change roles').click();
      await member.getByLabel('Project Read Only', { exact: true }).uncheck();
      await member.getByLabel('Project Data Access Read Only', { exact: true }).check();
      await submit(page, member.getByRole('button', { name: 'Save roles' }));
      assert.equal(await notice(page), 'Roles changed.');
      assert.deepEqual(await page.locator('#members tr[data-user="newbie@example.com"] .badge').allTextContents(), [
        'Project Data Access Read Only',
      ]);
    },
  );

  test(
    'cancel an invitation: it leaves the list and its link says it was cancelled',
    { timeout: 120_000 },
    async () => {
      const row = page.locator('#invitations tr[data-invitee="cancel-me@example.com"]');
      await submit(page, row.getByRole('button', { name: 'Cancel invitation' }));
      assert.equal(await notice(page), 'Invitation cancelled.');
      assert.equal(await page.locator('#invitations tr[data-invitee="cancel-me@example.com"]').count(), 0);
      const p = await watch(await browser.newPage({ viewport: DESKTOP }));
      const res = await p.goto(mail['cancel-me@example.com']);
      assert.equal(res?.status(), 404);
      assert.equal(await p.locator('h1').textContent(), 'This invitation was cancelled');
      await check(p, 'invitation-cancelled');
      await p.close();
    },
  );

  test(
    'move the clock 31 days: the invitation shows as expired, and its link says so',
    { timeout: 120_000 },
    async () => {
      const banner = page.locator('section.clock');
      const before = await banner.locator('time').getAttribute('datetime');
      await banner.getByLabel('Move forward').fill('31');
      await submit(page, banner.getByRole('button', { name: 'Move clock' }));
      assert.equal(await notice(page), 'The clock moved.');
      const afterMove = await page.locator('section.clock time').getAttribute('datetime');
      assert.ok(
        Date.parse(afterMove as string) - Date.parse(before as string) >= 31 * 86_400_000,
        `${before} → ${afterMove}`,
      );
      assert.equal(
        page.url().split('?')[0],
        `${server.baseUrl}/console/projects/${creds.groupId}`,
        'back where the clock was moved, still signed in',
      );
      assert.equal(
        await page.locator('#invitations tr[data-invitee="expiring@example.com"] .badge.expired').textContent(),
        'expired',
      );
      await shot(page, 'project-expired');
      const p = await watch(await browser.newPage({ viewport: DESKTOP }));
      const res = await p.goto(mail['expiring@example.com']);
      assert.equal(res?.status(), 410);
      assert.equal(await p.locator('h1').textContent(), 'This invitation has expired');
      await check(p, 'invitation-expired');
      await p.close();
    },
  );

  test('the activity feed filters by event type and date', { timeout: 120_000 }, async () => {
    await page.goto(`${server.baseUrl}/console/orgs/${creds.orgId}/events`);
    await page.getByLabel('Event type').selectOption('JOINED_ORG');
    await submit(page, page.getByRole('button', { name: 'Filter' }));
    assert.match(page.url(), /eventType=JOINED_ORG/);
    const types = await page
      .locator('#events tr[data-event]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-event')));
    assert.ok(types.length >= 2 && types.every((t) => t === 'JOINED_ORG'), String(types));
    assert.ok((await page.locator('#events').textContent())?.includes('newbie@example.com'));
    await check(page, 'org-events', true);
    await page.goto(`${server.baseUrl}/console/projects/${creds.groupId}/events?from=2000-01-01&to=2000-01-02`);
    assert.equal(await page.locator('#events').textContent(), 'No events match.');
    await page.goto(`${server.baseUrl}/console/projects/${creds.groupId}/events?eventType=USER_ROLES_CHANGED_AUDIT`);
    assert.match(
      (await page.locator('#events').textContent()) ?? '',
      /owner@cloud-invites\.local.*newbie@example\.com/s,
      'the person who acted is recorded',
    );
    await check(page, 'project-events');
  });

  test(
    'credentials: a new API key and a new service account show their secret once, with a copy button',
    { timeout: 120_000 },
    async () => {
      await page.goto(`${server.baseUrl}/console/orgs/${creds.orgId}/api-keys`);
      assert.equal(
        await page.locator(`#api-keys tr[data-key="${creds.publicKey}"] .badge`).textContent(),
        'Organization Owner',
      );
      await check(page, 'api-keys');
      const form = page.locator('section[aria-labelledby="create-title"]');
      await form.getByLabel('Description').fill('console key');
      await form.getByLabel('Organization Read Only', { exact: true }).check();
      await submit(page, form.getByRole('button', { name: 'Create API key' }));
      const secret = (await page.locator('#secret-value').textContent()) ?? '';
      assert.match(secret, /^[0-9a-f-]{36}$/);
      assert.equal(await page.getByRole('button', { name: 'Copy' }).count(), 1);
      await page.getByRole('button', { name: 'Copy' }).click();
      await page.getByRole('button', { name: 'Copied' }).waitFor();
      await check(page, 'api-key-created', true);
      await submit(page, page.getByRole('link', { name: 'Back to the list' }));
      assert.ok(!(await page.content()).includes(secret), 'the private key is shown only once');
      const created = page.locator('#api-keys tr', { hasText: 'console key' });
      await created.locator('summary', { hasText: 'Add IP address or CIDR block' }).click();
      await created.getByLabel('Add IP address or CIDR block').fill('192.0.2.0/24');
      await submit(page, created.getByRole('button', { name: 'Add' }));
      assert.equal(await notice(page), 'Access list entry added.');
      assert.match(
        (await page.locator('#api-keys tr', { hasText: 'console key' }).textContent()) ?? '',
        /192\.0\.2\.0\/24/,
      );

      await page.goto(`${server.baseUrl}/console/orgs/${creds.orgId}/service-accounts`);
      const saForm = page.locator('section[aria-labelledby="create-title"]');
      await saForm.getByLabel('Name').fill('console robot');
      await saForm.getByLabel('Description').fill('made in the console');
      await saForm.getByLabel('Organization Member', { exact: true }).check();
      await submit(page, saForm.getByRole('button', { name: 'Create service account' }));
      assert.match((await page.locator('#secret-value').textContent()) ?? '', /^mdb_sa_sk_/);
      await submit(page, page.getByRole('link', { name: 'Back to the list' }));
      assert.equal(await page.locator('#service-accounts tr', { hasText: 'console robot' }).count(), 1);
      await check(page, 'service-accounts');
    },
  );

  test(
    "the project's credentials: invite an organization API key with project roles, remove it; remove an access-list entry",
    { timeout: 120_000 },
    async () => {
      await page.goto(`${server.baseUrl}/console/projects/${creds.groupId}/api-keys`);
      assert.equal(await page.locator('h1').textContent(), 'Project-0 · API keys');
      const form = page.locator('section[aria-labelledby="assign-title"]');
      const key = await form.locator('option', { hasText: 'console key' }).getAttribute('value');
      await form.getByLabel('API key of the organization').selectOption(key as string);
      await form.getByLabel('Project Read Only', { exact: true }).check();
      await submit(page, form.getByRole('button', { name: 'Invite to project' }));
      assert.equal(await notice(page), 'The API key now has access to this project.');
      const row = page.locator('#project-api-keys tr', { hasText: 'console key' });
      assert.deepEqual(await row.locator('.badge').allTextContents(), ['Project Read Only']);
      await check(page, 'project-api-keys', true);
      await submit(page, row.getByRole('button', { name: 'Remove from project' }));
      assert.equal(await notice(page), 'API key removed from the project (it stays in the organization).');
      assert.equal(await page.locator('#project-api-keys tr', { hasText: 'console key' }).count(), 0);

      await page.goto(`${server.baseUrl}/console/projects/${creds.groupId}/service-accounts`);
      assert.equal(await page.locator('h1').textContent(), 'Project-0 · Service accounts');
      assert.equal(await page.locator('#assign-clientId option', { hasText: 'console robot' }).count(), 1);
      await check(page, 'project-service-accounts');

      await page.goto(`${server.baseUrl}/console/orgs/${creds.orgId}/api-keys`);
      await check(page, 'api-keys-access-list', true);
      const org = page.locator('#api-keys tr', { hasText: 'console key' });
      await submit(page, org.getByRole('button', { name: 'Remove entry 192.0.2.0/24' }));
      assert.equal(await notice(page), 'Access list entry removed.');
      assert.equal(
        await page
          .locator('#api-keys tr', { hasText: 'console key' })
          .locator('code', { hasText: '192.0.2.0/24' })
          .count(),
        0,
      );
    },
  );

  test(
    'switch language: every label in Simplified Chinese, kept in a cookie; Accept-Language picks it too',
    { timeout: 120_000 },
    async () => {
      await page.goto(`${server.baseUrl}/console/orgs/${creds.orgId}`);
      await submit(page, page.getByRole('link', { name: '中文' }));
      assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
      assert.equal(await page.locator('h1').textContent(), 'Cloud-Invites · 访问管理器');
      assert.equal(
        await page.locator('#members tr[data-user="owner@cloud-invites.local"] .badge').textContent(),
        '组织所有者',
      );
      await check(page, 'org-access-manager-zh', true);
      await page.goto(`${server.baseUrl}/console/mailbox`);
      assert.equal(await page.locator('h1').textContent(), '邮箱', 'the choice is kept');
      // An invitation sent while reading Chinese is written in Chinese.
      await page.goto(`${server.baseUrl}/console/projects/${creds.groupId}`);
      const form = inviteForm(page);
      await form.getByLabel('电子邮件地址').fill('zh@example.com');
      await form.getByLabel('项目只读', { exact: true }).check();
      await submit(page, form.getByRole('button', { name: '发送邀请' }));
      assert.equal(await notice(page), '已向 zh@example.com 发送邀请。');
      await page.goto(`${server.baseUrl}/console/mailbox?to=zh@example.com`);
      assert.equal(await page.locator('article h2').first().textContent(), '邀请您加入项目 Project-0');
      await submit(page, page.getByRole('link', { name: 'English' }));
      assert.equal(await page.locator('h1').textContent(), 'Mailbox');

      const zh = await browser.newContext({
        viewport: DESKTOP,
        locale: 'zh-CN',
        extraHTTPHeaders: { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.5' },
      });
      const p = await watch(await zh.newPage());
      await p.goto(`${server.baseUrl}/console/sign-in`);
      assert.equal(await p.locator('h1').textContent(), '登录');
      await check(p, 'sign-in-zh');
      await zh.close();
    },
  );

  test(
    'a phone-width screen (375 px): nothing overflows sideways, forms stay usable',
    { timeout: 120_000 },
    async () => {
      const phone = await browser.newContext({
        viewport: { width: 375, height: 740 },
        storageState: await owner.storageState(),
      });
      const p = await watch(await phone.newPage());
      for (const path of [
        `/console/orgs/${creds.orgId}`,
        `/console/projects/${creds.groupId}`,
        '/console/mailbox',
        `/console/orgs/${creds.orgId}/events`,
        `/console/projects/${creds.groupId}/api-keys`,
      ]) {
        await p.goto(`${server.baseUrl}${path}`);
        const overflow = await p.evaluate(() => {
          const root = (
            globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }
          ).document.documentElement;
          return root.scrollWidth - root.clientWidth;
        });
        assert.ok(overflow <= 0, `${path} overflows by ${overflow}px at 375px`);
      }
      await p.goto(`${server.baseUrl}/console/orgs/${creds.orgId}`);
      await axe(p, 'org-phone');
      await shot(p, 'org-access-manager-phone');
      await phone.close();
    },
  );

  test('no page broke its Content-Security-Policy', () => {
    assert.deepEqual(cspViolations, []);
  });
});
