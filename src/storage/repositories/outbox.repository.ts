import type { Kysely, Selectable } from 'kysely';
import type { OutgoingMail } from '../../domain/mail/mail.ts';
import { instant, integer, optionalInstant } from '../codec.ts';
import type { Database, MailOutboxTable } from '../schema.ts';

type Executor = Kysely<Database>;

const toMail = (row: Selectable<MailOutboxTable>): OutgoingMail => ({
  id: row.id,
  to: row.recipient,
  subject: row.subject,
  text: row.text_body,
  html: row.html_body,
  createdAt: instant.decode(row.created_at),
  attempts: integer.decode(row.attempts),
  sentAt: optionalInstant.decode(row.sent_at),
  lastError: row.last_error,
  linkTokenSealed: row.link_token_sealed,
});

export async function enqueueMail(
  db: Executor,
  m: { id: string; to: string; subject: string; text: string; html: string; at: Date; linkTokenSealed?: string },
): Promise<void> {
  await db
    .insertInto('mail_outbox')
    .values({
      id: m.id,
      recipient: m.to,
      subject: m.subject,
      text_body: m.text,
      html_body: m.html,
      created_at: instant.encode(m.at),
      next_attempt_at: instant.encode(m.at),
      sent_at: null,
      last_error: null,
      link_token_sealed: m.linkTokenSealed ?? null,
    })
    .execute();
}

export async function dueMail(db: Executor, now: Date, limit: number): Promise<OutgoingMail[]> {
  const rows = await db
    .selectFrom('mail_outbox')
    .selectAll()
    .where('sent_at', 'is', null)
    .where('next_attempt_at', '<=', instant.encode(now))
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(toMail);
}

/**
 * Claims a message for delivery: counts the attempt and pushes the next one out past `leaseUntil`
 * (longer than a send can take), so no other node picks it up meanwhile; false if another node got
 * it first. A node that dies mid-send leaves it to be retried once the lease runs out.
 */
export async function claimMail(
  db: Executor,
  id: string,
  expectedAttempts: number,
  leaseUntil: Date,
): Promise<boolean> {
  const r = await db
    .updateTable('mail_outbox')
    .set({ attempts: expectedAttempts + 1, next_attempt_at: instant.encode(leaseUntil) })
    .where('id', '=', id)
    .where('attempts', '=', expectedAttempts)
    .where('sent_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/**
 * Gives back a claim this node holds but will not finish (it is shutting down mid-send): due again
 * at `now` with its attempt uncounted, for another node or the next start. Guarded by the count the
 * claim set, so a claim that has since moved on (sent, failed, or taken over) is left alone.
 */
export async function releaseMail(db: Executor, id: string, claimedAttempts: number, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('mail_outbox')
    .set({ attempts: claimedAttempts - 1, next_attempt_at: instant.encode(now) })
    .where('id', '=', id)
    .where('attempts', '=', claimedAttempts)
    .where('sent_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Mail not yet delivered (queued, waiting to retry, or claimed): the outbox depth. */
export async function countUnsentMail(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('mail_outbox')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('sent_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Delivered. `forget`: the bodies to keep from now on, and the sealed link secret is dropped. */
export async function markMailSent(
  db: Executor,
  id: string,
  at: Date,
  forget?: { text: string; html: string },
): Promise<void> {
  await db
    .updateTable('mail_outbox')
    .set({
      sent_at: instant.encode(at),
      last_error: null,
      ...(forget ? { text_body: forget.text, html_body: forget.html, link_token_sealed: null } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/** A failed attempt: keeps the error and sets when the next attempt is due (backoff from the failure, not the claim). */
export async function markMailFailed(db: Executor, id: string, error: string, retryAt: Date): Promise<void> {
  await db
    .updateTable('mail_outbox')
    .set({ last_error: error.slice(0, 1000), next_attempt_at: instant.encode(retryAt) })
    .where('id', '=', id)
    .where('sent_at', 'is', null)
    .execute();
}

/**
 * Delivered (or captured) mail, oldest first: the latest `limit` messages, optionally only those to
 * one address (case-insensitive), so a long-running server's mailbox still shows what was sent last.
 */
export async function listSentMail(db: Executor, opts: { to?: string; limit?: number } = {}): Promise<OutgoingMail[]> {
  let q = db.selectFrom('mail_outbox').selectAll().where('sent_at', 'is not', null);
  if (opts.to) q = q.where((eb) => eb(eb.fn('lower', ['recipient']), '=', (opts.to as string).toLowerCase()));
  const rows = await q
    .orderBy('sent_at', 'desc')
    .orderBy('id', 'desc')
    .limit(opts.limit ?? 1000)
    .execute();
  return rows.reverse().map(toMail);
}

export async function listAllMail(db: Executor, limit = 1000): Promise<OutgoingMail[]> {
  const rows = await db
    .selectFrom('mail_outbox')
    .selectAll()
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(toMail);
}

/** Queued and delivered mail, oldest first: the latest `limit` messages, optionally to one address. */
export async function listRecentMail(
  db: Executor,
  opts: { to?: string; limit?: number } = {},
): Promise<OutgoingMail[]> {
  let q = db.selectFrom('mail_outbox').selectAll();
  if (opts.to) q = q.where((eb) => eb(eb.fn('lower', ['recipient']), '=', (opts.to as string).toLowerCase()));
  const rows = await q
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(opts.limit ?? 1000)
    .execute();
  return rows.reverse().map(toMail);
}

export async function findMail(db: Executor, id: string): Promise<OutgoingMail | undefined> {
  const row = await db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toMail(row);
}
