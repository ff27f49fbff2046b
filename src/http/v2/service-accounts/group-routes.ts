import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DomainContext } from '../../../domain/context.ts';
import * as admin from '../../../domain/service-accounts/service-account-admin.service.ts';
import { readBody } from '../../body-shape.ts';
import { idParam, pageQuery } from '../../params.ts';
import { GROUP_SERVICE_ACCOUNTS_V2 } from '../../resources.ts';
import { sendEntity, sendNoContent } from '../../wire.ts';
import { credentialHandlers } from './credential-handlers.ts';
import { toServiceAccount } from './mapper.ts';
import {
  CREATE_ACCOUNT,
  clientIdParam,
  pageBody,
  principalOf,
  readWithHours,
  ROLE_ASSIGNMENT,
  UPDATE_ACCOUNT,
} from './shared.ts';

const BASE = '/api/atlas/v2/groups/:groupId/serviceAccounts';

/**
 * Project service accounts: organization service accounts assigned to a project with project
 * roles (GroupServiceAccount shows those roles). Resource version 2024-08-05.
 */
export function registerGroupServiceAccountRoutes(app: FastifyInstance, ctx: DomainContext, publicUrl?: string): void {
  const config = { resource: GROUP_SERVICE_ACCOUNTS_V2 };
  const open = (request: FastifyRequest, need: admin.Need) =>
    admin.openScope(ctx, principalOf(request), { kind: 'group', groupId: idParam(request, 'groupId') }, need);
  const clientIdOf = (request: FastifyRequest) => {
    idParam(request, 'groupId');
    return clientIdParam(request);
  };
  const projectOf = (access: admin.ScopeAccess) => (access.project as { id: string }).id;
  const path = (access: admin.ScopeAccess, rest = '') => `/api/atlas/v2/groups/${projectOf(access)}/serviceAccounts${rest}`;

  app.get(BASE, { config }, async function listGroupServiceAccounts(request, reply) {
    idParam(request, 'groupId');
    const page = pageQuery(request);
    const access = await open(request, 'read');
    const result = await admin.listServiceAccountsIn(ctx, access, page);
    const view = (sa: Parameters<typeof toServiceAccount>[0]) => toServiceAccount(sa, projectOf(access));
    return sendEntity(request, reply, 200, pageBody(request, publicUrl, path(access), page, result, view));
  });

  app.post(BASE, { config }, async function createGroupServiceAccount(request, reply) {
    const access = await open(request, 'write');
    const body = readWithHours(request.body, CREATE_ACCOUNT);
    const created = await admin.createServiceAccountIn(ctx, access, body);
    return sendEntity(request, reply, 201, toServiceAccount(created.serviceAccount, projectOf(access), created.secret));
  });

  app.get(`${BASE}/:clientId`, { config }, async function getGroupServiceAccount(request, reply) {
    const clientId = clientIdOf(request);
    const access = await open(request, 'read');
    const sa = await admin.accountIn(ctx, access, clientId);
    return sendEntity(request, reply, 200, toServiceAccount(sa, projectOf(access)));
  });

  app.patch(`${BASE}/:clientId`, { config }, async function updateGroupServiceAccount(request, reply) {
    const clientId = clientIdOf(request);
    const access = await open(request, 'write');
    const changes = readBody(request.body, UPDATE_ACCOUNT);
    const sa = await admin.updateServiceAccountIn(ctx, access, clientId, changes);
    return sendEntity(request, reply, 200, toServiceAccount(sa, projectOf(access)));
  });

  app.delete(`${BASE}/:clientId`, { config }, async function deleteGroupServiceAccount(request, reply) {
    const clientId = clientIdOf(request);
    await admin.deleteServiceAccountIn(ctx, await open(request, 'write'), clientId);
    return sendNoContent(request, reply);
  });

  // `{clientId}:invite`: a regex parameter, so the literal `:invite` suffix is routed (find-my-way).
  app.post(`${BASE}/:clientId(^[^:/]+)::invite`, { config }, async function inviteGroupServiceAccount(request, reply) {
    const clientId = clientIdOf(request);
    const access = await open(request, 'assign');
    const body = readBody(request.body, ROLE_ASSIGNMENT);
    const sa = await admin.assignServiceAccount(ctx, access, clientId, body.roles);
    return sendEntity(request, reply, 200, toServiceAccount(sa, projectOf(access)));
  });

  const shared = credentialHandlers(ctx, { open, clientIdOf, path }, publicUrl);
  app.post(`${BASE}/:clientId/secrets`, { config }, async function createGroupServiceAccountSecret(request, reply) {
    return shared.createSecret(request, reply);
  });
  app.delete(`${BASE}/:clientId/secrets/:secretId`, { config }, async function deleteGroupServiceAccountSecret(request, reply) {
    return shared.deleteSecret(request, reply);
  });
  app.get(`${BASE}/:clientId/accessList`, { config }, async function listGroupServiceAccountAccessList(request, reply) {
    return shared.listAccessList(request, reply);
  });
  app.post(`${BASE}/:clientId/accessList`, { config }, async function createGroupServiceAccountAccessList(request, reply) {
    return shared.createAccessList(request, reply);
  });
  app.delete(`${BASE}/:clientId/accessList/:ipAddress`, { config }, async function deleteGroupServiceAccountAccessListEntry(request, reply) {
    return shared.deleteAccessListEntry(request, reply);
  });
}
