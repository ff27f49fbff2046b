import type { FastifyInstance, FastifyRequest } from 'fastify';
import * as keys from '../../../domain/api-keys/api-key-admin.service.ts';
import type { DomainContext } from '../../../domain/context.ts';
import type { Principal } from '../../../domain/principal.ts';
import { readBody } from '../../body-shape.ts';
import { baseUrl, pageBody } from '../../links.ts';
import { idParam, pageQuery } from '../../params.ts';
import { GROUP_API_KEYS_V2, ORG_API_KEYS_V2 } from '../../resources.ts';
import { sendEntity, sendNoContent } from '../../wire.ts';
import { registerApiKeyAccessListRoutes } from './access-list-routes.ts';
import { toApiKeyUserDetails } from './mapper.ts';
import { apiUserIdParam, readArrayBody } from './params.ts';

const CREATE = { fields: { desc: 'string', roles: 'string[]' }, required: ['desc', 'roles'] } as const;
const UPDATE = { fields: { desc: 'string', roles: 'string[]' } } as const;
/** UserAccessRoleAssignment: `userId` is read-only, accepted and ignored. */
const ASSIGNMENT = { fields: { roles: 'string[]', userId: 'ignored' } } as const;

const principalOf = (request: FastifyRequest): Principal => request.principal as Principal;

/**
 * The Atlas v2 "Programmatic API Keys" operations: organization keys, their project assignments
 * and (access-list-routes.ts) their access lists. Handlers are named after the operationIds.
 */
export function registerApiKeyRoutes(app: FastifyInstance, ctx: DomainContext, publicUrl?: string): void {
  const org = { config: { resource: ORG_API_KEYS_V2 } };
  const group = { config: { resource: GROUP_API_KEYS_V2 } };
  const orgKeys = '/api/atlas/v2/orgs/:orgId/apiKeys';
  const groupKeys = '/api/atlas/v2/groups/:groupId/apiKeys';

  app.get(orgKeys, org, async function listOrgApiKeys(request, reply) {
    const orgId = idParam(request, 'orgId');
    const page = pageQuery(request);
    const result = await keys.listOrgApiKeys(ctx, principalOf(request), orgId, page);
    const base = baseUrl(request, publicUrl);
    return sendEntity(request, reply, 200, pageBody(request, publicUrl, `/api/atlas/v2/orgs/${orgId}/apiKeys`, page, result, (k) => toApiKeyUserDetails(k, base)));
  });

  app.post(orgKeys, org, async function createOrgApiKey(request, reply) {
    const orgId = idParam(request, 'orgId');
    const body = readBody(request.body, CREATE);
    const created = await keys.createOrgApiKey(ctx, principalOf(request), orgId, body);
    return sendEntity(request, reply, 200, toApiKeyUserDetails(created.apiKey, baseUrl(request, publicUrl), created.privateKey));
  });

  app.get(`${orgKeys}/:apiUserId`, org, async function getOrgApiKey(request, reply) {
    const orgId = idParam(request, 'orgId');
    const key = await keys.getOrgApiKey(ctx, principalOf(request), orgId, apiUserIdParam(request));
    return sendEntity(request, reply, 200, toApiKeyUserDetails(key, baseUrl(request, publicUrl)));
  });

  app.patch(`${orgKeys}/:apiUserId`, org, async function updateOrgApiKey(request, reply) {
    const orgId = idParam(request, 'orgId');
    const apiUserId = apiUserIdParam(request);
    const body = readBody(request.body, UPDATE);
    const key = await keys.updateOrgApiKey(ctx, principalOf(request), orgId, apiUserId, body);
    return sendEntity(request, reply, 200, toApiKeyUserDetails(key, baseUrl(request, publicUrl)));
  });

  app.delete(`${orgKeys}/:apiUserId`, org, async function deleteOrgApiKey(request, reply) {
    const orgId = idParam(request, 'orgId');
    await keys.deleteOrgApiKey(ctx, principalOf(request), orgId, apiUserIdParam(request));
    return sendNoContent(request, reply);
  });

  app.get(groupKeys, group, async function listGroupApiKeys(request, reply) {
    const groupId = idParam(request, 'groupId');
    const page = pageQuery(request);
    const result = await keys.listGroupApiKeys(ctx, principalOf(request), groupId, page);
    const base = baseUrl(request, publicUrl);
    return sendEntity(request, reply, 200, pageBody(request, publicUrl, `/api/atlas/v2/groups/${groupId}/apiKeys`, page, result, (k) => toApiKeyUserDetails(k, base)));
  });

  app.post(groupKeys, group, async function createGroupApiKey(request, reply) {
    const groupId = idParam(request, 'groupId');
    const body = readBody(request.body, CREATE);
    const created = await keys.createGroupApiKey(ctx, principalOf(request), groupId, body);
    return sendEntity(request, reply, 200, toApiKeyUserDetails(created.apiKey, baseUrl(request, publicUrl), created.privateKey));
  });

  app.post(`${groupKeys}/:apiUserId`, group, async function addGroupApiKey(request, reply) {
    const groupId = idParam(request, 'groupId');
    const apiUserId = apiUserIdParam(request);
    const assignments = readArrayBody(request.body, ASSIGNMENT);
    await keys.addGroupApiKey(ctx, principalOf(request), groupId, apiUserId, assignments.flatMap((a) => a.roles ?? []));
    return sendNoContent(request, reply);
  });

  app.patch(`${groupKeys}/:apiUserId`, group, async function updateGroupApiKeyRoles(request, reply) {
    const groupId = idParam(request, 'groupId');
    const apiUserId = apiUserIdParam(request);
    const body = readBody(request.body, UPDATE);
    const key = await keys.updateGroupApiKeyRoles(ctx, principalOf(request), groupId, apiUserId, body);
    return sendEntity(request, reply, 200, toApiKeyUserDetails(key, baseUrl(request, publicUrl)));
  });

  app.delete(`${groupKeys}/:apiUserId`, group, async function removeGroupApiKey(request, reply) {
    const groupId = idParam(request, 'groupId');
    await keys.removeGroupApiKey(ctx, principalOf(request), groupId, apiUserIdParam(request));
    return sendNoContent(request, reply);
  });

  registerApiKeyAccessListRoutes(app, ctx, publicUrl);
}
