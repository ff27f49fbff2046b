import { atlasError } from '../../errors/atlas-error.ts';
import { wholeSeconds } from '../../lib/dates.ts';
import * as repo from '../../storage/repositories/access-lists.repository.ts';
import { findOrg } from '../../storage/repositories/orgs.repository.ts';
import { cached, type DomainContext, withTx } from '../context.ts';
import type { Principal } from '../principal.ts';
import {
  type AccessListEntry,
  type AccessListOwner,
  matchingEntry,
  normalizeAddress,
  parseCidr,
} from './access-list.ts';

/** API callers only: people (`user`) sign in to the console, which has no API access list. */
export const ownerOf = (principal: Principal): AccessListOwner => ({
  kind: principal.kind as AccessListOwner['kind'],
  id: principal.id,
});

/**
 * Atlas's API access list rules: a credential with an access list is refused from any address not
 * on it (403 IP_ADDRESS_NOT_ON_ACCESS_LIST); in an organization that requires access lists, a
 * credential without one is refused everywhere (403 ORG_REQUIRES_ACCESS_LIST).
 */
export async function enforceAccessList(ctx: DomainContext, principal: Principal, address: string): Promise<void> {
  const ip = normalizeAddress(address);
  const owner = ownerOf(principal);
  const entries = await cached(ctx, `access-list:${owner.kind}:${owner.id}`, () => repo.listAccessList(ctx.db, owner));
  if (entries.length === 0) {
    const required = await cached(ctx, `org-requires-list:${principal.orgId}`, async () =>
      Boolean((await findOrg(ctx.db, principal.orgId))?.apiAccessListRequired),
    );
    if (required) throw atlasError('ORG_REQUIRES_ACCESS_LIST', ip);
    return;
  }
  const entry = matchingEntry(entries, ip);
  if (!entry) throw atlasError('IP_ADDRESS_NOT_ON_ACCESS_LIST', ip);
  await repo.recordAccessListUse(ctx.db, entry.id, ip, wholeSeconds(ctx.clock.now()));
}

export function listAccessListEntries(ctx: DomainContext, owner: AccessListOwner): Promise<AccessListEntry[]> {
  return repo.listAccessList(ctx.db, owner);
}

/** Adds entries given as `ipAddress` or `cidrBlock`; a malformed one → 400 and nothing is added. */
export async function addAccessListEntries(
  ctx: DomainContext,
  owner: AccessListOwner,
  blocks: readonly string[],
): Promise<void> {
  const parsed = blocks.map((b) => {
    const c = parseCidr(b);
    if (!c) throw atlasError('VALIDATION_ERROR', `${b} is not an IP address or CIDR block`);
    return c.cidr;
  });
  await withTx(ctx, async (ctx) => {
    for (const cidr of parsed)
      await repo.addAccessListEntry(ctx.db, owner, ctx.ids.next(), cidr, wholeSeconds(ctx.clock.now()));
  });
}

/** Removes the entry for an address or CIDR block (`1.2.3.4` matches the stored `1.2.3.4/32`). */
export async function removeAccessListEntry(
  ctx: DomainContext,
  owner: AccessListOwner,
  block: string,
): Promise<boolean> {
  const c = parseCidr(block);
  if (!c) return false;
  return repo.deleteAccessListEntry(ctx.db, owner, c.cidr);
}

/** One `{cidrBlock}` or `{ipAddress}` item of an access-list request body (UserAccessListRequest). */
export interface AccessListRequest {
  readonly cidrBlock?: string;
  readonly ipAddress?: string;
}

/**
 * Atlas's rules for access-list request items, all checked before anything is written: exactly one
 * of the two attributes; `cidrBlock` with a prefix length, `ipAddress` without one (a malformed one
 * → 400 INVALID_IP_ADDRESS_OR_CIDR_NOTATION). Returns the canonical CIDR blocks, deduplicated.
 */
export function accessListBlocks(requests: readonly AccessListRequest[]): string[] {
  const blocks = new Set<string>();
  for (const r of requests) {
    if (r.cidrBlock !== undefined && r.ipAddress !== undefined) {
      throw atlasError('VALIDATION_ERROR', 'specify either cidrBlock or ipAddress, not both');
    }
    const text = r.cidrBlock ?? r.ipAddress;
    if (text === undefined) throw atlasError('MISSING_ONE_OF_ATTRIBUTES', 'cidrBlock', 'ipAddress');
    const c = parseCidr(text);
    const hasPrefix = /\/|%2f/i.test(text);
    if (!c || hasPrefix !== (r.cidrBlock !== undefined)) throw atlasError('INVALID_IP_ADDRESS_OR_CIDR_NOTATION', text);
    blocks.add(c.cidr);
  }
  return [...blocks];
}

/** The entry for an address or CIDR block (`1.2.3.4` finds `1.2.3.4/32`), or undefined. */
export async function findAccessListEntry(
  ctx: DomainContext,
  owner: AccessListOwner,
  block: string,
): Promise<AccessListEntry | undefined> {
  const c = parseCidr(block);
  if (!c) return undefined;
  return (await repo.listAccessList(ctx.db, owner)).find((e) => e.cidrBlock === c.cidr);
}
