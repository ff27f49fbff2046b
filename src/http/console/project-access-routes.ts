import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  createGroupInvite,
  deleteGroupInvite,
  getGroupInvite,
  type InvitationSurface,
  listGroupInvites,
  updateGroupInviteById,
} from '../../domain/invitations/invitation.service.ts';
import { getOrgFor } from '../../domain/orgs/org.service.ts';
import { getProjectFor } from '../../domain/projects/project.service.ts';
import { hasProjectRole } from '../../domain/roles/permissions.ts';
import { ATLAS_PROJECT_ROLES } from '../../domain/roles/roles.ts';
import { listGroupUsers, removeGroupUser, updateGroupUserRoles } from '../../domain/users/group-users.service.ts';
import { AtlasError } from '../../errors/atlas-error.ts';
import {
  type AccessScope,
  inviteForm,
  invitationsTable,
  membersTable,
  projectContext,
  projectTabs,
} from './access-views.ts';
import type { ConsoleDeps } from './deps.ts';
import { html } from './html.ts';
import { personIn } from './person.ts';
import { redirect, render } from './respond.ts';
import { field, fields, PAGE_SIZE, pageParam, pager } from './widgets.ts';

/** The console manages project invitations as Atlas v2 does: Project Owner, Atlas's role catalogue. */
const SURFACE: InvitationSurface = { required: 'GROUP_OWNER', catalogue: 'atlas' };

type Params = { projectId: string; invitationId?: string; userId?: string };
const params = (request: FastifyRequest) => request.params as Params;

/** Project → Access Manager: members, pending invitations, invite, change roles, resend, cancel, remove. */
export function registerProjectAccessRoutes(scope: FastifyInstance, deps: ConsoleDeps): void {
  const { ctx } = deps;
  const back = (projectId: string) => `/console/projects/${projectId}`;

  scope.get('/projects/:projectId', async (request, reply) => {
    const s = request.console;
    const { projectId } = params(request);
    const me = await personIn(ctx, request, { projectId });
    const project = await getProjectFor(ctx, me.principal, projectId, 'GROUP_READ_ONLY');
    const org = await getOrgFor(ctx, me.principal, project.orgId, 'ORG_MEMBER');
    const owner = hasProjectRole(me.principal, project, 'GROUP_OWNER');
    const memberPage = pageParam(request.query, 'members');
    const invitePage = pageParam(request.query, 'invites');
    const members = await listGroupUsers(ctx, me.principal, projectId, {
      statuses: ['ACTIVE'],
      pageNum: memberPage,
      itemsPerPage: PAGE_SIZE,
      includeOrgUsers: false,
    });
    const invitations = owner ? await listGroupInvites(ctx, me.principal, SURFACE, projectId) : [];
    const shown = invitations.slice((invitePage - 1) * PAGE_SIZE, invitePage * PAGE_SIZE);
    const accessScope: AccessScope = { base: back(projectId), roles: ATLAS_PROJECT_ROLES, canManage: owner };
    const body = html`<h2>${s.t('members.title')}</h2>${membersTable(
      s,
      accessScope,
      members.items.map((m) => ({ userId: m.user.id, username: m.user.username, roles: m.roles })),
    )}${pager(s, request.url, 'members', memberPage, members.total)}
${owner ? html`<h2>${s.t('invites.title')}</h2>${invitationsTable(s, accessScope, shown, ctx.clock.now(), new Map())}${pager(s, request.url, 'invites', invitePage, invitations.length)}${inviteForm(s, accessScope, s.t('invite.projectRoles'), null, [])}` : ''}`;
    return render(deps, request, reply, {
      title: `${project.name} · ${s.t('org.accessManager')}`,
      context: projectContext(s, org),
      tabs: projectTabs(s, projectId, 'users'),
      body,
    });
  });

  scope.post('/projects/:projectId/invites', async (request, reply) => {
    const { projectId } = params(request);
    const me = await personIn(ctx, request, { projectId });
    const username = field(request.body, 'username');
    const made = await createGroupInvite(ctx, me.actor, SURFACE, projectId, {
      username,
      roles: fields(request.body, 'roles'),
    });
    // An organization member is given the roles at once (Atlas's rule): no invitation is left pending.
    const pending = await getGroupInvite(ctx, me.principal, SURFACE, projectId, made.id).then(
      () => true,
      (err) => (err instanceof AtlasError ? false : Promise.reject(err)),
    );
    return redirect(reply, back(projectId), pending ? 'invited' : 'added', { user: username });
  });

  scope.post('/projects/:projectId/invites/:invitationId/roles', async (request, reply) => {
    const { projectId, invitationId } = params(request);
    const me = await personIn(ctx, request, { projectId });
    await updateGroupInviteById(ctx, me.principal, SURFACE, projectId, invitationId as string, {
      roles: fields(request.body, 'roles'),
    });
    return redirect(reply, back(projectId), 'roles');
  });

  scope.post('/projects/:projectId/invites/:invitationId/resend', async (request, reply) => {
    const { projectId, invitationId } = params(request);
    const me = await personIn(ctx, request, { projectId });
    const inv = await getGroupInvite(ctx, me.principal, SURFACE, projectId, invitationId as string);
    await createGroupInvite(ctx, me.actor, SURFACE, projectId, { username: inv.username, roles: inv.roles });
    return redirect(reply, back(projectId), 'resent');
  });

  scope.post('/projects/:projectId/invites/:invitationId/cancel', async (request, reply) => {
    const { projectId, invitationId } = params(request);
    const me = await personIn(ctx, request, { projectId });
    await deleteGroupInvite(ctx, me.actor, SURFACE, projectId, invitationId as string);
    return redirect(reply, back(projectId), 'cancelled');
  });

  scope.post('/projects/:projectId/members/:userId/roles', async (request, reply) => {
    const { projectId, userId } = params(request);
    const me = await personIn(ctx, request, { projectId });
    await updateGroupUserRoles(ctx, me.actor, projectId, userId as string, fields(request.body, 'roles'));
    return redirect(reply, back(projectId), 'roles');
  });

  scope.post('/projects/:projectId/members/:userId/remove', async (request, reply) => {
    const { projectId, userId } = params(request);
    const me = await personIn(ctx, request, { projectId });
    await removeGroupUser(ctx, me.actor, projectId, userId as string, { activeOnly: true });
    return redirect(reply, back(projectId), 'removed');
  });
}
