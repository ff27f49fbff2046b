import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Browser, chromium } from 'playwright-core';
import { CHALLENGE, type Credentials, parseInclude, runCurl, type RunningServer, startServer, V2 } from './server.ts';

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

/** curl --digest against the v2 API; the final response after the challenge. */
async function digest(base: string, c: Credentials, method: 'GET' | 'POST', path: string, body?: unknown) {
  const args = ['--silent', '--user', `${c.publicKey}:${c.privateKey}`, '--digest', '--include', '--header', `Accept: ${V2}`, '-X', method];
  if (body !== undefined) args.push('--header', `Content-Type: ${V2}`, '--data', JSON.stringify(body));
  args.push(`${base}${path}`);
  const r = await runCurl(args);
  assert.equal(r.code, 0, r.stderr);
  const responses = parseInclude(r.stdout);
  assert.equal(responses.length, 2, r.stdout);
  assert.match(responses[0].headers['www-authenticate'], CHALLENGE);
  return responses[1];
}

interface Mail {
  to: string;
  subject: string;
  acceptUrl: string | null;
  declineUrl: string | null;
}

function assertPng(file: string): void {
  const png = readFileSync(file);
  assert.ok(png.length > 1000, `${file} is only ${png.length} bytes`);
  assert.deepEqual(png.subarray(0, 8), PNG_SIGNATURE, `${file} is not a PNG`);
}

describe('the invitee page in a real browser', () => {
  let server: RunningServer;
  let creds: Credentials;
  let browser: Browser | null = null;
  const shots = mkdtempSync(join(tmpdir(), 'cloud-invites-shots-'));

  before(async () => {
    server = await startServer({ args: ['--control-plane'] });
    creds = server.creds as Credentials;
  });
  after(async () => {
    await browser?.close();
    await server.stop();
    rmSync(shots, { recursive: true, force: true });
  });

  const invite = async (username: string) => {
    const res = await digest(server.baseUrl, creds, 'POST', `/api/atlas/v2/groups/${creds.groupId}/invites`, { username, roles: ['GROUP_READ_ONLY'] });
    assert.equal(res.status, 200, res.body);
    return JSON.parse(res.body) as { id: string };
  };

  /** The mailbox over HTTP with the control token printed on first start. */
  const mailTo = async (to: string): Promise<Mail & { acceptUrl: string; declineUrl: string }> => {
    assert.match(creds.controlToken ?? '', /^cit_/, 'the first-start block prints controlToken');
    const res = await fetch(`${server.baseUrl}/_cloud-invites/mailbox?to=${encodeURIComponent(to)}`, {
      headers: { authorization: `Bearer ${creds.controlToken}` },
    });
    assert.equal(res.status, 200);
    const mail = ((await res.json()) as Mail[]).at(-1);
    assert.ok(mail?.acceptUrl && mail.declineUrl, `no invitation mail to ${to}`);
    assert.ok(mail.acceptUrl.startsWith(`${server.baseUrl}/console/invitations/`), mail.acceptUrl);
    return mail as Mail & { acceptUrl: string; declineUrl: string };
  };

  const launch = async (): Promise<Browser> => {
    if (!existsSync(CHROMIUM)) {
      assert.fail(`${CHROMIUM} is missing: install Debian's chromium (apt-get update && apt-get install -y chromium); .ci/run and npm test (scripts/ensure-deps.sh, as root) do this`);
    }
    browser ??= await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, timeout: 60_000 });
    return browser;
  };

  test('accept: open the mailed link, see the invitation, click "Accept invitation", the invitation is gone', { timeout: 120_000 }, async () => {
    const inv = await invite('browser@example.com');
    const mail = await mailTo('browser@example.com');
    const page = await (await launch()).newPage({ viewport: { width: 900, height: 640 } });
    try {
      const response = await page.goto(mail.acceptUrl);
      assert.equal(response?.status(), 200);
      assert.equal(await page.locator('h1').textContent(), "You're invited");
      assert.match((await page.locator('main').textContent()) ?? '', /invited browser@example\.com to join the project Project-0/);
      assert.equal(await page.getByRole('button', { name: 'Decline' }).count(), 0, 'the accept link asks only to accept');

      const acceptShot = join(shots, 'accept.png');
      await page.screenshot({ path: acceptShot, fullPage: true });
      assertPng(acceptShot);
      copyFileSync(acceptShot, '/tmp/console-accept.png');

      await Promise.all([page.waitForURL(mail.acceptUrl, { waitUntil: 'load' }), page.getByRole('button', { name: 'Accept invitation' }).click()]);
      await page.waitForSelector('h1:text("Invitation accepted")');
      assert.equal(await page.locator('h1').textContent(), 'Invitation accepted');
      assert.equal(await page.locator('p.muted').textContent(), 'You are now a member of the project Project-0 as browser@example.com.');
      const resultShot = join(shots, 'result.png');
      await page.screenshot({ path: resultShot, fullPage: true });
      assertPng(resultShot);
      copyFileSync(resultShot, '/tmp/console-result.png');

      // Reloading the spent link (the browser asks to re-POST; a fresh visit is a GET) shows it is used.
      const again = await page.goto(mail.acceptUrl);
      assert.equal(again?.status(), 404);
      assert.equal(await page.locator('h1').textContent(), 'This invitation is no longer available');
    } finally {
      await page.close();
    }

    const gone = await digest(server.baseUrl, creds, 'GET', `/api/atlas/v2/groups/${creds.groupId}/invites/${inv.id}`);
    assert.equal(gone.status, 404, gone.body);
    assert.equal((JSON.parse(gone.body) as { errorCode: string }).errorCode, 'INVALID_INVITATION_ID');
  });

  test('decline: the review page offers both buttons; "Decline" leaves no pending invitation', { timeout: 120_000 }, async () => {
    const inv = await invite('browser-no@example.com');
    const mail = await mailTo('browser-no@example.com');
    const page = await (await launch()).newPage();
    try {
      await page.goto(mail.acceptUrl.replace(/\/accept$/, ''));
      assert.equal(await page.getByRole('button', { name: 'Accept invitation' }).count(), 1);
      await page.getByRole('button', { name: 'Decline' }).click();
      await page.waitForSelector('h1:text("Invitation declined")');
      assert.equal(await page.locator('h1').textContent(), 'Invitation declined');
    } finally {
      await page.close();
    }
    const list = await digest(server.baseUrl, creds, 'GET', `/api/atlas/v2/groups/${creds.groupId}/invites`);
    assert.equal(list.status, 200);
    assert.ok(!(JSON.parse(list.body) as Array<{ id: string }>).some((i) => i.id === inv.id));
  });
});
