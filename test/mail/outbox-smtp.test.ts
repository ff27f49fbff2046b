import assert from 'node:assert/strict';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { type AddressObject, type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { linksInMail, openMail } from '../../src/domain/mail/invitation-mail.ts';
import { createOutboxWorker, retryDelayMs } from '../../src/mail/outbox-worker.ts';
import { smtpTransport } from '../../src/mail/transport.ts';
import { findMail, listAllMail } from '../../src/storage/repositories/outbox.repository.ts';
import { json, outboxMail, type TestWorld, testWorld } from '../helpers/app.ts';
import { dumpStore } from '../helpers/database.ts';
import { browse } from '../lifecycle/control-plane.ts';

/** A real SMTP server on 127.0.0.1 that parses what it receives (no TLS, no auth). */
interface LocalSmtp {
  port: number;
  url: string;
  received: Array<{ envelopeTo: string[]; mail: ParsedMail }>;
  close(): Promise<void>;
}

async function startSmtp(port = 0): Promise<LocalSmtp> {
  const received: LocalSmtp['received'] = [];
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), mail });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const bound = (server.server.address() as AddressInfo).port;
  return {
    port: bound,
    url: `smtp://127.0.0.1:${bound}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A port nothing listens on: bind one, then let it go. */
async function deadPort(): Promise<number> {
  const s = createTcpServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

const addresses = (a: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(a) ? a : a ? [a] : []).flatMap((o) => o.value.map((v) => v.address));

async function inviteOverApi(w: TestWorld, username: string): Promise<{ id: string }> {
  const res = await w.api({
    method: 'POST',
    url: `/api/atlas/v2/groups/${w.groupId}/invites`,
    body: { username, roles: ['GROUP_READ_ONLY'] },
  });
  assert.equal(res.statusCode, 200, res.body);
  return json(res) as { id: string };
}

const queuedTo = async (w: TestWorld, to: string) => (await listAllMail(w.deps.ctx.db)).filter((m) => m.to === to);

describe('outbox over a real SMTP server', () => {
  let smtp: LocalSmtp;
  let w: TestWorld;
  before(async () => {
    smtp = await startSmtp();
    w = await testWorld({ smtpUrl: smtp.url });
  });
  after(async () => {
    await w.close();
    await smtp.close();
  });

  test('the invitation mail arrives: To, From, Subject, and both bodies with the accept link', async () => {
    await inviteOverApi(w, 'smtp-ada@example.com');
    assert.deepEqual(await w.deps.outbox.drain(), { sent: 1, failed: 0 });
    assert.equal(smtp.received.length, 1);
    const { envelopeTo, mail } = smtp.received[0];
    assert.deepEqual(envelopeTo, ['smtp-ada@example.com']);
    assert.deepEqual(addresses(mail.to), ['smtp-ada@example.com']);
    assert.deepEqual(addresses(mail.from), [w.deps.config.mailFrom.replace(/^.*<(.*)>$/, '$1')]);
    assert.equal(mail.subject, 'You are invited to join the project invitations-e2e-233');

    const { acceptUrl, declineUrl } = linksInMail(mail.text ?? '');
    assert.ok(acceptUrl, 'the text body carries the accept link');
    assert.ok(acceptUrl?.startsWith(`${w.deps.ctx.baseUrl()}/console/invitations/`), String(mail.text));
    assert.ok(declineUrl);
    assert.ok(typeof mail.html === 'string' && mail.html.includes(`href="${acceptUrl}"`), String(mail.html));
    assert.ok(mail.html.includes(`href="${declineUrl}"`));

    // The delivered link answers: the invitee's page opens from it.
    const page = await w.app.inject({ url: new URL(acceptUrl).pathname });
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes('Accept invitation'));

    const [row] = await queuedTo(w, 'smtp-ada@example.com');
    assert.equal(row.attempts, 1);
    assert.ok(row.sentAt);
    assert.equal(row.lastError, null);
    assert.deepEqual(await w.deps.outbox.drain(), { sent: 0, failed: 0 }, 'nothing is sent twice');
    assert.equal(smtp.received.length, 1);
  });

  test('accepting over the link mails the welcome over SMTP too', async () => {
    const delivered = smtp.received.find((r) => r.envelopeTo.includes('smtp-ada@example.com'));
    const accept = linksInMail(delivered?.mail.text ?? '').acceptUrl as string;
    const res = await browse(w, 'POST', accept);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(await w.deps.outbox.drain(), { sent: 1, failed: 0 });
    assert.equal(smtp.received.at(-1)?.mail.subject, 'Welcome to the project invitations-e2e-233');
  });
});

describe('SMTP down, then up', () => {
  let port: number;
  let w: TestWorld;
  let smtp: LocalSmtp | null = null;
  before(async () => {
    port = await deadPort();
    w = await testWorld({ smtpUrl: `smtp://127.0.0.1:${port}` });
  });
  after(async () => {
    await w.close();
    await smtp?.close();
  });

  test('a failed delivery keeps the mail queued; the API call succeeded; retried after the backoff, delivered once', async () => {
    const inv = await inviteOverApi(w, 'smtp-late@example.com');
    const get = await w.api({ url: `/api/atlas/v2/groups/${w.groupId}/invites/${inv.id}` });
    assert.equal(get.statusCode, 200, 'the invitation exists although its mail could not go out');

    assert.deepEqual(await w.deps.outbox.drain(), { sent: 0, failed: 1 });
    const [failed] = await queuedTo(w, 'smtp-late@example.com');
    assert.equal(failed.attempts, 1);
    assert.equal(failed.sentAt, null);
    assert.match(failed.lastError ?? '', /ECONNREFUSED|connect/i);

    // Not due yet: the next attempt waits 5 s on the server's clock.
    assert.equal(retryDelayMs(0), 5_000);
    smtp = await startSmtp(port);
    assert.deepEqual(await w.deps.outbox.drain(), { sent: 0, failed: 0 });
    w.clock.advance(4_000);
    assert.deepEqual(await w.deps.outbox.drain(), { sent: 0, failed: 0 });
    assert.equal(smtp.received.length, 0);

    w.clock.advance(1_001);
    assert.deepEqual(await w.deps.outbox.drain(), { sent: 1, failed: 0 });
    assert.equal(smtp.received.length, 1);
    assert.deepEqual(addresses(smtp.received[0].mail.to), ['smtp-late@example.com']);
    const sent = await findMail(w.deps.ctx.db, failed.id);
    assert.equal(sent?.attempts, 2);
    assert.ok(sent?.sentAt);
    assert.equal(sent?.lastError, null);

    w.clock.advance(3_600_000);
    assert.deepEqual(await w.deps.outbox.drain(), { sent: 0, failed: 0 });
    assert.equal(smtp.received.length, 1, 'delivered exactly once');
  });

  test('backoff doubles per failed attempt, measured from the failure, capped at an hour', async () => {
    assert.deepEqual([0, 1, 2, 3, 10, 30].map(retryDelayMs), [5_000, 10_000, 20_000, 40_000, 3_600_000, 3_600_000]);
    await smtp?.close();
    smtp = null;
    await inviteOverApi(w, 'smtp-again@example.com');
    const attemptsAfter = async () => (await queuedTo(w, 'smtp-again@example.com'))[0].attempts;
    assert.deepEqual(await w.deps.outbox.drain(), { sent: 0, failed: 1 });
    w.clock.advance(5_000);
    assert.deepEqual(await w.deps.outbox.drain(), { sent: 0, failed: 1 });
    assert.equal(await attemptsAfter(), 2);
    w.clock.advance(9_999);
    assert.deepEqual(await w.deps.outbox.drain(), { sent: 0, failed: 0 }, 'the second retry waits 10 s');
    w.clock.advance(1);
    assert.deepEqual(await w.deps.outbox.drain(), { sent: 0, failed: 1 });
    assert.equal(await attemptsAfter(), 3);
  });
});

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`the outbox over SMTP on ${dialect}: two workers, and no link left behind`, () => {
    let smtp: LocalSmtp;
    let w: TestWorld;
    before(async () => {
      smtp = await startSmtp();
      w = await testWorld({ dialect, smtpUrl: smtp.url });
    });
    after(async () => {
      await w.close();
      await smtp.close();
    });

    test('each message is delivered once', async () => {
      const n = 12;
      for (let i = 0; i < n; i++) await inviteOverApi(w, `pair${i}@example.com`);
      const other = createOutboxWorker({
        db: w.deps.ctx.db,
        clock: w.clock,
        transport: smtpTransport(smtp.url, w.deps.config.mailFrom),
        secrets: w.deps.ctx.secrets,
      });
      try {
        const results = await Promise.all([w.deps.outbox.drain(), other.drain(), w.deps.outbox.drain(), other.drain()]);
        assert.equal(
          results.reduce((a, r) => a + r.sent, 0),
          n,
          JSON.stringify(results),
        );
        assert.equal(
          results.reduce((a, r) => a + r.failed, 0),
          0,
        );
      } finally {
        await other.stop();
      }
      const to = smtp.received.flatMap((r) => r.envelopeTo).sort();
      assert.deepEqual(to, Array.from({ length: n }, (_, i) => `pair${i}@example.com`).sort());
      for (const m of await listAllMail(w.deps.ctx.db)) {
        assert.ok(m.sentAt, m.to);
        assert.equal(m.attempts, 1, `${m.to} was attempted once`);
      }
    });

    test('queued, the link secret is only sealed; delivered over SMTP, it is gone, and the mailed link still works', async () => {
      const to = `nolink-${dialect}@example.com`;
      await inviteOverApi(w, to);
      const [queued] = (await outboxMail(w)).filter((m) => m.to === to);
      const token = /\/console\/invitations\/([A-Za-z0-9_-]+)\/accept/.exec(queued.text)?.[1] as string;
      assert.ok(token && token.length >= 40, queued.text);
      assert.ok(!(await dumpStore(w.deps.ctx.db)).includes(token), 'queued: the token is sealed, never in the clear');

      assert.deepEqual(await w.deps.outbox.drain(), { sent: 1, failed: 0 });
      const mailed = linksInMail(smtp.received.at(-1)?.mail.text ?? '').acceptUrl as string;
      assert.ok(mailed.includes(token), 'the mail carries the link');
      const dump = await dumpStore(w.deps.ctx.db);
      assert.ok(!dump.includes(token), 'delivered: no trace of the token');
      const [row] = (await listAllMail(w.deps.ctx.db)).filter((m) => m.to === to);
      assert.equal(row.linkTokenSealed, null, 'the sealed secret is forgotten');
      assert.match(row.text, /\/console\/invitations\/\{link-token\}\/accept/);
      assert.equal(
        linksInMail(openMail(row, w.deps.ctx.secrets).text).acceptUrl,
        null,
        'the stored mail no longer links anywhere',
      );

      const res = await browse(w, 'POST', mailed);
      assert.equal(res.statusCode, 200, res.body);
    });
  });
}
