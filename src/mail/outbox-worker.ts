import type { Kysely } from 'kysely';
import type { Clock } from '../lib/clock.ts';
import {
  claimMail,
  dueMail,
  markMailFailed,
  markMailSent,
  releaseMail,
} from '../storage/repositories/outbox.repository.ts';
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
const CLAIM_LEASE_MS = 5 * 60_000;

const BATCH = 50;

type Log = { warn(obj: object, msg: string): void };

export interface OutboxWorker {
  /** Delivers what is due now; resolves with how many were sent and how many failed. */
  drain(): Promise<{ sent: number; failed: number }>;
  /** Drains every `intervalMs` in the background; failures are logged to `log`. */
  start(intervalMs?: number, log?: Log): void;
  /**
   * Stops: no further message is claimed; a send under way gets `graceMs` (default: as long as it
   * takes) to finish, after which its claim is released (due again now, attempt uncounted) for
   * another node or the next start. Resolves with how many claims were released.
   */
  stop(graceMs?: number): Promise<{ released: number }>;
  /** Called after each delivery attempt (metrics). */
  observe(listener: (outcome: 'sent' | 'failed') => void): void;
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
  let stopping = false;
  /** Claims this worker holds and has not finished: id → the attempt count its claim set. */
  const claimed = new Map<string, number>();
  const listeners: Array<(outcome: 'sent' | 'failed') => void> = [];
  const tell = (outcome: 'sent' | 'failed') => {
    for (const l of listeners) l(outcome);
  };

  async function drainBatch(): Promise<{ sent: number; failed: number; seen: number }> {
    let sent = 0;
    let failed = 0;
    const due = await dueMail(deps.db, deps.clock.now(), BATCH);
    for (const mail of due) {
      if (stopping) break;
      const leaseUntil = new Date(deps.clock.now().getTime() + Math.max(CLAIM_LEASE_MS, retryDelayMs(mail.attempts)));
      if (!(await claimMail(deps.db, mail.id, mail.attempts, leaseUntil))) continue;
      claimed.set(mail.id, mail.attempts + 1);
      try {
        await deps.transport.send(openMail(mail, deps.secrets));
      } catch (err) {
        if (!claimed.delete(mail.id)) continue; // released by stop() meanwhile
        failed++;
        tell('failed');
        const retryAt = new Date(deps.clock.now().getTime() + retryDelayMs(mail.attempts));
        await markMailFailed(deps.db, mail.id, err instanceof Error ? err.message : String(err), retryAt);
        log?.warn(
          { mailId: mail.id, to: mail.to, attempts: mail.attempts + 1, retryAt, err: String(err) },
          'mail delivery failed; will retry',
        );
        continue;
      }
      claimed.delete(mail.id); // sent, even if stop() released it meanwhile: recorded, not sent twice
      // Delivered over SMTP, the link secret has left: the store forgets it. Captured mail keeps it
      // sealed, since the mailbox is where that mail is delivered.
      tell('sent');
      await markMailSent(
        deps.db,
        mail.id,
        deps.clock.now(),
        deps.transport.kind === 'smtp' ? forgetLinks(mail) : undefined,
      );
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
      if (r.seen < BATCH || stopping) break;
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
    async stop(graceMs) {
      if (timer) clearInterval(timer);
      timer = null;
      stopping = true;
      let wait: NodeJS.Timeout | undefined;
      if (graceMs === undefined) await running;
      else await Promise.race([running, new Promise((resolve) => (wait = setTimeout(resolve, graceMs)))]);
      clearTimeout(wait);
      let released = 0;
      for (const [id, attempts] of [...claimed]) {
        claimed.delete(id);
        if (await releaseMail(deps.db, id, attempts, deps.clock.now())) released++;
      }
      deps.transport.close();
      return { released };
    },
    observe(listener) {
      listeners.push(listener);
    },
  };
}
