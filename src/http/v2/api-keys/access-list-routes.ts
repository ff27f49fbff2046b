import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AccessListEntry } from '../../../domain/access-lists/access-list.ts';
import * as accessList from '../../../domain/api-keys/api-key-access-list.service.ts';
import type { DomainContext } from '../../../domain/context.ts';
import { baseUrl, pageLinks } from '../../links.ts';
import { idParam, pageQuery } from '../../params.ts';
import { ORG_API_KEYS_V2 } from '../../resources.ts';
import { route, type Surface } from '../../route.ts';
import { sendEntity, sendNoContent } from '../../wire.ts';
import { apiKeyPath, toAccessListEntry } from './mapper.ts';
import { accessListEntryParam, apiUserIdParam, readArrayBody } from './params.ts';

const ENTRY = { fields: { cidrBlock: 'string', ipAddress: 'string' } } as const;

/** The four access-list operations of an organization API key (the organization's rate-limit bucket). */
export function registerApiKeyAccessListRoutes(api: Surface, ctx: DomainContext, publicUrl?: string): void {
  const resource = ORG_API_KEYS_V2;
  const list = '/orgs/:orgId/apiKeys/:apiUserId/accessList';
  const one = '/orgs/:orgId/apiKeys/:apiUserId/accessList/:ipAddress';

  /** PaginatedApiUserAccessListResponseView: createOrgApiKeyAccessListEntry answers the whole list too. */
  function sendPage(
    request: FastifyRequest,
    reply: FastifyReply,
    orgId: string,
    apiUserId: string,
    entries: AccessListEntry[],
  ) {
    const page = pageQuery(request);
    const base = baseUrl(request, publicUrl);
    const items = entries.slice((page.pageNum - 1) * page.itemsPerPage, page.pageNum * page.itemsPerPage);
    return sendEntity(request, reply, 200, {
      links: pageLinks({ base, path: `${apiKeyPath(orgId, apiUserId)}/accessList`, ...page, total: entries.length }),
      results: items.map((e) => toAccessListEntry(e, base, orgId, apiUserId)),
      totalCount: page.includeCount ? entries.length : 0,
    });
  }

  route(
    api,
    {
      operationId: 'listOrgApiKeyAccessListEntries',
      method: 'GET',
      path: list,
      resource,
      permission: 'Organization Member',
    },
    async function listOrgApiKeyAccessListEntries(call, reply) {
      const orgId = idParam(call, 'orgId');
      const apiUserId = apiUserIdParam(call);
      pageQuery(call.request);
      const entries = await accessList.listApiKeyAccessList(ctx, call.principal, orgId, apiUserId);
      return sendPage(call.request, reply, orgId, apiUserId, entries);
    },
  );

  // The body is an array of entries (readArrayBody), so the contract declares no shape.
  route(
    api,
    { operationId: 'createOrgApiKeyAccessListEntry', method: 'POST', path: list, resource, permission: 'Any caller' },
    async function createOrgApiKeyAccessListEntry(call, reply) {
      const orgId = idParam(call, 'orgId');
      const apiUserId = apiUserIdParam(call);
      pageQuery(call.request);
      const items = readArrayBody(call.request.body, ENTRY);
      const entries = await accessList.addApiKeyAccessList(ctx, call.principal, orgId, apiUserId, items);
      return sendPage(call.request, reply, orgId, apiUserId, entries);
    },
  );

  route(
    api,
    {
      operationId: 'getOrgApiKeyAccessListEntry',
      method: 'GET',
      path: one,
      resource,
      permission: 'Organization Member',
    },
    async function getOrgApiKeyAccessListEntry(call, reply) {
      const orgId = idParam(call, 'orgId');
      const apiUserId = apiUserIdParam(call);
      const entry = await accessList.getApiKeyAccessListEntry(
        ctx,
        call.principal,
        orgId,
        apiUserId,
        accessListEntryParam(call),
      );
      return sendEntity(
        call.request,
        reply,
        200,
        toAccessListEntry(entry, baseUrl(call.request, publicUrl), orgId, apiUserId),
      );
    },
  );

  route(
    api,
    { operationId: 'deleteOrgApiKeyAccessListEntry', method: 'DELETE', path: one, resource, permission: 'Any caller' },
    async function deleteOrgApiKeyAccessListEntry(call, reply) {
      const orgId = idParam(call, 'orgId');
      const apiUserId = apiUserIdParam(call);
      const entry = accessListEntryParam(call);
      await accessList.removeApiKeyAccessListEntry(ctx, call.principal, orgId, apiUserId, entry, call.request.ip);
      return sendNoContent(call.request, reply);
    },
  );
}
