import type { Kysely } from 'kysely';
import type { Clock } from '../lib/clock.ts';
import { claimMail, dueMail, markMailFailed, markMailSent } from '../storage/repositories/outbox.repository.ts';
import type { Database } from '../storage/schema.ts';
import type { MailTransport } from './transport.ts';
import { forgetLinks, openMail } from '../domain/mail/invitation-mail.ts';
import type { SecretBox } from '../lib/secret-box.ts';

/** 5 s, 10 s, 20 s … capped at an hour: a down SMTP server delays mail, never loses it. */
export function retryDelayMs(attempts: number): number {
  return Math.min(3_600_000, 5_000 * 2 ** Math.max(0, attempts));
}

/**
 * How long a claimed message is left alone by the other nodes: longer than a send can take (the SMTP
 * transport gives up well within it), so a slow send is never picked up and sent a second time.
 */
export const CLAIM_LEASE_MS = 5 * 60_000;

const BATCH = 50;

type Log = { warn(obj: object, msg: string): void };

export interface OutboxWorker {
  /** Delivers what is due now; resolves with how many were sent and how many failed. */
  drain(): Promise<{ sent: number; failed: number }>;
  /** Drains every `intervalMs` in the background; failures are logged to `log`. */
  start(intervalMs?: number, log?: Log): void;
  stop(): Promise<void>;
}

/**
 * Delivers the mail outbox. Each message is claimed first (its attempt counted and its next attempt
 * pushed out by a lease, guarded by its attempt count), so several nodes can run workers on one
 * database without sending twice. A failed attempt is retried 5 s·2^(n-1) after it failed.
 */
export function createOutboxWorker(deps: {
  db: Kysely<Database>;
  clock: Clock;
  transport: MailTransport;
  secrets: SecretBox;
  log?: Log;
}): OutboxWorker {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> = Promise.resolve();
  let log = deps.log;

  async function drainBatch(): Promise<{ sent: number; failed: number; seen: number }> {
    let sent = 0;
    let failed = 0;
    const due = await dueMail(deps.db, deps.clock.now(), BATCH);
    for (const mail of due) {
      const leaseUntil = new Date(deps.clock.now().getTime() + Math.max(CLAIM_LEASE_MS, retryDelayMs(mail.attempts)));
      if (!(await claimMail(deps.db, mail.id, mail.attempts, leaseUntil))) continue;
      try {
        await deps.transport.send(openMail(mail, deps.secrets));
      } catch (err) {
        failed++;
        const retryAt = new Date(deps.clock.now().getTime() + retryDelayMs(mail.attempts));
        await markMailFailed(deps.db, mail.id, err instanceof Error ? err.message : String(err), retryAt);
        log?.warn({ mailId: mail.id, to: mail.to, attempts: mail.attempts + 1, retryAt, err: String(err) }, 'mail delivery failed; will retry');
        continue;
      }
      // Delivered over SMTP, the link secret has left: the store forgets it. Captured mail keeps it
      // sealed, since the mailbox is where that mail is delivered.
      await markMailSent(deps.db, mail.id, deps.clock.now(), deps.transport.kind === 'smtp' ? forgetLinks(mail) : undefined);
      sent++;
    }
    return { sent, failed, seen: due.length };
  }

  /** Batch after batch until what is due is done (claimed or failed messages are no longer due). */
  async function drain() {
    let sent = 0;
    let failed = 0;
    for (let round = 0; round < 1000; round++) {
      const r = await drainBatch();
      sent += r.sent;
      failed += r.failed;
      if (r.seen < BATCH) break;
    }
    return { sent, failed };
  }

  /** One drain at a time per worker: the background timer and explicit drains queue behind each other. */
  function queued() {
    const next = running.then(drain, drain);
    running = next.catch(() => undefined);
    return next;
  }

  return {
    drain: queued,
    start(intervalMs = 1000, startLog?: Log) {
      if (startLog) log = startLog;
      if (timer) return;
      let busy = false;
      timer = setInterval(() => {
        if (busy) return; // a slow SMTP server must not pile up drains
        busy = true;
        queued()
          .catch((err) => log?.warn({ err: String(err) }, 'outbox drain failed'))
          .finally(() => {
            busy = false;
          });
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
      deps.transport.close();
    },
  };
}
