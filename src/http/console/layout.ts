import { Html, html } from './html.ts';
import type { MessageKey } from './i18n/index.ts';
import type { ConsoleState } from './state.ts';
import { when } from './widgets.ts';

export interface Tab {
  readonly href: string;
  readonly label: string;
  readonly current: boolean;
}

export interface PageParts {
  readonly title: string;
  /** Where the language switch brings the reader back to (this page's path and query). */
  readonly path: string;
  readonly body: Html;
  /** Above the title: the organization or project this page belongs to. */
  readonly context?: Html;
  readonly tabs?: readonly Tab[];
  readonly notice?: string | null;
  /** The movable clock's time, when the control plane is on (the banner). */
  readonly clock?: Date | null;
  /** The invitee's pages: no navigation, a narrow card. */
  readonly narrow?: boolean;
}

/** The notices a redirect may ask for (`?done=…`); anything else is ignored. */
const NOTICES = {
  invited: 'notice.invited',
  added: 'notice.added',
  roles: 'notice.rolesChanged',
  resent: 'notice.resent',
  cancelled: 'notice.cancelled',
  removed: 'notice.removed',
  clock: 'notice.clockMoved',
  accessList: 'notice.accessListAdded',
  accessListRemoved: 'notice.accessListRemoved',
  secretDeleted: 'notice.secretDeleted',
  apiKeyAdded: 'notice.apiKeyAdded',
  apiKeyRemoved: 'notice.apiKeyRemoved',
  serviceAccountAdded: 'notice.serviceAccountAdded',
  serviceAccountRemoved: 'notice.serviceAccountRemoved',
  signedOut: 'signOut.done',
} as const satisfies Record<string, MessageKey>;

export function noticeFrom(state: ConsoleState, query: unknown): string | null {
  const q = query as { done?: string; user?: string };
  const key = q.done && Object.hasOwn(NOTICES, q.done) ? NOTICES[q.done as keyof typeof NOTICES] : null;
  return key ? state.t(key, { user: typeof q.user === 'string' ? q.user.slice(0, 254) : '' }) : null;
}

export const csrfField = (state: ConsoleState) => html`<input type="hidden" name="_csrf" value="${state.csrf}">`;

function header(s: ConsoleState, path: string): Html {
  const other = s.locale === 'en' ? 'zh-CN' : 'en';
  const lang = html`<a class="lang" href="/console/lang?to=${other}&amp;back=${encodeURIComponent(path)}" hreflang="${other}" lang="${other}" title="${s.t('lang.switchLabel')}">${s.t('lang.switch')}</a>`;
  const nav = s.user
    ? html`<nav aria-label="${s.t('nav.main')}"><a href="/console/">${s.t('nav.home')}</a><a href="/console/mailbox">${s.t('nav.mailbox')}</a></nav>`
    : html``;
  const who = s.user
    ? html`<span class="who">${s.user.username}</span><form method="post" action="/console/sign-out" class="inline">${csrfField(s)}<button type="submit" class="link">${s.t('nav.signOut')}</button></form>`
    : html`<a href="/console/sign-in">${s.t('nav.signIn')}</a>`;
  return html`<header class="top"><a class="brand" href="/console/"><span class="leaf" aria-hidden="true"></span>${s.t('app.name')}</a>${nav}<div class="tools">${lang}${who}</div></header>`;
}

function clockBanner(s: ConsoleState, now: Date, path: string): Html {
  return html`<section class="clock" aria-label="${s.t('clock.label')}"><p><strong>${s.t('clock.label')}:</strong> ${when(now)} <span class="muted">${s.t('clock.lead')}</span></p>
<form method="post" action="/console/clock" class="clock-form">${csrfField(s)}<input type="hidden" name="back" value="${path}">
<label>${s.t('clock.advance')} <input type="number" name="days" min="0" max="3650" step="1" value="0" inputmode="numeric"> ${s.t('clock.days')}</label>
<label><input type="number" name="hours" min="0" max="8760" step="1" value="0" inputmode="numeric"> ${s.t('clock.hours')}</label>
<label>${s.t('clock.set')} <input type="datetime-local" name="set" step="1"> UTC</label>
<button type="submit">${s.t('clock.move')}</button></form></section>`;
}

/** The one page shell: header, clock banner, tabs, notice, the page itself. */
export function layout(s: ConsoleState, p: PageParts): string {
  const tabs = p.tabs?.length
    ? html`<nav class="tabs" aria-label="${s.t('nav.section')}">${p.tabs.map((t) => html`<a href="${t.href}"${t.current ? html` aria-current="page"` : ''}>${t.label}</a>`)}</nav>`
    : '';
  const notice = p.notice ? html`<p class="notice" role="status">${p.notice}</p>` : '';
  return html`<!doctype html>
<html lang="${s.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${p.title} · ${s.t('app.name')}</title>
<link rel="stylesheet" href="/console/assets/console.css"><link rel="icon" href="/console/assets/favicon.svg" type="image/svg+xml"><script src="/console/assets/console.js" defer></script></head>
<body${p.narrow ? html` class="narrow"` : ''}><a class="skip" href="#main">${s.t('nav.skip')}</a>${header(s, p.path)}${p.clock ? clockBanner(s, p.clock, p.path) : ''}
<main id="main">${p.context ? html`<p class="context">${p.context}</p>` : ''}<h1>${p.title}</h1>${tabs}${notice}${p.body}</main></body></html>`
    .value;
}
