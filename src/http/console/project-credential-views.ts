import type { ApiKey } from '../../domain/api-keys/api-key.ts';
import type { ServiceAccount } from '../../domain/service-accounts/service-account.ts';
import { type AccessScope, postButton, rolesForm } from './access-views.ts';
import { type Html, html } from './html.ts';
import { csrfField } from './layout.ts';
import type { ConsoleState } from './state.ts';
import { roleBadges, roleChoices, table } from './widgets.ts';

/** The project's Access Manager scope; `canManage`: API keys, Project Access Manager; service accounts, Project Owner. */
export interface ProjectCredentialScope extends AccessScope {
  readonly projectId: string;
}

const rolesHere = (assignments: ReadonlyArray<{ projectId: string; roles: readonly string[] }>, projectId: string) =>
  assignments.find((a) => a.projectId === projectId)?.roles ?? [];

/** Project → API keys: each key's roles in this project; change them or remove the key from the project. */
export function projectKeysTable(s: ConsoleState, scope: ProjectCredentialScope, keys: readonly ApiKey[]): Html {
  const rows = keys.map((k) => {
    const roles = rolesHere(k.projectAssignments, scope.projectId);
    const action = `${scope.base}/api-keys/${k.id}`;
    const actions = scope.canManage
      ? html`<td data-label="${s.t('members.actions')}"><div class="actions">${rolesForm(s, `${action}/roles`, scope.roles, roles, k.publicKey)}${postButton(s, `${action}/remove`, s.t('credentials.removeFromProject'), k.publicKey, true)}</div></td>`
      : '';
    return html`<tr data-key="${k.publicKey}"><td data-label="${s.t('apiKeys.publicKey')}"><code>${k.publicKey}</code></td><td data-label="${s.t('apiKeys.description')}">${k.description}</td><td data-label="${s.t('credentials.projectRoles')}">${roleBadges(s, roles)}</td>${actions}</tr>`;
  });
  const headers = [
    s.t('apiKeys.publicKey'),
    s.t('apiKeys.description'),
    s.t('credentials.projectRoles'),
    ...(scope.canManage ? [s.t('members.actions')] : []),
  ];
  return table(s.t('projectKeys.title'), headers, rows, s.t('projectKeys.none'), 'project-api-keys');
}

/** Project → Service accounts: each account's roles in this project; remove it from the project. */
export function projectAccountsTable(
  s: ConsoleState,
  scope: ProjectCredentialScope,
  accounts: readonly ServiceAccount[],
): Html {
  const rows = accounts.map((a) => {
    const actions = scope.canManage
      ? html`<td data-label="${s.t('members.actions')}">${postButton(s, `${scope.base}/service-accounts/${a.clientId}/remove`, s.t('credentials.removeFromProject'), a.name, true)}</td>`
      : '';
    return html`<tr data-client="${a.clientId}"><td data-label="${s.t('serviceAccounts.name')}">${a.name}<br><code class="small">${a.clientId}</code></td><td data-label="${s.t('credentials.projectRoles')}">${roleBadges(s, rolesHere(a.projectAssignments, scope.projectId))}</td>${actions}</tr>`;
  });
  const headers = [
    s.t('serviceAccounts.name'),
    s.t('credentials.projectRoles'),
    ...(scope.canManage ? [s.t('members.actions')] : []),
  ];
  return table(s.t('projectAccounts.title'), headers, rows, s.t('projectAccounts.none'), 'project-service-accounts');
}

export interface AssignForm {
  readonly title: string;
  readonly action: string;
  /** The select's label and field name (`apiKeyId`, `clientId`). */
  readonly label: string;
  readonly name: string;
  /** Credentials of the organization not in the project yet. */
  readonly options: ReadonlyArray<{ value: string; label: string }>;
  readonly none: string;
}

/** The organization's credentials not in the project yet, as the invite select's options. */
export function offered<T extends { projectAssignments: ReadonlyArray<{ projectId: string }> }>(
  credentials: readonly T[],
  projectId: string,
  option: (credential: T) => { value: string; label: string },
): Array<{ value: string; label: string }> {
  return credentials.filter((c) => !c.projectAssignments.some((a) => a.projectId === projectId)).map(option);
}

/** Invite an existing organization credential to the project, with project roles. */
export function assignForm(s: ConsoleState, roles: readonly string[], f: AssignForm): Html {
  const body = f.options.length
    ? html`<form method="post" action="${f.action}" class="grid-form">${csrfField(s)}
<div class="stack"><label for="assign-${f.name}">${f.label}</label><select id="assign-${f.name}" name="${f.name}" required>${f.options.map((o) => html`<option value="${o.value}">${o.label}</option>`)}</select></div>
${roleChoices(s, s.t('credentials.projectRoles'), 'roles', roles, [])}<div><button type="submit" class="primary">${s.t('credentials.inviteSubmit')}</button></div></form>`
    : html`<p class="muted">${f.none}</p>`;
  return html`<section class="panel" aria-labelledby="assign-title"><h2 id="assign-title">${f.title}</h2>${body}</section>`;
}
