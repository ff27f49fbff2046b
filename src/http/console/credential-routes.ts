import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  addApiKeyAccessList,
  listApiKeyAccessList,
  removeApiKeyAccessListEntry,
} from '../../domain/api-keys/api-key-access-list.service.ts';
import { createOrgApiKey, listOrgApiKeys } from '../../domain/api-keys/api-key-admin.service.ts';
import { getOrgFor } from '../../domain/orgs/org.service.ts';
import type { Org } from '../../domain/orgs/org.ts';
import { listOrgProjects } from '../../domain/projects/project.service.ts';
import { hasOrgRole } from '../../domain/roles/permissions.ts';
import { ORG_ROLES } from '../../domain/roles/roles.ts';
import {
  createServiceAccountIn,
  listServiceAccountsIn,
  openScope,
} from '../../domain/service-accounts/service-account-admin.service.ts';
import {
  accessListIn,
  addAccessListIn,
  deleteSecretIn,
  removeAccessListEntryIn,
} from '../../domain/service-accounts/service-account-credentials.service.ts';
import type { ServiceAccount } from '../../domain/service-accounts/service-account.ts';
import { orgTabs, postButton } from './access-views.ts';
import { accessListCell, createForm, credentialRoles, shownOnce } from './credential-views.ts';
import type { ConsoleDeps } from './deps.ts';
import { type Html, html } from './html.ts';
import { type PersonInScope, personIn } from './person.ts';
import { redirect, render } from './respond.ts';
import type { ConsoleState } from './state.ts';
import { field, fields, PAGE_SIZE, pageParam, pager, table, when } from './widgets.ts';

const PAGE = { pageNum: 1, itemsPerPage: 500 };
/** An entry typed in the form: with a `/` a CIDR block, else one address (Atlas's two shapes). */
const entryOf = (value: string) => (value.includes('/') ? { cidrBlock: value } : { ipAddress: value });

/**
 * Organization → API keys and Service accounts: roles and access lists; creating one shows its
 * private key or client secret once, with a copy button. Same services and role checks as the API.
 */
export function registerCredentialRoutes(scope: FastifyInstance, deps: ConsoleDeps): void {
  const { ctx } = deps;
  const orgOf = (request: FastifyRequest) => (request.params as { orgId: string }).orgId;
  const projectNames = async (me: PersonInScope, orgId: string) =>
    new Map((await listOrgProjects(ctx, me.principal, orgId, PAGE)).items.map((p) => [p.id, p.name]));

  const page = (
    request: FastifyRequest,
    reply: FastifyReply,
    org: Org,
    tab: 'apiKeys' | 'serviceAccounts',
    body: Html,
    status = 200,
  ) =>
    render(
      deps,
      request,
      reply,
      {
        title: `${org.name} · ${request.console.t(`org.tabs.${tab}`)}`,
        context: html`${request.console.t('org.kind')}`,
        tabs: orgTabs(request.console, org.id, tab),
        body,
      },
      status,
    );

  async function apiKeysBody(request: FastifyRequest, me: PersonInScope, orgId: string): Promise<Html> {
    const s = request.console;
    const owner = hasOrgRole(me.principal, orgId, 'ORG_OWNER');
    const names = await projectNames(me, orgId);
    const pageNum = pageParam(request.query, 'page');
    const listed = await listOrgApiKeys(ctx, me.principal, orgId, { pageNum, itemsPerPage: PAGE_SIZE });
    const keys = listed.items;
    const rows = [];
    for (const k of keys) {
      const entries = owner ? await listApiKeyAccessList(ctx, me.principal, orgId, k.id) : [];
      rows.push(html`<tr data-key="${k.publicKey}"><td data-label="${s.t('apiKeys.publicKey')}"><code>${k.publicKey}</code></td><td data-label="${s.t('apiKeys.description')}">${k.description}</td>
<td data-label="${s.t('credentials.roles')}">${credentialRoles(s, k.orgRoles, k.projectAssignments, names)}</td>
<td data-label="${s.t('credentials.accessList')}">${owner ? accessListCell(s, entries, `/console/orgs/${orgId}/api-keys/${k.id}/access-list`, k.publicKey) : ''}</td><td data-label="${s.t('projects.created')}">${when(k.createdAt)}</td></tr>`);
    }
    const headers = [
      s.t('apiKeys.publicKey'),
      s.t('apiKeys.description'),
      s.t('credentials.roles'),
      s.t('credentials.accessList'),
      s.t('projects.created'),
    ];
    const form = owner
      ? createForm(
          s,
          s.t('apiKeys.create'),
          `/console/orgs/${orgId}/api-keys`,
          html`<div class="stack"><label for="desc">${s.t('apiKeys.description')}</label><input id="desc" name="desc" required maxlength="250"></div>`,
          ORG_ROLES,
        )
      : '';
    return html`${table(s.t('apiKeys.title'), headers, rows, s.t('apiKeys.none'), 'api-keys')}${pager(s, request.url, 'page', pageNum, listed.total)}${form}`;
  }

  scope.get('/orgs/:orgId/api-keys', async (request, reply) => {
    const me = await personIn(ctx, request, { orgId: orgOf(request) });
    const org = await getOrgFor(ctx, me.principal, orgOf(request), 'ORG_MEMBER');
    return page(request, reply, org, 'apiKeys', await apiKeysBody(request, me, org.id));
  });

  scope.post('/orgs/:orgId/api-keys', async (request, reply) => {
    const s = request.console;
    const me = await personIn(ctx, request, { orgId: orgOf(request) });
    const org = await getOrgFor(ctx, me.principal, orgOf(request), 'ORG_MEMBER');
    const created = await createOrgApiKey(ctx, me.principal, org.id, {
      desc: field(request.body, 'desc'),
      roles: fields(request.body, 'roles'),
    });
    const body = html`<h2>${s.t('apiKeys.created')}</h2><dl class="facts"><dt>${s.t('apiKeys.publicKey')}</dt><dd><code>${created.apiKey.publicKey}</code></dd></dl>
${shownOnce(s, s.t('apiKeys.privateKey'), created.privateKey, s.t('apiKeys.onceWarning'))}<p><a class="button" href="/console/orgs/${org.id}/api-keys">${s.t('credentials.back')}</a></p>`;
    return page(request, reply, org, 'apiKeys', body, 201);
  });

  scope.post('/orgs/:orgId/api-keys/:apiKeyId/access-list', async (request, reply) => {
    const { orgId, apiKeyId } = request.params as { orgId: string; apiKeyId: string };
    const me = await personIn(ctx, request, { orgId });
    await addApiKeyAccessList(ctx, me.principal, orgId, apiKeyId, [entryOf(field(request.body, 'entry'))]);
    return redirect(reply, `/console/orgs/${orgId}/api-keys`, 'accessList');
  });

  // deleteOrgApiKeyAccessListEntry's service; its rule against removing the caller's own address binds API keys only.
  scope.post('/orgs/:orgId/api-keys/:apiKeyId/access-list/remove', async (request, reply) => {
    const { orgId, apiKeyId } = request.params as { orgId: string; apiKeyId: string };
    const me = await personIn(ctx, request, { orgId });
    await removeApiKeyAccessListEntry(ctx, me.principal, orgId, apiKeyId, field(request.body, 'entry'), request.ip);
    return redirect(reply, `/console/orgs/${orgId}/api-keys`, 'accessListRemoved');
  });

  async function accountsBody(request: FastifyRequest, me: PersonInScope, orgId: string): Promise<Html> {
    const s = request.console;
    const access = await openScope(ctx, me.principal, { kind: 'org', orgId }, 'read');
    const owner = hasOrgRole(me.principal, orgId, 'ORG_OWNER');
    const names = await projectNames(me, orgId);
    const pageNum = pageParam(request.query, 'page');
    const listed = await listServiceAccountsIn(ctx, access, { pageNum, itemsPerPage: PAGE_SIZE });
    const accounts = listed.items;
    const rows = [];
    for (const a of accounts) {
      const entries = owner ? (await accessListIn(ctx, access, a.clientId, PAGE)).items : [];
      rows.push(html`<tr data-client="${a.clientId}"><td data-label="${s.t('serviceAccounts.name')}">${a.name}<br><code class="small">${a.clientId}</code></td>
<td data-label="${s.t('credentials.roles')}">${credentialRoles(s, a.orgRoles, a.projectAssignments, names)}</td>
<td data-label="${s.t('serviceAccounts.secrets')}">${secretsCell(s, orgId, a, owner)}</td>
<td data-label="${s.t('credentials.accessList')}">${owner ? accessListCell(s, entries, `/console/orgs/${orgId}/service-accounts/${a.clientId}/access-list`, a.name) : ''}</td></tr>`);
    }
    const headers = [
      s.t('serviceAccounts.name'),
      s.t('credentials.roles'),
      s.t('serviceAccounts.secrets'),
      s.t('credentials.accessList'),
    ];
    const form = owner
      ? createForm(
          s,
          s.t('serviceAccounts.create'),
          `/console/orgs/${orgId}/service-accounts`,
          html`<div class="stack"><label for="sa-name">${s.t('serviceAccounts.name')}</label><input id="sa-name" name="name" required maxlength="64">
<label for="sa-desc">${s.t('apiKeys.description')}</label><input id="sa-desc" name="description" required maxlength="250">
<label for="sa-hours">${s.t('serviceAccounts.validHours')}</label><input id="sa-hours" name="hours" type="number" min="1" value="720" required></div>`,
          ORG_ROLES,
        )
      : '';
    return html`${table(s.t('serviceAccounts.title'), headers, rows, s.t('serviceAccounts.none'), 'service-accounts')}${pager(s, request.url, 'page', pageNum, listed.total)}${form}`;
  }

  scope.get('/orgs/:orgId/service-accounts', async (request, reply) => {
    const me = await personIn(ctx, request, { orgId: orgOf(request) });
    const org = await getOrgFor(ctx, me.principal, orgOf(request), 'ORG_MEMBER');
    return page(request, reply, org, 'serviceAccounts', await accountsBody(request, me, org.id));
  });

  scope.post('/orgs/:orgId/service-accounts', async (request, reply) => {
    const s = request.console;
    const me = await personIn(ctx, request, { orgId: orgOf(request) });
    const org = await getOrgFor(ctx, me.principal, orgOf(request), 'ORG_MEMBER');
    const access = await openScope(ctx, me.principal, { kind: 'org', orgId: org.id }, 'write');
    const hours = Number(field(request.body, 'hours'));
    const created = await createServiceAccountIn(ctx, access, {
      name: field(request.body, 'name'),
      description: field(request.body, 'description'),
      roles: fields(request.body, 'roles'),
      secretExpiresAfterHours: hours,
    });
    const body = html`<h2>${s.t('serviceAccounts.created')}</h2><dl class="facts"><dt>${s.t('serviceAccounts.clientId')}</dt><dd><code>${created.serviceAccount.clientId}</code></dd></dl>
${shownOnce(s, s.t('serviceAccounts.secret'), created.secret.secret, s.t('serviceAccounts.onceWarning'))}<p><a class="button" href="/console/orgs/${org.id}/service-accounts">${s.t('credentials.back')}</a></p>`;
    return page(request, reply, org, 'serviceAccounts', body, 201);
  });

  scope.post('/orgs/:orgId/service-accounts/:clientId/access-list', async (request, reply) => {
    const { orgId, clientId } = request.params as { orgId: string; clientId: string };
    const me = await personIn(ctx, request, { orgId });
    const access = await openScope(ctx, me.principal, { kind: 'org', orgId }, 'accessList');
    await addAccessListIn(ctx, access, clientId, [entryOf(field(request.body, 'entry'))], PAGE);
    return redirect(reply, `/console/orgs/${orgId}/service-accounts`, 'accessList');
  });

  // deleteOrgServiceAccountAccessListEntry's service, with the same requirement (Organization Owner).
  scope.post('/orgs/:orgId/service-accounts/:clientId/access-list/remove', async (request, reply) => {
    const { orgId, clientId } = request.params as { orgId: string; clientId: string };
    const me = await personIn(ctx, request, { orgId });
    const access = await openScope(ctx, me.principal, { kind: 'org', orgId }, 'accessList');
    await removeAccessListEntryIn(ctx, access, clientId, field(request.body, 'entry'), request.ip);
    return redirect(reply, `/console/orgs/${orgId}/service-accounts`, 'accessListRemoved');
  });

  // deleteOrgServiceAccountSecret's service (Organization Owner).
  scope.post('/orgs/:orgId/service-accounts/:clientId/secrets/:secretId/delete', async (request, reply) => {
    const { orgId, clientId, secretId } = request.params as { orgId: string; clientId: string; secretId: string };
    const me = await personIn(ctx, request, { orgId });
    const access = await openScope(ctx, me.principal, { kind: 'org', orgId }, 'write');
    await deleteSecretIn(ctx, access, clientId, secretId);
    return redirect(reply, `/console/orgs/${orgId}/service-accounts`, 'secretDeleted');
  });
}

/** An account's secrets (masked) and, for an Organization Owner, a delete button for each. */
function secretsCell(s: ConsoleState, orgId: string, a: ServiceAccount, owner: boolean): Html {
  const base = `/console/orgs/${orgId}/service-accounts/${a.clientId}/secrets`;
  return html`<ul class="plain small">${a.secrets.map(
    (x) =>
      html`<li><code>${x.maskedSecretValue}</code> · ${when(x.expiresAt)}${owner ? html` ${postButton(s, `${base}/${x.id}/delete`, s.t('serviceAccounts.deleteSecret'), `${x.maskedSecretValue} · ${a.name}`, true)}` : ''}</li>`,
  )}</ul>`;
}
