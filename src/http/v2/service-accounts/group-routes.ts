import type { DomainContext } from '../../../domain/context.ts';
import * as admin from '../../../domain/service-accounts/service-account-admin.service.ts';
import { idParam, pageQuery } from '../../params.ts';
import { GROUP_SERVICE_ACCOUNTS_V2 } from '../../resources.ts';
import { type Permission, route, type Surface } from '../../route.ts';
import { sendEntity, sendNoContent } from '../../wire.ts';
import { routeCredentials, type ScopeCall } from './credential-handlers.ts';
import { toServiceAccount } from './mapper.ts';
import { CREATE_ACCOUNT, clientIdParam, pageBody, readWithHours, ROLE_ASSIGNMENT, UPDATE_ACCOUNT } from './shared.ts';

const BASE = '/groups/:groupId/serviceAccounts';
const ONE = '/groups/:groupId/serviceAccounts/:clientId';
const READ: Permission = 'Project Read Only';
const OWNER: Permission = 'Project Owner';
const ACCESS_MANAGER: Permission = 'Project Access Manager';

/**
 * Project service accounts: organization service accounts assigned to a project with project
 * roles (GroupServiceAccount shows those roles). Resource version 2024-08-05.
 */
export function registerGroupServiceAccountRoutes(api: Surface, ctx: DomainContext, publicUrl?: string): void {
  const resource = GROUP_SERVICE_ACCOUNTS_V2;
  const open = (call: ScopeCall, need: admin.Need) =>
    admin.openScope(ctx, call.principal, { kind: 'group', groupId: idParam(call, 'groupId') }, need);
  const clientIdOf = (call: ScopeCall) => {
    idParam(call, 'groupId');
    return clientIdParam(call);
  };
  const projectOf = (access: admin.ScopeAccess) => (access.project as { id: string }).id;
  const path = (access: admin.ScopeAccess, rest = '') =>
    `/api/atlas/v2/groups/${projectOf(access)}/serviceAccounts${rest}`;

  route(
    api,
    { operationId: 'listGroupServiceAccounts', method: 'GET', path: BASE, resource, permission: READ },
    async function listGroupServiceAccounts(call, reply) {
      const { request } = call;
      idParam(call, 'groupId');
      const page = pageQuery(request);
      const access = await open(call, 'read');
      const result = await admin.listServiceAccountsIn(ctx, access, page);
      const view = (sa: Parameters<typeof toServiceAccount>[0]) => toServiceAccount(sa, projectOf(access));
      return sendEntity(request, reply, 200, pageBody(request, publicUrl, path(access), page, result, view));
    },
  );

  // The body carries `secretExpiresAfterHours` (readWithHours), so the contract declares no shape.
  route(
    api,
    { operationId: 'createGroupServiceAccount', method: 'POST', path: BASE, resource, permission: OWNER },
    async function createGroupServiceAccount(call, reply) {
      const access = await open(call, 'write');
      const body = readWithHours(call.request.body, CREATE_ACCOUNT);
      const created = await admin.createServiceAccountIn(ctx, access, body);
      return sendEntity(
        call.request,
        reply,
        201,
        toServiceAccount(created.serviceAccount, projectOf(access), created.secret),
      );
    },
  );

  route(
    api,
    { operationId: 'getGroupServiceAccount', method: 'GET', path: ONE, resource, permission: READ },
    async function getGroupServiceAccount(call, reply) {
      const clientId = clientIdOf(call);
      const access = await open(call, 'read');
      const sa = await admin.accountIn(ctx, access, clientId);
      return sendEntity(call.request, reply, 200, toServiceAccount(sa, projectOf(access)));
    },
  );

  route(
    api,
    {
      operationId: 'updateGroupServiceAccount',
      method: 'PATCH',
      path: ONE,
      resource,
      permission: OWNER,
      body: UPDATE_ACCOUNT,
    },
    async function updateGroupServiceAccount(call, reply) {
      const clientId = clientIdOf(call);
      const access = await open(call, 'write');
      const sa = await admin.updateServiceAccountIn(ctx, access, clientId, call.body);
      return sendEntity(call.request, reply, 200, toServiceAccount(sa, projectOf(access)));
    },
  );

  route(
    api,
    { operationId: 'deleteGroupServiceAccount', method: 'DELETE', path: ONE, resource, permission: OWNER },
    async function deleteGroupServiceAccount(call, reply) {
      const clientId = clientIdOf(call);
      await admin.deleteServiceAccountIn(ctx, await open(call, 'write'), clientId);
      return sendNoContent(call.request, reply);
    },
  );

  // `{clientId}:invite`: a regex parameter, so the literal `:invite` suffix is routed (find-my-way).
  route(
    api,
    {
      operationId: 'inviteGroupServiceAccount',
      method: 'POST',
      path: `${BASE}/:clientId(^[^:/]+)::invite`,
      resource,
      permission: 'Organization Owner',
      body: ROLE_ASSIGNMENT,
    },
    async function inviteGroupServiceAccount(call, reply) {
      const clientId = clientIdOf(call);
      const access = await open(call, 'assign');
      const sa = await admin.assignServiceAccount(ctx, access, clientId, call.body.roles);
      return sendEntity(call.request, reply, 200, toServiceAccount(sa, projectOf(access)));
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
        createSecret: ['createGroupServiceAccountSecret', OWNER],
        deleteSecret: ['deleteGroupServiceAccountSecret', OWNER],
        listAccessList: ['listGroupServiceAccountAccessList', READ],
        createAccessList: ['createGroupServiceAccountAccessList', ACCESS_MANAGER],
        deleteAccessListEntry: ['deleteGroupServiceAccountAccessListEntry', ACCESS_MANAGER],
      },
    },
    publicUrl,
  );
}
