import type { AccessListEntry } from '../../domain/access-lists/access-list.ts';
import { type Html, html } from './html.ts';
import { csrfField } from './layout.ts';
import type { ConsoleState } from './state.ts';
import { roleBadges, roleChoices } from './widgets.ts';

/** Roles of a credential: its org roles and, per project, its project roles. */
export function credentialRoles(
  s: ConsoleState,
  orgRoles: readonly string[],
  projects: ReadonlyArray<{ projectId: string; roles: readonly string[] }>,
  names: ReadonlyMap<string, string>,
): Html {
  return html`${roleBadges(s, orgRoles)}${projects.length ? html`<ul class="plain small">${projects.map((p) => html`<li>${names.get(p.projectId) ?? p.projectId}: ${roleBadges(s, p.roles)}</li>`)}</ul>` : ''}`;
}

/**
 * The access list and, for those who may change it (`action`, where entries are added), a remove
 * button per entry (`{action}/remove`, the entry in the form) and a form to add one.
 */
export function accessListCell(
  s: ConsoleState,
  entries: readonly AccessListEntry[],
  action: string | null,
  label: string,
): Html {
  const remove = (e: AccessListEntry) =>
    action
      ? html` <form method="post" action="${action}/remove" class="inline">${csrfField(s)}<input type="hidden" name="entry" value="${e.cidrBlock}"><button type="submit" class="danger small">${s.t('credentials.removeEntry')}<span class="sr-only"> ${e.cidrBlock} · ${label}</span></button></form>`
      : '';
  const list = entries.length
    ? html`<ul class="plain small">${entries.map((e) => html`<li><code>${e.cidrBlock}</code>${remove(e)}</li>`)}</ul>`
    : html`<span class="muted small">${s.t('credentials.accessListNone')}</span>`;
  const id = `al-${action?.replace(/[^A-Za-z0-9]/g, '-') ?? ''}`;
  const form = action
    ? html`<details><summary>${s.t('credentials.addAccessList')}<span class="sr-only"> ${label}</span></summary><form method="post" action="${action}" class="filters">${csrfField(s)}<label for="${id}">${s.t('credentials.addAccessList')}<input id="${id}" name="entry" required placeholder="192.0.2.0/24"></label><button type="submit">${s.t('credentials.add')}</button></form></details>`
    : '';
  return html`${list}${form}`;
}

/** The one time a secret is shown: its value, a copy button (console.js), and the warning. */
export function shownOnce(s: ConsoleState, label: string, value: string, warning: string): Html {
  return html`<p class="warning" role="alert">${warning}</p><div class="secret"><span class="muted">${label}:</span> <code id="secret-value">${value}</code><button type="button" data-copy="secret-value" data-copied="${s.t('credentials.copied')}">${s.t('credentials.copy')}</button></div>`;
}

export function createForm(
  s: ConsoleState,
  title: string,
  action: string,
  textFields: Html,
  roles: readonly string[],
): Html {
  return html`<section class="panel" aria-labelledby="create-title"><h2 id="create-title">${title}</h2><form method="post" action="${action}" class="grid-form">${csrfField(s)}
${textFields}${roleChoices(s, s.t('credentials.roles'), 'roles', roles, [])}<div><button type="submit" class="primary">${title}</button></div></form></section>`;
}
