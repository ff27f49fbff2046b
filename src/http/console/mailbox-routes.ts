import type { FastifyInstance } from 'fastify';
import { renewSession } from '../../domain/console/console-accounts.service.ts';
import { capturedMail } from '../../domain/console/mailbox.ts';
import { atlasError } from '../../errors/atlas-error.ts';
import { moveClock } from '../control/clock-move.ts';
import { localPath } from './auth-routes.ts';
import type { ConsoleDeps } from './deps.ts';
import { html } from './html.ts';
import { userOf } from './person.ts';
import { redirect, render } from './respond.ts';
import { field, when } from './widgets.ts';

/** The latest messages only: a page stays small (filter by recipient for older ones). */
const MAILBOX_SIZE = 25;

const wholeNumber = (value: string, max: number) => {
  const n = value === '' ? 0 : Number(value);
  if (!Number.isInteger(n) || n < 0 || n > max)
    throw atlasError('VALIDATION_ERROR', `${value} is not a whole number from 0 to ${max}`);
  return n;
};

/** The page the clock was moved from, less the notice it was showing (the new one replaces it). */
function withoutNotice(path: string): string {
  const url = new URL(path, 'http://x');
  url.searchParams.delete('done');
  url.searchParams.delete('user');
  return `${url.pathname}${url.search}`;
}

/** The mailbox (captured mail with working links) and the clock banner's form. */
export function registerMailboxRoutes(scope: FastifyInstance, deps: ConsoleDeps): void {
  const { ctx } = deps;

  scope.get('/mailbox', async (request, reply) => {
    const s = request.console;
    userOf(request);
    const to =
      typeof (request.query as { to?: unknown }).to === 'string' ? (request.query as { to: string }).to.trim() : '';
    if (!deps.mailCaptured)
      return render(deps, request, reply, { title: s.t('mailbox.title'), body: html`<p>${s.t('mailbox.smtp')}</p>` });
    await deps.outbox.drain();
    const mails = (await capturedMail(ctx, { to, limit: MAILBOX_SIZE })).reverse();
    const filter = html`<form method="get" action="/console/mailbox" class="filters" role="search"><label for="mail-to">${s.t('mailbox.filter')}<input id="mail-to" name="to" type="search" value="${to}"></label><button type="submit">${s.t('events.filter')}</button></form>`;
    const items = mails.map(
      (m, i) => html`<article class="panel mail" data-to="${m.to}"><h2 id="mail-${i}">${m.subject}</h2>
<dl class="facts"><dt>${s.t('mailbox.to')}</dt><dd>${m.to}</dd><dt>${s.t('mailbox.sent')}</dt><dd>${when(m.sentAt)}</dd></dl>
${m.acceptUrl || m.declineUrl ? html`<p class="mail-links">${m.acceptUrl ? html`<a href="${m.acceptUrl}" class="button" aria-describedby="mail-${i}">${s.t('mailbox.accept')}</a>` : ''}${m.declineUrl ? html`<a href="${m.declineUrl}" aria-describedby="mail-${i}">${s.t('mailbox.decline')}</a>` : ''}</p>` : ''}
<details><summary>${s.t('mailbox.body')}<span class="sr-only">: ${m.subject}</span></summary><pre class="mail">${m.text}</pre></details></article>`,
    );
    const body = html`<p class="lead">${s.t('mailbox.lead')}</p>${filter}<p class="muted small">${s.t('mailbox.latest', { n: MAILBOX_SIZE })}</p>${items.length ? items : html`<p class="muted">${s.t('mailbox.none')}</p>`}`;
    return render(deps, request, reply, { title: s.t('mailbox.title'), body });
  });

  scope.post('/clock', async (request, reply) => {
    userOf(request);
    if (!deps.clock) return reply.callNotFound();
    const days = wholeNumber(field(request.body, 'days'), 3650);
    const hours = wholeNumber(field(request.body, 'hours'), 8760);
    const set = field(request.body, 'set');
    // The control plane's rules: exactly one of a move forward and a time to set (a date-time field is UTC).
    const advanceSeconds = days || hours || !set ? (days * 24 + hours) * 3600 : undefined;
    moveClock(deps.clock, { advanceSeconds, set: set ? `${set.length === 16 ? `${set}:00` : set}Z` : undefined });
    // The mover's own session moves with the clock (it would otherwise expire at once).
    if (request.console.sessionId) await renewSession(ctx, request.console.sessionId);
    return redirect(reply, withoutNotice(localPath(field(request.body, 'back'))), 'clock');
  });
}
