import type { DomainContext } from '../../../domain/context.ts';
import * as invitations from '../../../domain/invitations/invitation.service.ts';
import { idParam, stringQuery } from '../../params.ts';
import type { ResourceMeta } from '../../resources.ts';
import { type Permission, route, type Surface } from '../../route.ts';
import { sendEntity, sendNoContent } from '../../wire.ts';
import { toGroupInvitation } from './mapper.ts';

const REQUEST = { fields: { roles: 'string[]', username: 'string' }, required: ['username', 'roles'] } as const;
const UPDATE_BY_ID = { fields: { roles: 'string[]' }, required: ['roles'] } as const;
/**
 * Cloud Manager's Go client (go-client-mongodb-ops-manager) sends its whole Invitation struct, so
 * v1.0 accepts the read-only fields and ignores them; Atlas v2 rejects them (INVALID_ATTRIBUTE).
 */
const V1_ECHOED = {
  id: 'ignored',
  groupId: 'ignored',
  groupName: 'ignored',
  createdAt: 'ignored',
  expiresAt: 'ignored',
  inviterUsername: 'ignored',
} as const;
const V1_REQUEST = { ...REQUEST, fields: { ...REQUEST.fields, ...V1_ECHOED } } as const;
const V1_UPDATE_BY_ID = {
  ...UPDATE_BY_ID,
  fields: { ...UPDATE_BY_ID.fields, ...V1_ECHOED, username: 'ignored' },
} as const;

export interface GroupInviteRoutesOptions {
  resource: ResourceMeta;
  surface: invitations.InvitationSurface;
}

/** The spec's requirement for the six operations on each surface (Cloud Manager: Project User Admin). */
const PERMISSION: Record<invitations.InvitationSurface['catalogue'], Permission> = {
  atlas: 'Project Owner',
  'cloud-manager': 'Project User Admin',
};

/**
 * The six project-invitation operations. Registered twice over one store: Atlas v2
 * (`/api/atlas/v2`, Project Owner) and Cloud Manager v1.0 (`/api/public/v1.0`, Project User Admin).
 */
export function registerGroupInviteRoutes(api: Surface, ctx: DomainContext, opts: GroupInviteRoutesOptions): void {
  const { resource, surface } = opts;
  const permission = PERMISSION[surface.catalogue];
  const v1 = resource.surface === 'v1';
  const base = '/groups/:groupId/invites';
  const one = '/groups/:groupId/invites/:invitationId';

  route(
    api,
    { operationId: 'listGroupInvites', method: 'GET', path: base, resource, permission },
    async (call, reply) => {
      const list = await invitations.listGroupInvites(
        ctx,
        call.principal,
        surface,
        idParam(call, 'groupId'),
        stringQuery(call.request, 'username'),
      );
      return sendEntity(call.request, reply, 200, list.map(toGroupInvitation));
    },
  );

  const body = v1 ? V1_REQUEST : REQUEST;
  route(
    api,
    {
      operationId: 'createGroupInvite',
      method: 'POST',
      path: base,
      resource,
      permission,
      body,
      throttleInvitations: true,
    },
    async (call, reply) => {
      const groupId = idParam(call, 'groupId');
      const inv = await invitations.createGroupInvite(ctx, call.actor, surface, groupId, call.body);
      return sendEntity(call.request, reply, 200, toGroupInvitation(inv));
    },
  );

  route(
    api,
    { operationId: 'updateGroupInvites', method: 'PATCH', path: base, resource, permission, body },
    async (call, reply) => {
      const groupId = idParam(call, 'groupId');
      const inv = await invitations.updateGroupInvites(ctx, call.principal, surface, groupId, call.body);
      return sendEntity(call.request, reply, 200, toGroupInvitation(inv));
    },
  );

  route(api, { operationId: 'getGroupInvite', method: 'GET', path: one, resource, permission }, async (call, reply) => {
    const groupId = idParam(call, 'groupId');
    const inv = await invitations.getGroupInvite(ctx, call.principal, surface, groupId, idParam(call, 'invitationId'));
    return sendEntity(call.request, reply, 200, toGroupInvitation(inv));
  });

  const update = v1 ? V1_UPDATE_BY_ID : UPDATE_BY_ID;
  route(
    api,
    { operationId: 'updateGroupInviteById', method: 'PATCH', path: one, resource, permission, body: update },
    async (call, reply) => {
      const groupId = idParam(call, 'groupId');
      const invitationId = idParam(call, 'invitationId');
      const inv = await invitations.updateGroupInviteById(
        ctx,
        call.principal,
        surface,
        groupId,
        invitationId,
        call.body,
      );
      return sendEntity(call.request, reply, 200, toGroupInvitation(inv));
    },
  );

  route(
    api,
    { operationId: 'deleteGroupInvite', method: 'DELETE', path: one, resource, permission },
    async (call, reply) => {
      const groupId = idParam(call, 'groupId');
      await invitations.deleteGroupInvite(ctx, call.actor, surface, groupId, idParam(call, 'invitationId'));
      return sendNoContent(call.request, reply);
    },
  );
}
