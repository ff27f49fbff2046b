import type { Command } from 'commander';
import { ConfigError } from '../../config/config.ts';
import { linksInMail, openMail } from '../../domain/mail/invitation-mail.ts';
import { atlasDate } from '../../lib/dates.ts';
import { listRecentMail, listSentMail } from '../../storage/repositories/outbox.repository.ts';
import { printResult, storeOptions } from '../options.ts';
import { type StoreFlags, withDeps } from '../with-deps.ts';

/**
 * `mailbox`: the mail the server sent (over SMTP) or captured (no `--smtp-url`), read from the store,
 * with the accept and decline URLs found in it; `--all` adds what is still queued, with its attempts
 * and last error (an SMTP server that is down shows here).
 */
export function registerMailbox(program: Command): void {
  storeOptions(program.command('mailbox'))
    .description('sent or captured mail, with the accept/decline URLs in it')
    .option('--to <address>', 'only mail to this address (case-insensitive)')
    .option('--all', 'also mail still queued for delivery')
    .option('--limit <n>', 'the latest n messages', '100')
    .action(async (flags: StoreFlags & { to?: string; all?: boolean; limit: string }) => {
      const limit = Number(flags.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new ConfigError('--limit takes a positive integer');
      const mails = await withDeps(flags, async (deps) =>
        (flags.all
          ? await listRecentMail(deps.ctx.db, { to: flags.to, limit })
          : await listSentMail(deps.ctx.db, { to: flags.to, limit })
        ).map((m) => openMail(m, deps.ctx.secrets)),
      );
      const rows = mails.map((m) => ({
        id: m.id,
        to: m.to,
        subject: m.subject,
        status: m.sentAt ? 'SENT' : 'QUEUED',
        createdAt: atlasDate(m.createdAt),
        sentAt: m.sentAt && atlasDate(m.sentAt),
        attempts: m.attempts,
        lastError: m.lastError,
        ...linksInMail(m.text),
        text: m.text,
        html: m.html,
      }));
      printResult(Boolean(flags.json), rows, () =>
        rows.length === 0
          ? 'No mail.'
          : rows
              .map((r) =>
                [
                  `${r.sentAt ?? `queued (${r.attempts} attempts${r.lastError ? `, last error: ${r.lastError}` : ''})`}  ${r.to}  ${r.subject}`,
                  ...(r.acceptUrl ? [`  accept:  ${r.acceptUrl}`] : []),
                  ...(r.declineUrl ? [`  decline: ${r.declineUrl}`] : []),
                ].join('\n'),
              )
              .join('\n'),
      );
    });
}
