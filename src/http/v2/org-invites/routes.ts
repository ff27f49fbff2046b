import type { FastifyRequest } from 'fastify';
import type { DomainContext } from '../../../domain/context.ts';
import type { OrgInvitation } from '../../../domain/invitations/invitation.ts';
import * as invitations from '../../../domain/invitations/org-invitation.service.ts';
import type { RoleCatalogue } from '../../../domain/roles/roles.ts';
import type { BodyShape } from '../../body-shape.ts';
import { idParam, stringQuery } from '../../params.ts';
import type { ResourceMeta } from '../../resources.ts';
import { route, type Surface } from '../../route.ts';
import { sendEntity, sendNoContent } from '../../wire.ts';
import { toOrgInvitation, toOrgInvitationV1 } from './mapper.ts';

/** Atlas v2: OrganizationInvitationRequest / OrganizationInvitationUpdateRequest, nothing else. */
const V2_SHAPES = {
  request: {
    fields: {
      groupRoleAssignments: 'groupRoleAssignments',
      roles: 'string[]',
      teamIds: 'string[]',
      username: 'string',
    },
    required: ['username', 'roles'],
  },
  update: { fields: { groupRoleAssignments: 'groupRoleAssignments', roles: 'string[]', teamIds: 'string[]' } },
} as const satisfies Record<string, BodyShape>;

/**
 * Cloud Manager v1.0: `{roles, teamIds, username}` (CM docs). The Go client (go-client-mongodb-ops-manager)
 * sends its whole Invitation struct, so the read-only fields it fills (`orgId`, and `id` on PATCH by
 * id) are accepted and dropped.
 */
const READ_ONLY = {
  createdAt: 'ignored',
  expiresAt: 'ignored',
  id: 'ignored',
  inviterUsername: 'ignored',
  orgId: 'ignored',
  orgName: 'ignored',
} as const;
const V1_SHAPES = {
  request: {
    fields: { ...READ_ONLY, roles: 'string[]', teamIds: 'string[]', username: 'string' },
    required: ['username', 'roles'],
  },
  update: {
    fields: { ...READ_ONLY, roles: 'string[]', teamIds: 'string[]', username: 'ignored' },
    required: ['roles'],
  },
} as const satisfies Record<string, BodyShape>;

export interface OrgInviteRoutesOptions {
  resource: ResourceMeta;
  /** Which product's role lists the bodies are checked against, and which body/response form is used. */
  catalogue: RoleCatalogue;
}

/**
 * The six organization-invitation operations, Organization Owner only (the spec's requirement on
 * v2, the Cloud Manager docs' on v1.0). Registered twice over one store: Atlas v2
 * (`/api/atlas/v2`, deprecated 19 Feb 2025) and Cloud Manager v1.0 (`/api/public/v1.0`).
 */
export function registerOrgInviteRoutes(api: Surface, ctx: DomainContext, opts: OrgInviteRoutesOptions): void {
  const { resource, catalogue } = opts;
  const permission = 'Organization Owner';
  const base = '/orgs/:orgId/invites';
  const one = '/orgs/:orgId/invites/:invitationId';
  const shapes = catalogue === 'atlas' ? V2_SHAPES : V1_SHAPES;
  const view = catalogue === 'atlas' ? toOrgInvitation : toOrgInvitationV1;
  const send = (request: FastifyRequest, reply: Parameters<typeof sendEntity>[1], inv: OrgInvitation) =>
    sendEntity(request, reply, 200, view(inv));

  route(
    api,
    { operationId: 'listOrgInvites', method: 'GET', path: base, resource, permission },
    async function listOrgInvites(call, reply) {
      const list = await invitations.listOrgInvites(
        ctx,
        call.principal,
        idParam(call, 'orgId'),
        stringQuery(call.request, 'username'),
      );
      return sendEntity(call.request, reply, 200, list.map(view));
    },
  );

  route(
    api,
    {
      operationId: 'createOrgInvite',
      method: 'POST',
      path: base,
      resource,
      permission,
      body: shapes.request,
      throttleInvitations: true,
    },
    async function createOrgInvite(call, reply) {
      const orgId = idParam(call, 'orgId');
      return send(
        call.request,
        reply,
        await invitations.createOrgInvite(ctx, call.actor, orgId, call.body, 'invites', catalogue),
      );
    },
  );

  route(
    api,
    { operationId: 'updateOrgInvites', method: 'PATCH', path: base, resource, permission, body: shapes.request },
    async function updateOrgInvites(call, reply) {
      const orgId = idParam(call, 'orgId');
      const { username, ...changes } = call.body;
      return send(
        call.request,
        reply,
        await invitations.updateOrgInvite(ctx, call.principal, orgId, { username }, changes, catalogue),
      );
    },
  );

  route(
    api,
    { operationId: 'getOrgInvite', method: 'GET', path: one, resource, permission },
    async function getOrgInvite(call, reply) {
      const orgId = idParam(call, 'orgId');
      return send(
        call.request,
        reply,
        await invitations.getOrgInvite(ctx, call.principal, orgId, idParam(call, 'invitationId')),
      );
    },
  );

  route(
    api,
    { operationId: 'updateOrgInviteById', method: 'PATCH', path: one, resource, permission, body: shapes.update },
    async function updateOrgInviteById(call, reply) {
      const orgId = idParam(call, 'orgId');
      const invitationId = idParam(call, 'invitationId');
      return send(
        call.request,
        reply,
        await invitations.updateOrgInvite(ctx, call.principal, orgId, { invitationId }, call.body, catalogue),
      );
    },
  );

  // The spec gives this invitationId no pattern: a malformed one is an invitation that does not exist (400).
  route(
    api,
    { operationId: 'deleteOrgInvite', method: 'DELETE', path: one, resource, permission },
    async function deleteOrgInvite(call, reply) {
      const orgId = idParam(call, 'orgId');
      await invitations.deleteOrgInvite(ctx, call.actor, orgId, call.params.invitationId);
      return sendNoContent(call.request, reply);
    },
  );
}
