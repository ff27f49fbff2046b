import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../../../domain/actor.ts';
import type { DomainContext } from '../../../domain/context.ts';
import type { OrgInvitation } from '../../../domain/invitations/invitation.ts';
import * as invitations from '../../../domain/invitations/org-invitation.service.ts';
import type { Principal } from '../../../domain/principal.ts';
import type { RoleCatalogue } from '../../../domain/roles/roles.ts';
import { type BodyShape, readBody } from '../../body-shape.ts';
import { idParam, stringQuery } from '../../params.ts';
import type { ResourceMeta } from '../../resources.ts';
import { sendEntity, sendNoContent } from '../../wire.ts';
import { toOrgInvitation, toOrgInvitationV1 } from './mapper.ts';

/** Atlas v2: OrganizationInvitationRequest / OrganizationInvitationUpdateRequest, nothing else. */
const V2_SHAPES = {
  request: {
    fields: { groupRoleAssignments: 'groupRoleAssignments', roles: 'string[]', teamIds: 'string[]', username: 'string' },
    required: ['username', 'roles'],
  },
  update: { fields: { groupRoleAssignments: 'groupRoleAssignments', roles: 'string[]', teamIds: 'string[]' } },
} as const satisfies Record<string, BodyShape>;

/**
 * Cloud Manager v1.0: `{roles, teamIds, username}` (CM docs). The Go client (go-client-mongodb-ops-manager)
 * sends its whole Invitation struct, so the read-only fields it fills (`orgId`, and `id` on PATCH by
 * id) are accepted and dropped.
 */
const READ_ONLY = { createdAt: 'ignored', expiresAt: 'ignored', id: 'ignored', inviterUsername: 'ignored', orgId: 'ignored', orgName: 'ignored' } as const;
const V1_SHAPES = {
  request: { fields: { ...READ_ONLY, roles: 'string[]', teamIds: 'string[]', username: 'string' }, required: ['username', 'roles'] },
  update: { fields: { ...READ_ONLY, roles: 'string[]', teamIds: 'string[]', username: 'ignored' }, required: ['roles'] },
} as const satisfies Record<string, BodyShape>;

export interface OrgInviteRoutesOptions {
  prefix: string;
  resource: ResourceMeta;
  /** Which product's role lists the bodies are checked against, and which body/response form is used. */
  catalogue: RoleCatalogue;
}

const principalOf = (request: FastifyRequest): Principal => request.principal as Principal;
const actorOf = (request: FastifyRequest): Actor => ({ principal: principalOf(request), remoteAddress: request.ip });

/**
 * The six organization-invitation operations, Organization Owner only. Registered twice over one
 * store: Atlas v2 (`/api/atlas/v2`, deprecated 19 Feb 2025) and Cloud Manager v1.0 (`/api/public/v1.0`).
 */
export function registerOrgInviteRoutes(app: FastifyInstance, ctx: DomainContext, opts: OrgInviteRoutesOptions): void {
  const config = { resource: opts.resource };
  const base = `${opts.prefix}/orgs/:orgId/invites`;
  const { catalogue } = opts;
  const shapes = catalogue === 'atlas' ? V2_SHAPES : V1_SHAPES;
  const view = catalogue === 'atlas' ? toOrgInvitation : toOrgInvitationV1;
  const send = (request: FastifyRequest, reply: Parameters<typeof sendEntity>[1], inv: OrgInvitation) => sendEntity(request, reply, 200, view(inv));

  app.get(base, { config }, async function listOrgInvites(request, reply) {
    const list = await invitations.listOrgInvites(ctx, principalOf(request), idParam(request, 'orgId'), stringQuery(request, 'username'));
    return sendEntity(request, reply, 200, list.map(view));
  });

  app.post(base, { config: { ...config, throttleInvitations: true } }, async function createOrgInvite(request, reply) {
    const orgId = idParam(request, 'orgId');
    const body = readBody(request.body, shapes.request);
    return send(request, reply, await invitations.createOrgInvite(ctx, actorOf(request), orgId, body, 'invites', catalogue));
  });

  app.patch(base, { config }, async function updateOrgInvites(request, reply) {
    const orgId = idParam(request, 'orgId');
    const { username, ...changes } = readBody(request.body, shapes.request);
    return send(request, reply, await invitations.updateOrgInvite(ctx, principalOf(request), orgId, { username }, changes, catalogue));
  });

  app.get(`${base}/:invitationId`, { config }, async function getOrgInvite(request, reply) {
    const orgId = idParam(request, 'orgId');
    return send(request, reply, await invitations.getOrgInvite(ctx, principalOf(request), orgId, idParam(request, 'invitationId')));
  });

  app.patch(`${base}/:invitationId`, { config }, async function updateOrgInviteById(request, reply) {
    const orgId = idParam(request, 'orgId');
    const invitationId = idParam(request, 'invitationId');
    const body = readBody(request.body, shapes.update);
    return send(request, reply, await invitations.updateOrgInvite(ctx, principalOf(request), orgId, { invitationId }, body, catalogue));
  });

  // The spec gives this invitationId no pattern: a malformed one is an invitation that does not exist (400).
  app.delete(`${base}/:invitationId`, { config }, async function deleteOrgInvite(request, reply) {
    const orgId = idParam(request, 'orgId');
    const invitationId = (request.params as Record<string, string>).invitationId ?? '';
    await invitations.deleteOrgInvite(ctx, actorOf(request), orgId, invitationId);
    return sendNoContent(request, reply);
  });
}
