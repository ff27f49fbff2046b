import { atlasError } from '../../errors/atlas-error.ts';
import { findOrg } from '../../storage/repositories/orgs.repository.ts';
import {
  matchingEntry,
  normalizeAddress,
  type AccessListEntry,
  type AccessListOwner,
} from '../access-lists/access-list.ts';
import {
  type AccessListRequest,
  accessListBlocks,
  addAccessListEntries,
  findAccessListEntry,
  listAccessListEntries,
  removeAccessListEntry,
} from '../access-lists/access-list.service.ts';
import type { DomainContext } from '../context.ts';
import type { Principal } from '../principal.ts';
import { hasOrgRole, requireOrgRole } from '../roles/permissions.ts';
import { keyInOrg } from './api-key-admin.service.ts';

/**
 * The access list of one organization API key. Atlas: "API key access lists are only accessible by
 * the API key or by a user administrator" (401 API_KEY_ACCESS_LIST_ACCESS_DENIED, observed for an
 * Organization Read Only key). So: a member of the organization who is either its Organization
 * Owner or the key itself. `principal` is null for the operator's CLI.
 */

const ownerOf = (apiKeyId: string): AccessListOwner => ({ kind: 'apiKey', id: apiKeyId });

async function authorize(
  ctx: DomainContext,
  principal: Principal | null,
  orgId: string,
  apiKeyId: string,
): Promise<void> {
  if (!(await findOrg(ctx.db, orgId))) throw atlasError('ORG_NOT_FOUND', orgId);
  if (principal) {
    requireOrgRole(principal, orgId, 'ORG_MEMBER');
    const self = principal.kind === 'apiKey' && principal.id === apiKeyId;
    if (!self && !hasOrgRole(principal, orgId, 'ORG_OWNER')) throw atlasError('API_KEY_ACCESS_LIST_ACCESS_DENIED');
  }
  await keyInOrg(ctx.db, orgId, apiKeyId);
}

/** listOrgApiKeyAccessListEntries: every entry, oldest first. */
export async function listApiKeyAccessList(
  ctx: DomainContext,
  principal: Principal | null,
  orgId: string,
  apiKeyId: string,
): Promise<AccessListEntry[]> {
  await authorize(ctx, principal, orgId, apiKeyId);
  return listAccessListEntries(ctx, ownerOf(apiKeyId));
}

/**
 * createOrgApiKeyAccessListEntry: adds every item or none (a bad one → 400, nothing written); an
 * entry the key already has is kept as it is. Answers the whole list, as Atlas does.
 */
export async function addApiKeyAccessList(
  ctx: DomainContext,
  principal: Principal | null,
  orgId: string,
  apiKeyId: string,
  requests: readonly AccessListRequest[],
): Promise<AccessListEntry[]> {
  await authorize(ctx, principal, orgId, apiKeyId);
  const blocks = accessListBlocks(requests);
  if (blocks.length > 0) await addAccessListEntries(ctx, ownerOf(apiKeyId), blocks);
  return listAccessListEntries(ctx, ownerOf(apiKeyId));
}

/** getOrgApiKeyAccessListEntry: by address or URL-encoded CIDR block. */
export async function getApiKeyAccessListEntry(
  ctx: DomainContext,
  principal: Principal | null,
  orgId: string,
  apiKeyId: string,
  block: string,
): Promise<AccessListEntry> {
  await authorize(ctx, principal, orgId, apiKeyId);
  const entry = await findAccessListEntry(ctx, ownerOf(apiKeyId), block);
  if (!entry) throw atlasError('RESOURCE_NOT_FOUND', `access list entry ${block} of API key ${apiKeyId}`);
  return entry;
}

/**
 * deleteOrgApiKeyAccessListEntry. Atlas: "you cannot remove the requesting IP address from the
 * requesting organization API key" → 400 CANNOT_REMOVE_CALLER_FROM_ACCESS_LIST.
 */
export async function removeApiKeyAccessListEntry(
  ctx: DomainContext,
  principal: Principal | null,
  orgId: string,
  apiKeyId: string,
  block: string,
  callerAddress?: string,
): Promise<void> {
  await authorize(ctx, principal, orgId, apiKeyId);
  const entry = await findAccessListEntry(ctx, ownerOf(apiKeyId), block);
  if (!entry) throw atlasError('RESOURCE_NOT_FOUND', `access list entry ${block} of API key ${apiKeyId}`);
  const self = principal?.kind === 'apiKey' && principal.id === apiKeyId;
  if (self && callerAddress && matchingEntry([entry], callerAddress)) {
    throw atlasError('CANNOT_REMOVE_CALLER_FROM_ACCESS_LIST', normalizeAddress(callerAddress));
  }
  await removeAccessListEntry(ctx, ownerOf(apiKeyId), entry.cidrBlock);
}
