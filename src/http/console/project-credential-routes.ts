import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  addGroupApiKey,
  listGroupApiKeys,
  listOrgApiKeys,
  removeGroupApiKey,
  updateGroupApiKeyRoles,
} from '../../domain/api-keys/api-key-admin.service.ts';
import { getOrgFor } from '../../domain/orgs/org.service.ts';
import type { Project } from '../../domain/projects/project.ts';
import { getProjectFor } from '../../domain/projects/project.service.ts';
import { hasOrgRole, hasProjectRole, PROJECT_ACCESS_MANAGER } from '../../domain/roles/permissions.ts';
import { ATLAS_PROJECT_ROLES } from '../../domain/roles/roles.ts';
import {
  assignServiceAccount,
  deleteServiceAccountIn,
  listServiceAccountsIn,
  openScope,
} from '../../domain/service-accounts/service-account-admin.service.ts';
import { projectContext, projectTabs } from './access-views.ts';
import type { ConsoleDeps } from './deps.ts';
import { type Html, html } from './html.ts';
import { type PersonInScope, personIn } from './person.ts';
import { assignForm, offered, projectAccountsTable, projectKeysTable } from './project-credential-views.ts';
import { redirect, render } from './respond.ts';
import { field, fields, PAGE_SIZE, pageParam, pager } from './widgets.ts';

/** The organization's credentials offered for invitation (the select lists at most this many). */
const CANDIDATES = { pageNum: 1, itemsPerPage: 500 };

type Params = { projectId: string; apiKeyId?: string; clientId?: string };
const params = (request: FastifyRequest) => request.params as Params;

/**
 * Project → API keys and Project → Service accounts: the organization's credentials with access
 * to the project and their project roles; invite one, change an API key's roles, remove either
 * from the project. The services behind addGroupApiKey, updateGroupApiKeyRoles, removeGroupApiKey,
 * listGroupServiceAccounts, inviteGroupServiceAccount and deleteGroupServiceAccount, with their
 * role checks (Project Owner / Project Access Manager / Organization Owner).
 */
export function registerProjectCredentialRoutes(scope: FastifyInstance, deps: ConsoleDeps): void {
  const { ctx } = deps;
  const base = (projectId: string) => `/console/projects/${projectId}`;

  async function page(
    request: FastifyRequest,
    reply: FastifyReply,
    me: PersonInScope,
    project: Project,
    tab: 'apiKeys' | 'serviceAccounts',
    parts: { table: Html; total: number; form: Html | '' },
  ) {
    const s = request.console;
    const org = await getOrgFor(ctx, me.principal, project.orgId, 'ORG_MEMBER');
    const pageNum = pageParam(request.query, 'page');
    return render(deps, request, reply, {
      title: `${project.name} · ${s.t(`org.tabs.${tab}`)}`,
      context: projectContext(s, org),
      tabs: projectTabs(s, project.id, tab),
      body: html`${parts.table}${pager(s, request.url, 'page', pageNum, parts.total)}${parts.form}`,
    });
  }

  scope.get('/projects/:projectId/api-keys', async (request, reply) => {
    const s = request.console;
    const { projectId } = params(request);
    const me = await personIn(ctx, request, { projectId });
    const project = await getProjectFor(ctx, me.principal, projectId, 'GROUP_READ_ONLY');
    const pageNum = pageParam(request.query, 'page');
    const listed = await listGroupApiKeys(ctx, me.principal, projectId, { pageNum, itemsPerPage: PAGE_SIZE });
    const canManage = hasProjectRole(me.principal, project, PROJECT_ACCESS_MANAGER);
    const here = { base: base(projectId), projectId, roles: ATLAS_PROJECT_ROLES, canManage };
    let form: Html | '' = '';
    if (hasProjectRole(me.principal, project, 'GROUP_OWNER')) {
      const keys = (await listOrgApiKeys(ctx, me.principal, project.orgId, CANDIDATES)).items;
      form = assignForm(s, ATLAS_PROJECT_ROLES, {
        title: s.t('projectKeys.invite'),
        action: `${here.base}/api-keys`,
        label: s.t('projectKeys.key'),
        name: 'apiKeyId',
        options: offered(keys, projectId, (k) => ({ value: k.id, label: `${k.publicKey} · ${k.description}` })),
        none: s.t('projectKeys.noCandidates'),
      });
    }
    const table = projectKeysTable(s, here, listed.items);
    return page(request, reply, me, project, 'apiKeys', { table, total: listed.total, form });
  });

  scope.post('/projects/:projectId/api-keys', async (request, reply) => {
    const { projectId } = params(request);
    const me = await personIn(ctx, request, { projectId });
    const roles = fields(request.body, 'roles');
    await addGroupApiKey(ctx, me.principal, projectId, field(request.body, 'apiKeyId'), roles);
    return redirect(reply, `${base(projectId)}/api-keys`, 'apiKeyAdded');
  });

  scope.post('/projects/:projectId/api-keys/:apiKeyId/roles', async (request, reply) => {
    const { projectId, apiKeyId } = params(request);
    const me = await personIn(ctx, request, { projectId });
    const roles = fields(request.body, 'roles');
    await updateGroupApiKeyRoles(ctx, me.principal, projectId, apiKeyId as string, { roles });
    return redirect(reply, `${base(projectId)}/api-keys`, 'roles');
  });

  scope.post('/projects/:projectId/api-keys/:apiKeyId/remove', async (request, reply) => {
    const { projectId, apiKeyId } = params(request);
    const me = await personIn(ctx, request, { projectId });
    await removeGroupApiKey(ctx, me.principal, projectId, apiKeyId as string);
    return redirect(reply, `${base(projectId)}/api-keys`, 'apiKeyRemoved');
  });

  scope.get('/projects/:projectId/service-accounts', async (request, reply) => {
    const s = request.console;
    const { projectId } = params(request);
    const me = await personIn(ctx, request, { projectId });
    const access = await openScope(ctx, me.principal, { kind: 'group', groupId: projectId }, 'read');
    const project = access.project as Project;
    const pageNum = pageParam(request.query, 'page');
    const listed = await listServiceAccountsIn(ctx, access, { pageNum, itemsPerPage: PAGE_SIZE });
    const canManage = hasProjectRole(me.principal, project, 'GROUP_OWNER');
    const here = { base: base(projectId), projectId, roles: ATLAS_PROJECT_ROLES, canManage };
    let form: Html | '' = '';
    if (hasOrgRole(me.principal, project.orgId, 'ORG_OWNER')) {
      const org = await openScope(ctx, me.principal, { kind: 'org', orgId: project.orgId }, 'read');
      const accounts = (await listServiceAccountsIn(ctx, org, CANDIDATES)).items;
      form = assignForm(s, ATLAS_PROJECT_ROLES, {
        title: s.t('projectAccounts.invite'),
        action: `${here.base}/service-accounts`,
        label: s.t('projectAccounts.account'),
        name: 'clientId',
        options: offered(accounts, projectId, (a) => ({ value: a.clientId, label: `${a.name} · ${a.clientId}` })),
        none: s.t('projectAccounts.noCandidates'),
      });
    }
    const table = projectAccountsTable(s, here, listed.items);
    return page(request, reply, me, project, 'serviceAccounts', { table, total: listed.total, form });
  });

  scope.post('/projects/:projectId/service-accounts', async (request, reply) => {
    const { projectId } = params(request);
    const me = await personIn(ctx, request, { projectId });
    const access = await openScope(ctx, me.principal, { kind: 'group', groupId: projectId }, 'assign');
    const roles = fields(request.body, 'roles');
    const sa = await assignServiceAccount(ctx, access, field(request.body, 'clientId'), roles);
    return redirect(reply, `${base(projectId)}/service-accounts`, 'serviceAccountAdded', { user: sa.name });
  });

  scope.post('/projects/:projectId/service-accounts/:clientId/remove', async (request, reply) => {
    const { projectId, clientId } = params(request);
    const me = await personIn(ctx, request, { projectId });
    const access = await openScope(ctx, me.principal, { kind: 'group', groupId: projectId }, 'write');
    await deleteServiceAccountIn(ctx, access, clientId as string);
    return redirect(reply, `${base(projectId)}/service-accounts`, 'serviceAccountRemoved');
  });
}
