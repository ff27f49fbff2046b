import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createOutboxWorker } from '../../src/mail/outbox-worker.ts';
import type { MailTransport } from '../../src/mail/transport.ts';
import { countUnsentMail, enqueueMail, findMail } from '../../src/storage/repositories/outbox.repository.ts';
import { testWorld } from '../helpers/app.ts';

/** Stopping a worker mid-send releases its claim (due again now, attempt uncounted); a finished send is kept. */

function hangingTransport() {
  let started: () => void = () => {};
  const sending = new Promise<void>((resolve) => {
    started = resolve;
  });
  let finish: (ok: boolean) => void = () => {};
  const transport: MailTransport = {
    kind: 'smtp',
    send: () => {
      started();
      return new Promise<void>((resolve, reject) => {
        finish = (ok) => (ok ? resolve() : reject(new Error('smtp gave up')));
      });
    },
    close: () => undefined,
  };
  return { transport, sending, finish: (ok: boolean) => finish(ok) };
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  test(`${dialect}: stop() past its grace releases the claim of a send under way`, async () => {
    const w = await testWorld({ dialect });
    try {
      const { db } = w.deps.ctx;
      await enqueueMail(db, { id: 'm1', to: 'a@example.com', subject: 's', text: 't', html: 'h', at: w.clock.now() });
      const hang = hangingTransport();
      const outcomes: string[] = [];
      const worker = createOutboxWorker({ db, clock: w.clock, transport: hang.transport, secrets: w.deps.ctx.secrets });
      worker.observe((o) => outcomes.push(o));
      const draining = worker.drain();
      await hang.sending;
      const claimed = await findMail(db, 'm1');
      assert.equal(claimed?.attempts, 1);
      assert.equal(await countUnsentMail(db), 1);

      assert.deepEqual(await worker.stop(0), { released: 1 });
      const released = await findMail(db, 'm1');
      assert.equal(released?.attempts, 0);
      assert.equal(released?.sentAt, null);
      // Due now: a worker on another node (or the next start) picks it up at once, not after the lease.
      const other = createOutboxWorker({
        db,
        clock: w.clock,
        transport: { kind: 'capture', send: async () => undefined, close: () => undefined },
        secrets: w.deps.ctx.secrets,
      });
      assert.deepEqual(await other.drain(), { sent: 1, failed: 0 });
      assert.equal(await countUnsentMail(db), 0);
      // The first send failing late changes nothing: its claim is no longer its own.
      hang.finish(false);
      await draining;
      assert.equal((await findMail(db, 'm1'))?.lastError, null);
      assert.deepEqual(outcomes, []);
    } finally {
      await w.close();
    }
  });

  test(`${dialect}: stop() with time to spare lets the send finish and releases nothing`, async () => {
    const w = await testWorld({ dialect });
    try {
      const { db } = w.deps.ctx;
      await enqueueMail(db, { id: 'm2', to: 'b@example.com', subject: 's', text: 't', html: 'h', at: w.clock.now() });
      const hang = hangingTransport();
      const outcomes: string[] = [];
      const worker = createOutboxWorker({ db, clock: w.clock, transport: hang.transport, secrets: w.deps.ctx.secrets });
      worker.observe((o) => outcomes.push(o));
      void worker.drain();
      await hang.sending;
      const stopping = worker.stop();
      hang.finish(true);
      assert.deepEqual(await stopping, { released: 0 });
      assert.ok((await findMail(db, 'm2'))?.sentAt);
      assert.deepEqual(outcomes, ['sent']);
    } finally {
      await w.close();
    }
  });
}
