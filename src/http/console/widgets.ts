import { atlasDate } from '../../lib/dates.ts';
import { type Html, html } from './html.ts';
import { roleName } from './i18n/roles.ts';
import type { ConsoleState } from './state.ts';

/** Role badges as Atlas shows them: the human name, the API name on hover and for copy. */
export function roleBadges(s: ConsoleState, roles: readonly string[]): Html {
  return html`<span class="badges">${roles.map((r) => html`<span class="badge ${r.startsWith('ORG_OWNER') || r === 'GROUP_OWNER' ? 'owner' : ''}" title="${r}">${roleName(r, s.locale)}</span>`)}</span>`;
}

/** A fieldset of role checkboxes (`name` repeated once per checked role). */
export function roleChoices(
  s: ConsoleState,
  legend: string,
  name: string,
  roles: readonly string[],
  checked: readonly string[],
): Html {
  return html`<fieldset class="roles"><legend>${legend}</legend>${roles.map(
    (r) =>
      html`<label><input type="checkbox" name="${name}" value="${r}"${checked.includes(r) ? html` checked` : ''}> ${roleName(r, s.locale)}</label>`,
  )}</fieldset>`;
}

export const PAGE_SIZE = 20;

/** Which page of a list the query asks for (`?{param}=N`, from 1). */
export function pageParam(query: unknown, param: string): number {
  const n = Number((query as Record<string, unknown>)[param]);
  return Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : 1;
}

/** Previous / next links for a list longer than a page (other query parameters kept). */
export function pager(
  s: ConsoleState,
  url: string,
  param: string,
  page: number,
  total: number,
  size = PAGE_SIZE,
): Html {
  const pages = Math.max(1, Math.ceil(total / size));
  if (pages === 1) return html``;
  const link = (n: number) => {
    const u = new URL(url, 'http://x');
    u.searchParams.set(param, String(n));
    u.searchParams.delete('done');
    u.searchParams.delete('user');
    return `${u.pathname}${u.search}`;
  };
  return html`<nav class="pager" aria-label="${s.t('pager.label')}">${page > 1 ? html`<a href="${link(page - 1)}" rel="prev">${s.t('pager.prev')}</a>` : ''}<span>${s.t('pager.of', { page, pages })}</span>${page < pages ? html`<a href="${link(page + 1)}" rel="next">${s.t('pager.next')}</a>` : ''}</nav>`;
}

export const when = (d: Date | null | undefined) =>
  d ? html`<time datetime="${atlasDate(d)}">${atlasDate(d).replace('T', ' ').replace('Z', ' UTC')}</time>` : html``;

/** A table with a caption (screen readers name it), scrolling sideways on narrow screens. */
export function table(
  caption: string,
  headers: readonly string[],
  rows: readonly Html[],
  empty: string,
  id?: string,
): Html {
  if (rows.length === 0) return html`<p class="muted"${id ? html` id="${id}"` : ''}>${empty}</p>`;
  return html`<div class="table-wrap"><table${id ? html` id="${id}"` : ''}><caption class="sr-only">${caption}</caption><thead><tr>${headers.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead><tbody>${rows}</tbody></table></div>`;
}

/** Form values: one string, or every value of a repeated field. */
export function field(form: unknown, name: string): string {
  const v = (form as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v.trim() : Array.isArray(v) ? String(v[0] ?? '').trim() : '';
}

export function fields(form: unknown, name: string): string[] {
  const v = (form as Record<string, unknown> | undefined)?.[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(String);
}
