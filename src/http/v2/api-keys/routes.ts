import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiKey } from '../../../domain/api-keys/api-key.ts';
import * as keys from '../../../domain/api-keys/api-key-admin.service.ts';
import type { DomainContext } from '../../../domain/context.ts';
import { baseUrl, pageBody } from '../../links.ts';
import { idParam, pageQuery } from '../../params.ts';
import { GROUP_API_KEYS_V2, ORG_API_KEYS_V2 } from '../../resources.ts';
import { route, type Surface } from '../../route.ts';
import { sendEntity, sendNoContent } from '../../wire.ts';
import { registerApiKeyAccessListRoutes } from './access-list-routes.ts';
import { toApiKeyUserDetails } from './mapper.ts';
import { apiUserIdParam, readArrayBody } from './params.ts';

const CREATE = { fields: { desc: 'string', roles: 'string[]' }, required: ['desc', 'roles'] } as const;
const UPDATE = { fields: { desc: 'string', roles: 'string[]' } } as const;
/** UserAccessRoleAssignment: `userId` is read-only, accepted and ignored. */
const ASSIGNMENT = { fields: { roles: 'string[]', userId: 'ignored' } } as const;

/**
 * The Atlas v2 "Programmatic API Keys" operations: organization keys, their project assignments
 * and (access-list-routes.ts) their access lists. Handlers are named after the operationIds.
 */
export function registerApiKeyRoutes(api: Surface, ctx: DomainContext, publicUrl?: string): void {
  /** One ApiKeyUserDetails; the private key only in the answer that created it. */
  const sendKey = (call: { request: FastifyRequest }, reply: FastifyReply, key: ApiKey, privateKey?: string) =>
    sendEntity(call.request, reply, 200, toApiKeyUserDetails(key, baseUrl(call.request, publicUrl), privateKey));
  const org = ORG_API_KEYS_V2;
  const group = GROUP_API_KEYS_V2;
  const orgKeys = '/orgs/:orgId/apiKeys';
  const orgKey = '/orgs/:orgId/apiKeys/:apiUserId';
  const groupKeys = '/groups/:groupId/apiKeys';
  const groupKey = '/groups/:groupId/apiKeys/:apiUserId';

  route(
    api,
    { operationId: 'listOrgApiKeys', method: 'GET', path: orgKeys, resource: org, permission: 'Organization Member' },
    async function listOrgApiKeys(call, reply) {
      const { request } = call;
      const orgId = idParam(call, 'orgId');
      const page = pageQuery(request);
      const result = await keys.listOrgApiKeys(ctx, call.principal, orgId, page);
      const base = baseUrl(request, publicUrl);
      return sendEntity(
        request,
        reply,
        200,
        pageBody(request, publicUrl, `/api/atlas/v2/orgs/${orgId}/apiKeys`, page, result, (k) =>
          toApiKeyUserDetails(k, base),
        ),
      );
    },
  );

  route(
    api,
    {
      operationId: 'createOrgApiKey',
      method: 'POST',
      path: orgKeys,
      resource: org,
      permission: 'Organization Owner',
      body: CREATE,
    },
    async function createOrgApiKey(call, reply) {
      const orgId = idParam(call, 'orgId');
      const created = await keys.createOrgApiKey(ctx, call.principal, orgId, call.body);
      return sendKey(call, reply, created.apiKey, created.privateKey);
    },
  );

  route(
    api,
    { operationId: 'getOrgApiKey', method: 'GET', path: orgKey, resource: org, permission: 'Organization Member' },
    async function getOrgApiKey(call, reply) {
      const orgId = idParam(call, 'orgId');
      const key = await keys.getOrgApiKey(ctx, call.principal, orgId, apiUserIdParam(call));
      return sendKey(call, reply, key);
    },
  );

  route(
    api,
    {
      operationId: 'updateOrgApiKey',
      method: 'PATCH',
      path: orgKey,
      resource: org,
      permission: 'Organization Owner',
      body: UPDATE,
    },
    async function updateOrgApiKey(call, reply) {
      const orgId = idParam(call, 'orgId');
      const apiUserId = apiUserIdParam(call);
      const key = await keys.updateOrgApiKey(ctx, call.principal, orgId, apiUserId, call.body);
      return sendKey(call, reply, key);
    },
  );

  route(
    api,
    { operationId: 'deleteOrgApiKey', method: 'DELETE', path: orgKey, resource: org, permission: 'Organization Owner' },
    async function deleteOrgApiKey(call, reply) {
      const orgId = idParam(call, 'orgId');
      await keys.deleteOrgApiKey(ctx, call.principal, orgId, apiUserIdParam(call));
      return sendNoContent(call.request, reply);
    },
  );

  route(
    api,
    {
      operationId: 'listGroupApiKeys',
      method: 'GET',
      path: groupKeys,
      resource: group,
      permission: 'Project Read Only',
    },
    async function listGroupApiKeys(call, reply) {
      const { request } = call;
      const groupId = idParam(call, 'groupId');
      const page = pageQuery(request);
      const result = await keys.listGroupApiKeys(ctx, call.principal, groupId, page);
      const base = baseUrl(request, publicUrl);
      return sendEntity(
        request,
        reply,
        200,
        pageBody(request, publicUrl, `/api/atlas/v2/groups/${groupId}/apiKeys`, page, result, (k) =>
          toApiKeyUserDetails(k, base),
        ),
      );
    },
  );

  route(
    api,
    {
      operationId: 'createGroupApiKey',
      method: 'POST',
      path: groupKeys,
      resource: group,
      permission: 'Project Access Manager',
      body: CREATE,
    },
    async function createGroupApiKey(call, reply) {
      const groupId = idParam(call, 'groupId');
      const created = await keys.createGroupApiKey(ctx, call.principal, groupId, call.body);
      return sendKey(call, reply, created.apiKey, created.privateKey);
    },
  );

  // The body is an array of assignments (readArrayBody), so the contract declares no shape.
  route(
    api,
    { operationId: 'addGroupApiKey', method: 'POST', path: groupKey, resource: group, permission: 'Project Owner' },
    async function addGroupApiKey(call, reply) {
      const groupId = idParam(call, 'groupId');
      const apiUserId = apiUserIdParam(call);
      const assignments = readArrayBody(call.request.body, ASSIGNMENT);
      await keys.addGroupApiKey(
        ctx,
        call.principal,
        groupId,
        apiUserId,
        assignments.flatMap((a) => a.roles ?? []),
      );
      return sendNoContent(call.request, reply);
    },
  );

  route(
    api,
    {
      operationId: 'updateGroupApiKeyRoles',
      method: 'PATCH',
      path: groupKey,
      resource: group,
      permission: 'Project Access Manager',
      body: UPDATE,
    },
    async function updateGroupApiKeyRoles(call, reply) {
      const groupId = idParam(call, 'groupId');
      const apiUserId = apiUserIdParam(call);
      const key = await keys.updateGroupApiKeyRoles(ctx, call.principal, groupId, apiUserId, call.body);
      return sendKey(call, reply, key);
    },
  );

  route(
    api,
    {
      operationId: 'removeGroupApiKey',
      method: 'DELETE',
      path: groupKey,
      resource: group,
      permission: 'Project Access Manager',
    },
    async function removeGroupApiKey(call, reply) {
      const groupId = idParam(call, 'groupId');
      await keys.removeGroupApiKey(ctx, call.principal, groupId, apiUserIdParam(call));
      return sendNoContent(call.request, reply);
    },
  );

  registerApiKeyAccessListRoutes(api, ctx, publicUrl);
}
