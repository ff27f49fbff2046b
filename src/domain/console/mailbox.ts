import { listSentMail } from '../../storage/repositories/outbox.repository.ts';
import type { DomainContext } from '../context.ts';
import { linksInMail, openMail } from '../mail/invitation-mail.ts';

/** Captured mail (no SMTP server), newest last, with its links opened: what the console's mailbox lists. */
export async function capturedMail(ctx: DomainContext, opts: { to?: string; limit?: number } = {}) {
  const mails = await listSentMail(ctx.db, { to: opts.to || undefined, limit: opts.limit ?? 100 });
  return mails.map((m) => {
    const opened = openMail(m, ctx.secrets);
    return { id: m.id, to: m.to, subject: m.subject, text: opened.text, sentAt: m.sentAt, ...linksInMail(opened.text) };
  });
}
