import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DomainContext } from '../../../domain/context.ts';
import * as invitations from '../../../domain/invitations/invitation.service.ts';
import type { Actor } from '../../../domain/actor.ts';
import type { Principal } from '../../../domain/principal.ts';
import { readBody } from '../../body-shape.ts';
import { idParam, stringQuery } from '../../params.ts';
import type { ResourceMeta } from '../../resources.ts';
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
const V1_UPDATE_BY_ID = { ...UPDATE_BY_ID, fields: { ...UPDATE_BY_ID.fields, ...V1_ECHOED, username: 'ignored' } } as const;

export interface GroupInviteRoutesOptions {
  prefix: string;
  resource: ResourceMeta;
  surface: invitations.InvitationSurface;
}

const principalOf = (request: FastifyRequest): Principal => request.principal as Principal;
const actorOf = (request: FastifyRequest): Actor => ({ principal: principalOf(request), remoteAddress: request.ip });

/**
 * The six project-invitation operations. Registered twice over one store: Atlas v2
 * (`/api/atlas/v2`, Project Owner) and Cloud Manager v1.0 (`/api/public/v1.0`, Project User Admin).
 */
export function registerGroupInviteRoutes(app: FastifyInstance, ctx: DomainContext, opts: GroupInviteRoutesOptions): void {
  const config = { resource: opts.resource };
  const base = `${opts.prefix}/groups/:groupId/invites`;
  const { surface } = opts;
  const requestShape = opts.resource.surface === 'v1' ? V1_REQUEST : REQUEST;
  const updateByIdShape = opts.resource.surface === 'v1' ? V1_UPDATE_BY_ID : UPDATE_BY_ID;

  app.get(base, { config }, async function listGroupInvites(request, reply) {
    const list = await invitations.listGroupInvites(ctx, principalOf(request), surface, idParam(request, 'groupId'), stringQuery(request, 'username'));
    return sendEntity(request, reply, 200, list.map(toGroupInvitation));
  });

  app.post(base, { config: { ...config, throttleInvitations: true } }, async function createGroupInvite(request, reply) {
    const groupId = idParam(request, 'groupId');
    const body = readBody<{ username: string; roles: string[] }>(request.body, requestShape);
    const inv = await invitations.createGroupInvite(ctx, actorOf(request), surface, groupId, body);
    return sendEntity(request, reply, 200, toGroupInvitation(inv));
  });

  app.patch(base, { config }, async function updateGroupInvites(request, reply) {
    const groupId = idParam(request, 'groupId');
    const body = readBody<{ username: string; roles: string[] }>(request.body, requestShape);
    const inv = await invitations.updateGroupInvites(ctx, principalOf(request), surface, groupId, body);
    return sendEntity(request, reply, 200, toGroupInvitation(inv));
  });

  app.get(`${base}/:invitationId`, { config }, async function getGroupInvite(request, reply) {
    const groupId = idParam(request, 'groupId');
    const inv = await invitations.getGroupInvite(ctx, principalOf(request), surface, groupId, idParam(request, 'invitationId'));
    return sendEntity(request, reply, 200, toGroupInvitation(inv));
  });

  app.patch(`${base}/:invitationId`, { config }, async function updateGroupInviteById(request, reply) {
    const groupId = idParam(request, 'groupId');
    const invitationId = idParam(request, 'invitationId');
    const body = readBody<{ roles: string[] }>(request.body, updateByIdShape);
    const inv = await invitations.updateGroupInviteById(ctx, principalOf(request), surface, groupId, invitationId, body);
    return sendEntity(request, reply, 200, toGroupInvitation(inv));
  });

  app.delete(`${base}/:invitationId`, { config }, async function deleteGroupInvite(request, reply) {
    const groupId = idParam(request, 'groupId');
    await invitations.deleteGroupInvite(ctx, actorOf(request), surface, groupId, idParam(request, 'invitationId'));
    return sendNoContent(request, reply);
  });
}
