import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  createOrgInvite,
  deleteOrgInvite,
  getOrgInvite,
  listOrgInvites,
  updateOrgInvite,
} from '../../domain/invitations/org-invitation.service.ts';
import type { GroupRoleAssignment } from '../../domain/invitations/invitation.ts';
import { getOrgFor } from '../../domain/orgs/org.service.ts';
import { listOrgProjects } from '../../domain/projects/project.service.ts';
import { hasOrgRole } from '../../domain/roles/permissions.ts';
import { ATLAS_PROJECT_ROLES, ORG_ROLES } from '../../domain/roles/roles.ts';
import { listOrgUsers, removeOrgUser, updateOrgUser } from '../../domain/users/org-users.service.ts';
import { type AccessScope, inviteForm, invitationsTable, membersTable, orgTabs } from './access-views.ts';
import type { ConsoleDeps } from './deps.ts';
import { html } from './html.ts';
import { personIn } from './person.ts';
import { redirect, render } from './respond.ts';
import { field, fields, PAGE_SIZE, pageParam, pager, table, when } from './widgets.ts';

type Params = { orgId: string; invitationId?: string; userId?: string };
const params = (request: FastifyRequest) => request.params as Params;

/** `project:<id>` selects of the invite form → Atlas's groupRoleAssignments (one role each; empty = no access). */
function assignmentsOf(form: unknown): GroupRoleAssignment[] {
  return Object.entries((form ?? {}) as Record<string, unknown>)
    .filter(([k, v]) => k.startsWith('project:') && typeof v === 'string' && v !== '')
    .map(([k, v]) => ({ groupId: k.slice('project:'.length), roles: [v as string] }));
}

/** Organization → Access Manager (Users), its invitations, and the Projects tab. */
export function registerOrgAccessRoutes(scope: FastifyInstance, deps: ConsoleDeps): void {
  const { ctx } = deps;

  scope.get('/orgs/:orgId', async (request, reply) => {
    const s = request.console;
    const { orgId } = params(request);
    const me = await personIn(ctx, request, { orgId });
    const org = await getOrgFor(ctx, me.principal, orgId, 'ORG_MEMBER');
    const owner = hasOrgRole(me.principal, orgId, 'ORG_OWNER');
    const memberPage = pageParam(request.query, 'members');
    const invitePage = pageParam(request.query, 'invites');
    const members = await listOrgUsers(ctx, me.principal, orgId, {
      statuses: ['ACTIVE'],
      pageNum: memberPage,
      itemsPerPage: PAGE_SIZE,
    });
    const projects = (await listOrgProjects(ctx, me.principal, orgId, { pageNum: 1, itemsPerPage: 500 })).items;
    const invitations = owner ? await listOrgInvites(ctx, me.principal, orgId) : [];
    const shown = invitations.slice((invitePage - 1) * PAGE_SIZE, invitePage * PAGE_SIZE);
    const accessScope: AccessScope = { base: `/console/orgs/${orgId}`, roles: ORG_ROLES, canManage: owner };
    const names = new Map(projects.map((p) => [p.id, p.name]));
    const body = html`<h2>${s.t('members.title')}</h2>${membersTable(
      s,
      accessScope,
      members.items.map((m) => ({ userId: m.user.id, username: m.user.username, roles: m.orgRoles })),
    )}${pager(s, request.url, 'members', memberPage, members.total)}
${owner ? html`<h2>${s.t('invites.title')}</h2>${invitationsTable(s, accessScope, shown, ctx.clock.now(), names)}${pager(s, request.url, 'invites', invitePage, invitations.length)}${inviteForm(s, accessScope, s.t('invite.orgRoles'), projects, ATLAS_PROJECT_ROLES)}` : ''}`;
    return render(deps, request, reply, {
      title: `${org.name} · ${s.t('org.accessManager')}`,
      context: html`${s.t('org.kind')}`,
      tabs: orgTabs(s, orgId, 'users'),
      body,
    });
  });

  scope.get('/orgs/:orgId/projects', async (request, reply) => {
    const s = request.console;
    const { orgId } = params(request);
    const me = await personIn(ctx, request, { orgId });
    const org = await getOrgFor(ctx, me.principal, orgId, 'ORG_MEMBER');
    const projects = (await listOrgProjects(ctx, me.principal, orgId, { pageNum: 1, itemsPerPage: 500 })).items;
    const rows = projects.map(
      (p) =>
        html`<tr><td data-label="${s.t('projects.name')}"><a href="/console/projects/${p.id}">${p.name}</a></td><td data-label="${s.t('projects.created')}">${when(p.createdAt)}</td></tr>`,
    );
    return render(deps, request, reply, {
      title: `${org.name} · ${s.t('projects.title')}`,
      context: html`${s.t('org.kind')}`,
      tabs: orgTabs(s, orgId, 'projects'),
      body: table(s.t('projects.title'), [s.t('projects.name'), s.t('projects.created')], rows, s.t('projects.none')),
    });
  });

  scope.post('/orgs/:orgId/invites', async (request, reply) => {
    const { orgId } = params(request);
    const me = await personIn(ctx, request, { orgId });
    const username = field(request.body, 'username');
    await createOrgInvite(ctx, me.actor, orgId, {
      username,
      roles: fields(request.body, 'roles'),
      groupRoleAssignments: assignmentsOf(request.body),
    });
    return redirect(reply, `/console/orgs/${orgId}`, 'invited', { user: username });
  });

  scope.post('/orgs/:orgId/invites/:invitationId/roles', async (request, reply) => {
    const { orgId, invitationId } = params(request);
    const me = await personIn(ctx, request, { orgId });
    await updateOrgInvite(
      ctx,
      me.principal,
      orgId,
      { invitationId: invitationId as string },
      { roles: fields(request.body, 'roles') },
    );
    return redirect(reply, `/console/orgs/${orgId}`, 'roles');
  });

  scope.post('/orgs/:orgId/invites/:invitationId/resend', async (request, reply) => {
    const { orgId, invitationId } = params(request);
    const me = await personIn(ctx, request, { orgId });
    const inv = await getOrgInvite(ctx, me.principal, orgId, invitationId as string);
    await createOrgInvite(ctx, me.actor, orgId, {
      username: inv.username,
      roles: inv.roles,
      teamIds: inv.teamIds,
      groupRoleAssignments: inv.groupRoleAssignments,
    });
    return redirect(reply, `/console/orgs/${orgId}`, 'resent');
  });

  scope.post('/orgs/:orgId/invites/:invitationId/cancel', async (request, reply) => {
    const { orgId, invitationId } = params(request);
    const me = await personIn(ctx, request, { orgId });
    await deleteOrgInvite(ctx, me.actor, orgId, invitationId as string);
    return redirect(reply, `/console/orgs/${orgId}`, 'cancelled');
  });

  scope.post('/orgs/:orgId/members/:userId/roles', async (request, reply) => {
    const { orgId, userId } = params(request);
    const me = await personIn(ctx, request, { orgId });
    await updateOrgUser(ctx, me.actor, orgId, userId as string, { orgRoles: fields(request.body, 'roles') });
    return redirect(reply, `/console/orgs/${orgId}`, 'roles');
  });

  scope.post('/orgs/:orgId/members/:userId/remove', async (request, reply) => {
    const { orgId, userId } = params(request);
    const me = await personIn(ctx, request, { orgId });
    await removeOrgUser(ctx, me.actor, orgId, userId as string, { activeOnly: true });
    return redirect(reply, `/console/orgs/${orgId}`, 'removed');
  });
}
