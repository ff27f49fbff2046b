import type { DomainContext } from '../../../domain/context.ts';
import * as admin from '../../../domain/service-accounts/service-account-admin.service.ts';
import { idParam, pageQuery } from '../../params.ts';
import { ORG_SERVICE_ACCOUNTS_V2 } from '../../resources.ts';
import { type Permission, route, type Surface } from '../../route.ts';
import { sendEntity, sendNoContent } from '../../wire.ts';
import { routeCredentials, type ScopeCall } from './credential-handlers.ts';
import { toServiceAccount, toServiceAccountGroup } from './mapper.ts';
import { CREATE_ACCOUNT, clientIdParam, pageBody, readWithHours, UPDATE_ACCOUNT } from './shared.ts';

const BASE = '/orgs/:orgId/serviceAccounts';
const ONE = '/orgs/:orgId/serviceAccounts/:clientId';
const READ: Permission = 'Organization Read Only';
const OWNER: Permission = 'Organization Owner';

/**
 * Organization service accounts (Atlas Admin API v2, resource version 2024-08-05). Path ids are
 * checked first, then the caller's role, then the body: a caller without the role learns nothing.
 */
export function registerOrgServiceAccountRoutes(api: Surface, ctx: DomainContext, publicUrl?: string): void {
  const resource = ORG_SERVICE_ACCOUNTS_V2;
  const open = (call: ScopeCall, need: admin.Need) =>
    admin.openScope(ctx, call.principal, { kind: 'org', orgId: idParam(call, 'orgId') }, need);
  const clientIdOf = (call: ScopeCall) => {
    idParam(call, 'orgId');
    return clientIdParam(call);
  };
  const path = (access: admin.ScopeAccess, rest = '') => `/api/atlas/v2/orgs/${access.orgId}/serviceAccounts${rest}`;

  route(
    api,
    { operationId: 'listOrgServiceAccounts', method: 'GET', path: BASE, resource, permission: READ },
    async function listOrgServiceAccounts(call, reply) {
      const { request } = call;
      idParam(call, 'orgId');
      const page = pageQuery(request);
      const access = await open(call, 'read');
      const result = await admin.listServiceAccountsIn(ctx, access, page);
      return sendEntity(
        request,
        reply,
        200,
        pageBody(request, publicUrl, path(access), page, result, (sa) => toServiceAccount(sa, null)),
      );
    },
  );

  // The body carries `secretExpiresAfterHours` (readWithHours), so the contract declares no shape.
  route(
    api,
    { operationId: 'createOrgServiceAccount', method: 'POST', path: BASE, resource, permission: OWNER },
    async function createOrgServiceAccount(call, reply) {
      const access = await open(call, 'write');
      const body = readWithHours(call.request.body, CREATE_ACCOUNT);
      const created = await admin.createServiceAccountIn(ctx, access, body);
      return sendEntity(call.request, reply, 201, toServiceAccount(created.serviceAccount, null, created.secret));
    },
  );

  route(
    api,
    { operationId: 'getOrgServiceAccount', method: 'GET', path: ONE, resource, permission: READ },
    async function getOrgServiceAccount(call, reply) {
      const clientId = clientIdOf(call);
      const sa = await admin.accountIn(ctx, await open(call, 'read'), clientId);
      return sendEntity(call.request, reply, 200, toServiceAccount(sa, null));
    },
  );

  route(
    api,
    {
      operationId: 'updateOrgServiceAccount',
      method: 'PATCH',
      path: ONE,
      resource,
      permission: OWNER,
      body: UPDATE_ACCOUNT,
    },
    async function updateOrgServiceAccount(call, reply) {
      const clientId = clientIdOf(call);
      const access = await open(call, 'write');
      const sa = await admin.updateServiceAccountIn(ctx, access, clientId, call.body);
      return sendEntity(call.request, reply, 200, toServiceAccount(sa, null));
    },
  );

  route(
    api,
    { operationId: 'deleteOrgServiceAccount', method: 'DELETE', path: ONE, resource, permission: OWNER },
    async function deleteOrgServiceAccount(call, reply) {
      const clientId = clientIdOf(call);
      await admin.deleteServiceAccountIn(ctx, await open(call, 'write'), clientId);
      return sendNoContent(call.request, reply);
    },
  );

  route(
    api,
    { operationId: 'getOrgServiceAccountGroups', method: 'GET', path: `${ONE}/groups`, resource, permission: READ },
    async function getOrgServiceAccountGroups(call, reply) {
      const { request } = call;
      const clientId = clientIdOf(call);
      const page = pageQuery(request);
      const access = await open(call, 'read');
      const result = await admin.projectsOf(ctx, access, clientId, page);
      return sendEntity(
        request,
        reply,
        200,
        pageBody(request, publicUrl, path(access, `/${clientId}/groups`), page, result, toServiceAccountGroup),
      );
    },
  );

  routeCredentials(
    api,
    ctx,
    { open, clientIdOf, path },
    {
      account: ONE,
      resource,
      operations: {
        createSecret: ['createOrgServiceAccountSecret', OWNER],
        deleteSecret: ['deleteOrgServiceAccountSecret', OWNER],
        listAccessList: ['listOrgServiceAccountAccessList', READ],
        createAccessList: ['createOrgServiceAccountAccessList', OWNER],
        deleteAccessListEntry: ['deleteOrgServiceAccountAccessListEntry', OWNER],
      },
    },
    publicUrl,
  );
}
