import type { Invitation } from '../../domain/invitations/invitation.ts';
import { isExpired } from '../../domain/invitations/invitation.ts';
import { type Html, html } from './html.ts';
import { roleName } from './i18n/roles.ts';
import { csrfField, type Tab } from './layout.ts';
import type { ConsoleState } from './state.ts';
import { roleBadges, roleChoices, table, when } from './widgets.ts';

/** One row of the members table: a person with roles in the organization or the project. */
export interface MemberRow {
  readonly userId: string;
  readonly username: string;
  readonly roles: readonly string[];
}

/** Where the Access Manager's forms post: `/console/orgs/{id}` or `/console/projects/{id}`. */
export interface AccessScope {
  readonly base: string;
  /** The roles that can be given here (org roles or the project roles). */
  readonly roles: readonly string[];
  readonly canManage: boolean;
}

/** A folded "Change roles" form: role checkboxes with the current ones ticked. */
export function rolesForm(
  s: ConsoleState,
  action: string,
  roles: readonly string[],
  current: readonly string[],
  who: string,
): Html {
  return html`<details><summary>${s.t('roles.edit')}<span class="sr-only"> ${who}</span></summary><form method="post" action="${action}" class="grid-form">${csrfField(s)}
${roleChoices(s, `${s.t('members.roles')}: ${who}`, 'roles', roles, current)}<div><button type="submit" class="primary">${s.t('roles.save')}</button></div></form></details>`;
}

/** A one-button form (CSRF token included); `who` completes the label for screen readers. */
export const postButton = (s: ConsoleState, action: string, label: string, who: string, danger = false) =>
  html`<form method="post" action="${action}" class="inline">${csrfField(s)}<button type="submit"${danger ? html` class="danger"` : ''}>${label}<span class="sr-only"> ${who}</span></button></form>`;

export function membersTable(s: ConsoleState, scope: AccessScope, members: readonly MemberRow[]): Html {
  const rows = members.map((m) => {
    const you = s.user?.id === m.userId ? html` <span class="muted">(${s.t('members.you')})</span>` : '';
    const actions = scope.canManage
      ? html`<div class="actions">${rolesForm(s, `${scope.base}/members/${m.userId}/roles`, scope.roles, m.roles, m.username)}${postButton(s, `${scope.base}/members/${m.userId}/remove`, s.t('members.remove'), m.username, true)}</div>`
      : '';
    return html`<tr data-user="${m.username}"><td class="email" data-label="${s.t('members.email')}">${m.username}${you}</td><td data-label="${s.t('members.roles')}">${roleBadges(s, m.roles)}</td>${scope.canManage ? html`<td data-label="${s.t('members.actions')}">${actions}</td>` : ''}</tr>`;
  });
  const headers = [s.t('members.email'), s.t('members.roles'), ...(scope.canManage ? [s.t('members.actions')] : [])];
  return table(s.t('members.title'), headers, rows, s.t('members.none'), 'members');
}

export function invitationsTable(
  s: ConsoleState,
  scope: AccessScope,
  invitations: readonly Invitation[],
  now: Date,
  projectNames: ReadonlyMap<string, string>,
): Html {
  const rows = invitations.map((inv) => {
    const expired = isExpired(inv, now);
    const projects = inv.groupRoleAssignments.length
      ? html`<ul class="plain small">${inv.groupRoleAssignments.map((a) => html`<li>${projectNames.get(a.groupId) ?? a.groupId}: ${roleBadges(s, a.roles)}</li>`)}</ul>`
      : '';
    const base = `${scope.base}/invites/${inv.id}`;
    return html`<tr data-invitee="${inv.username}"><td class="email" data-label="${s.t('invites.invitee')}">${inv.username}</td>
<td data-label="${s.t('members.roles')}">${roleBadges(s, inv.roles)}${projects}</td>
<td data-label="${s.t('invites.invitedBy')}">${inv.inviterUsername}</td>
<td data-label="${s.t('invites.expires')}">${when(inv.expiresAt)}${expired ? html` <span class="badge expired">${s.t('invites.expired')}</span>` : ''}</td>
<td data-label="${s.t('members.actions')}"><div class="actions">${rolesForm(s, `${base}/roles`, scope.roles, inv.roles, inv.username)}${postButton(s, `${base}/resend`, s.t('invites.resend'), inv.username)}${postButton(s, `${base}/cancel`, s.t('invites.cancel'), inv.username, true)}</div></td></tr>`;
  });
  const headers = [
    s.t('invites.invitee'),
    s.t('members.roles'),
    s.t('invites.invitedBy'),
    s.t('invites.expires'),
    s.t('members.actions'),
  ];
  return table(s.t('invites.title'), headers, rows, s.t('invites.none'), 'invitations');
}

/** The invite form: an address, roles here and (organizations) a role per project. */
export function inviteForm(
  s: ConsoleState,
  scope: AccessScope,
  roleLegend: string,
  projects: ReadonlyArray<{ id: string; name: string }> | null,
  projectRoles: readonly string[],
): Html {
  const assignments = projects?.length
    ? html`<fieldset><legend>${s.t('invite.projectAccess')}</legend><div class="assign">${projects.map(
        (p) =>
          html`<label for="p-${p.id}">${p.name}</label><select id="p-${p.id}" name="project:${p.id}"><option value="">${s.t('invite.noAccess')}</option>${projectRoles.map((r) => html`<option value="${r}">${roleLabel(s, r)}</option>`)}</select>`,
      )}</div></fieldset>`
    : '';
  return html`<section class="panel" aria-labelledby="invite-title"><h2 id="invite-title">${s.t('invite.title')}</h2>
<form method="post" action="${scope.base}/invites" class="grid-form">${csrfField(s)}
<div class="stack"><label for="invite-email">${s.t('invite.email')}</label><input id="invite-email" name="username" type="email" required autocomplete="off" placeholder="name@example.com"></div>
${roleChoices(s, roleLegend, 'roles', scope.roles, [])}${assignments}
<div><button type="submit" class="primary">${s.t('invite.submit')}</button></div></form></section>`;
}

const roleLabel = (s: ConsoleState, r: string) => roleName(r, s.locale);

export function orgTabs(
  s: ConsoleState,
  orgId: string,
  current: 'users' | 'projects' | 'apiKeys' | 'serviceAccounts' | 'events',
): Tab[] {
  const base = `/console/orgs/${orgId}`;
  return [
    { href: base, label: s.t('org.tabs.users'), current: current === 'users' },
    { href: `${base}/projects`, label: s.t('org.tabs.projects'), current: current === 'projects' },
    { href: `${base}/api-keys`, label: s.t('org.tabs.apiKeys'), current: current === 'apiKeys' },
    {
      href: `${base}/service-accounts`,
      label: s.t('org.tabs.serviceAccounts'),
      current: current === 'serviceAccounts',
    },
    { href: `${base}/events`, label: s.t('org.tabs.events'), current: current === 'events' },
  ];
}

/** Above a project page's title: "Project · in {org}", linking to the organization. */
export const projectContext = (s: ConsoleState, org: { id: string; name: string }) =>
  html`${s.t('project.kind')} · <a href="/console/orgs/${org.id}">${s.t('project.inOrg', { org: org.name })}</a>`;

export function projectTabs(
  s: ConsoleState,
  projectId: string,
  current: 'users' | 'apiKeys' | 'serviceAccounts' | 'events',
): Tab[] {
  const base = `/console/projects/${projectId}`;
  return [
    { href: base, label: s.t('org.tabs.users'), current: current === 'users' },
    { href: `${base}/api-keys`, label: s.t('org.tabs.apiKeys'), current: current === 'apiKeys' },
    {
      href: `${base}/service-accounts`,
      label: s.t('org.tabs.serviceAccounts'),
      current: current === 'serviceAccounts',
    },
    { href: `${base}/events`, label: s.t('org.tabs.events'), current: current === 'events' },
  ];
}
