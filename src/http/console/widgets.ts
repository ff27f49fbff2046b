import { atlasDate } from '../../lib/dates.ts';
import { type Html, html } from './html.ts';
import { roleName } from './i18n/roles.ts';
import type { ConsoleState } from './state.ts';

/** Role badges as Atlas shows them: the human name, the API name on hover and for copy. */
export function roleBadges(s: ConsoleState, roles: readonly string[]): Html {
  return html`<span class="badges">${roles.map((r) => html`<span class="badge ${r.startsWith('ORG_OWNER') || r === 'GROUP_OWNER' ? 'owner' : ''}" title="${r}">${roleName(r, s.locale)}</span>`)}</span>`;
}

/** A fieldset of role checkboxes (`name` repeated once per checked role). */
export function roleChoices(s: ConsoleState, legend: string, name: string, roles: readonly string[], checked: readonly string[], idPrefix: string): Html {
  return html`<fieldset class="roles"><legend>${legend}</legend>${roles.map(
    (r) => html`<label for="${idPrefix}-${r}"><input type="checkbox" id="${idPrefix}-${r}" name="${name}" value="${r}"${checked.includes(r) ? html` checked` : ''}> ${roleName(r, s.locale)}</label>`,
  )}</fieldset>`;
}

export const when = (d: Date | null | undefined) => (d ? html`<time datetime="${atlasDate(d)}">${atlasDate(d).replace('T', ' ').replace('Z', ' UTC')}</time>` : html``);

/** A table with a caption (screen readers name it), scrolling sideways on narrow screens. */
export function table(caption: string, headers: readonly string[], rows: readonly Html[], empty: string, id?: string): Html {
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
