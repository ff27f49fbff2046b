import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AccessListEntry } from '../../../domain/access-lists/access-list.ts';
import * as accessList from '../../../domain/api-keys/api-key-access-list.service.ts';
import type { DomainContext } from '../../../domain/context.ts';
import type { Principal } from '../../../domain/principal.ts';
import { baseUrl, pageLinks } from '../../links.ts';
import { idParam, pageQuery } from '../../params.ts';
import { ORG_API_KEYS_V2 } from '../../resources.ts';
import { sendEntity, sendNoContent } from '../../wire.ts';
import { apiKeyPath, toAccessListEntry } from './mapper.ts';
import { accessListEntryParam, apiUserIdParam, readArrayBody } from './params.ts';

const ENTRY = { fields: { cidrBlock: 'string', ipAddress: 'string' } } as const;

const principalOf = (request: FastifyRequest): Principal => request.principal as Principal;

/** The four access-list operations of an organization API key (the organization's rate-limit bucket). */
export function registerApiKeyAccessListRoutes(app: FastifyInstance, ctx: DomainContext, publicUrl?: string): void {
  const opts = { config: { resource: ORG_API_KEYS_V2 } };
  const list = '/api/atlas/v2/orgs/:orgId/apiKeys/:apiUserId/accessList';

  /** PaginatedApiUserAccessListResponseView: createOrgApiKeyAccessListEntry answers the whole list too. */
  function sendPage(request: FastifyRequest, reply: FastifyReply, orgId: string, apiUserId: string, entries: AccessListEntry[]) {
    const page = pageQuery(request);
    const base = baseUrl(request, publicUrl);
    const items = entries.slice((page.pageNum - 1) * page.itemsPerPage, page.pageNum * page.itemsPerPage);
    return sendEntity(request, reply, 200, {
      links: pageLinks({ base, path: `${apiKeyPath(orgId, apiUserId)}/accessList`, ...page, total: entries.length }),
      results: items.map((e) => toAccessListEntry(e, base, orgId, apiUserId)),
      totalCount: page.includeCount ? entries.length : 0,
    });
  }

  app.get(list, opts, async function listOrgApiKeyAccessListEntries(request, reply) {
    const orgId = idParam(request, 'orgId');
    const apiUserId = apiUserIdParam(request);
    pageQuery(request);
    const entries = await accessList.listApiKeyAccessList(ctx, principalOf(request), orgId, apiUserId);
    return sendPage(request, reply, orgId, apiUserId, entries);
  });

  app.post(list, opts, async function createOrgApiKeyAccessListEntry(request, reply) {
    const orgId = idParam(request, 'orgId');
    const apiUserId = apiUserIdParam(request);
    pageQuery(request);
    const items = readArrayBody(request.body, ENTRY);
    const entries = await accessList.addApiKeyAccessList(ctx, principalOf(request), orgId, apiUserId, items);
    return sendPage(request, reply, orgId, apiUserId, entries);
  });

  app.get(`${list}/:ipAddress`, opts, async function getOrgApiKeyAccessListEntry(request, reply) {
    const orgId = idParam(request, 'orgId');
    const apiUserId = apiUserIdParam(request);
    const entry = await accessList.getApiKeyAccessListEntry(ctx, principalOf(request), orgId, apiUserId, accessListEntryParam(request));
    return sendEntity(request, reply, 200, toAccessListEntry(entry, baseUrl(request, publicUrl), orgId, apiUserId));
  });

  app.delete(`${list}/:ipAddress`, opts, async function deleteOrgApiKeyAccessListEntry(request, reply) {
    const orgId = idParam(request, 'orgId');
    const apiUserId = apiUserIdParam(request);
    const entry = accessListEntryParam(request);
    await accessList.removeApiKeyAccessListEntry(ctx, principalOf(request), orgId, apiUserId, entry, request.ip);
    return sendNoContent(request, reply);
  });
}
