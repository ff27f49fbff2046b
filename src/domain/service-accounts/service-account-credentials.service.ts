import { atlasError } from '../../errors/atlas-error.ts';
import { isObjectId } from '../../lib/object-id.ts';
import * as repo from '../../storage/repositories/service-accounts.repository.ts';
import {
  type AccessListRequest,
  accessListBlocks,
  addAccessListEntries,
  findAccessListEntry,
  listAccessListEntries,
  removeAccessListEntry,
} from '../access-lists/access-list.service.ts';
import {
  type AccessListEntry,
  type AccessListOwner,
  matchingEntry,
  normalizeAddress,
  parseCidr,
} from '../access-lists/access-list.ts';
import type { DomainContext } from '../context.ts';
import type { Page, PageRequest } from '../projects/project.service.ts';
import { accountIn, parseClientId, type ScopeAccess } from './service-account-admin.service.ts';
import { addSecret, validateSecretLifetime } from './service-account.service.ts';
import type { ServiceAccount, ServiceAccountSecretInfo } from './service-account.ts';

/** Atlas takes at most 200 entries in one createOrgServiceAccountAccessList call (the spec's maxItems). */
const MAX_ACCESS_LIST_ENTRIES_PER_CALL = 200;

const ownerOf = (sa: ServiceAccount): AccessListOwner => ({ kind: 'serviceAccount', id: sa.id });

function pageOf<T>(all: readonly T[], page: PageRequest): Page<T> {
  const start = (page.pageNum - 1) * page.itemsPerPage;
  return { items: all.slice(start, start + page.itemsPerPage), total: all.length };
}

/** A new secret for the account: its value is in this answer only (stored as a SHA-256 hash). */
export async function createSecretIn(
  ctx: DomainContext,
  access: ScopeAccess | null,
  clientId: string,
  expiresAfterHours: number,
): Promise<{ info: ServiceAccountSecretInfo; secret: string }> {
  const sa = await accountIn(ctx, access, clientId);
  const created = await addSecret(ctx, sa, validateSecretLifetime(expiresAfterHours));
  const after = await repo.findServiceAccountByClientId(ctx.db, sa.clientId);
  const info = after?.secrets.find((s) => s.id === created.id);
  if (!info) throw new Error('secret vanished after creation');
  return { info, secret: created.secret };
}

/**
 * Deletes one secret: it no longer obtains tokens. Tokens it already obtained stay valid until
 * they expire (at most an hour), as a JWT is checked against the account, not the secret.
 */
export async function deleteSecretIn(
  ctx: DomainContext,
  access: ScopeAccess | null,
  clientId: string,
  secretId: string,
): Promise<void> {
  parseClientId(clientId);
  if (!isObjectId(secretId)) throw atlasError('INVALID_PATH_PARAMETER', 'secretId');
  const sa = await accountIn(ctx, access, clientId);
  if (!(await repo.deleteSecret(ctx.db, sa.id, secretId))) {
    throw atlasError('RESOURCE_NOT_FOUND', `Service Account secret with ID ${secretId}`);
  }
}

export async function accessListIn(
  ctx: DomainContext,
  access: ScopeAccess | null,
  clientId: string,
  page: PageRequest,
): Promise<Page<AccessListEntry>> {
  const sa = await accountIn(ctx, access, clientId);
  return pageOf(await listAccessListEntries(ctx, ownerOf(sa)), page);
}

/**
 * Adds ServiceAccountIPAccessListEntry items (`ipAddress` or `cidrBlock`, checked as for API keys);
 * an entry already on the list is kept as it is; one bad item → 400 and none is added.
 */
export async function addAccessListIn(
  ctx: DomainContext,
  access: ScopeAccess | null,
  clientId: string,
  entries: readonly AccessListRequest[],
  page: PageRequest,
): Promise<Page<AccessListEntry>> {
  const sa = await accountIn(ctx, access, clientId);
  if (entries.length > MAX_ACCESS_LIST_ENTRIES_PER_CALL) {
    throw atlasError(
      'VALIDATION_ERROR',
      `at most ${MAX_ACCESS_LIST_ENTRIES_PER_CALL} access list entries can be added at once`,
    );
  }
  const blocks = accessListBlocks(entries);
  if (blocks.length > 0) await addAccessListEntries(ctx, ownerOf(sa), blocks);
  return pageOf(await listAccessListEntries(ctx, ownerOf(sa)), page);
}

/**
 * Removes the entry for `block` (`1.2.3.4` or `1.2.3.0/24`). Atlas: "You can't remove the
 * requesting IP address from the access list": an account may not remove the entry that lets its
 * own request in (400 CANNOT_REMOVE_CALLER_FROM_ACCESS_LIST, as for API keys). `requestAddress` is
 * absent for the operator's CLI.
 */
export async function removeAccessListEntryIn(
  ctx: DomainContext,
  access: ScopeAccess | null,
  clientId: string,
  block: string,
  requestAddress?: string,
): Promise<void> {
  parseClientId(clientId);
  if (!parseCidr(block)) throw atlasError('INVALID_PATH_PARAMETER', 'ipAddress');
  const sa = await accountIn(ctx, access, clientId);
  const entry = await findAccessListEntry(ctx, ownerOf(sa), block);
  if (!entry) throw atlasError('RESOURCE_NOT_FOUND', `access list entry ${block} of Service Account ${sa.clientId}`);
  const self = access?.principal.kind === 'serviceAccount' && access.principal.id === sa.id;
  if (self && requestAddress && matchingEntry([entry], requestAddress)) {
    throw atlasError('CANNOT_REMOVE_CALLER_FROM_ACCESS_LIST', normalizeAddress(requestAddress));
  }
  await removeAccessListEntry(ctx, ownerOf(sa), entry.cidrBlock);
}
