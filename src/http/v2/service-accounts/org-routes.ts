import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DomainContext } from '../../../domain/context.ts';
import * as admin from '../../../domain/service-accounts/service-account-admin.service.ts';
import { readBody } from '../../body-shape.ts';
import { idParam, pageQuery } from '../../params.ts';
import { ORG_SERVICE_ACCOUNTS_V2 } from '../../resources.ts';
import { sendEntity, sendNoContent } from '../../wire.ts';
import { credentialHandlers } from './credential-handlers.ts';
import { toServiceAccount, toServiceAccountGroup } from './mapper.ts';
import {
  CREATE_ACCOUNT,
  clientIdParam,
  pageBody,
  principalOf,
  readWithHours,
  UPDATE_ACCOUNT,
} from './shared.ts';

const BASE = '/api/atlas/v2/orgs/:orgId/serviceAccounts';

/**
 * Organization service accounts (Atlas Admin API v2, resource version 2024-08-05). Path ids are
 * checked first, then the caller's role, then the body: a caller without the role learns nothing.
 */
export function registerOrgServiceAccountRoutes(app: FastifyInstance, ctx: DomainContext, publicUrl?: string): void {
  const config = { resource: ORG_SERVICE_ACCOUNTS_V2 };
  const open = (request: FastifyRequest, need: admin.Need) =>
    admin.openScope(ctx, principalOf(request), { kind: 'org', orgId: idParam(request, 'orgId') }, need);
  const clientIdOf = (request: FastifyRequest) => {
    idParam(request, 'orgId');
    return clientIdParam(request);
  };
  const path = (access: admin.ScopeAccess, rest = '') => `/api/atlas/v2/orgs/${access.orgId}/serviceAccounts${rest}`;

  app.get(BASE, { config }, async function listOrgServiceAccounts(request, reply) {
    idParam(request, 'orgId');
    const page = pageQuery(request);
    const access = await open(request, 'read');
    const result = await admin.listServiceAccountsIn(ctx, access, page);
    return sendEntity(request, reply, 200, pageBody(request, publicUrl, path(access), page, result, (sa) => toServiceAccount(sa, null)));
  });

  app.post(BASE, { config }, async function createOrgServiceAccount(request, reply) {
    const access = await open(request, 'write');
    const body = readWithHours(request.body, CREATE_ACCOUNT);
    const created = await admin.createServiceAccountIn(ctx, access, body);
    return sendEntity(request, reply, 201, toServiceAccount(created.serviceAccount, null, created.secret));
  });

  app.get(`${BASE}/:clientId`, { config }, async function getOrgServiceAccount(request, reply) {
    const clientId = clientIdOf(request);
    const sa = await admin.accountIn(ctx, await open(request, 'read'), clientId);
    return sendEntity(request, reply, 200, toServiceAccount(sa, null));
  });

  app.patch(`${BASE}/:clientId`, { config }, async function updateOrgServiceAccount(request, reply) {
    const clientId = clientIdOf(request);
    const access = await open(request, 'write');
    const changes = readBody(request.body, UPDATE_ACCOUNT);
    const sa = await admin.updateServiceAccountIn(ctx, access, clientId, changes);
    return sendEntity(request, reply, 200, toServiceAccount(sa, null));
  });

  app.delete(`${BASE}/:clientId`, { config }, async function deleteOrgServiceAccount(request, reply) {
    const clientId = clientIdOf(request);
    await admin.deleteServiceAccountIn(ctx, await open(request, 'write'), clientId);
    return sendNoContent(request, reply);
  });

  app.get(`${BASE}/:clientId/groups`, { config }, async function getOrgServiceAccountGroups(request, reply) {
    const clientId = clientIdOf(request);
    const page = pageQuery(request);
    const access = await open(request, 'read');
    const result = await admin.projectsOf(ctx, access, clientId, page);
    return sendEntity(request, reply, 200, pageBody(request, publicUrl, path(access, `/${clientId}/groups`), page, result, toServiceAccountGroup));
  });

  const shared = credentialHandlers(ctx, { open, clientIdOf, path }, publicUrl);
  app.post(`${BASE}/:clientId/secrets`, { config }, async function createOrgServiceAccountSecret(request, reply) {
    return shared.createSecret(request, reply);
  });
  app.delete(`${BASE}/:clientId/secrets/:secretId`, { config }, async function deleteOrgServiceAccountSecret(request, reply) {
    return shared.deleteSecret(request, reply);
  });
  app.get(`${BASE}/:clientId/accessList`, { config }, async function listOrgServiceAccountAccessList(request, reply) {
    return shared.listAccessList(request, reply);
  });
  app.post(`${BASE}/:clientId/accessList`, { config }, async function createOrgServiceAccountAccessList(request, reply) {
    return shared.createAccessList(request, reply);
  });
  app.delete(`${BASE}/:clientId/accessList/:ipAddress`, { config }, async function deleteOrgServiceAccountAccessListEntry(request, reply) {
    return shared.deleteAccessListEntry(request, reply);
  });
}
