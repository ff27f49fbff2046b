import type { AccessListEntry } from '../../../domain/access-lists/access-list.ts';
import { type ApiKey, redactedPrivateKey } from '../../../domain/api-keys/api-key.ts';
import { atlasDate } from '../../../lib/dates.ts';

export const apiKeyPath = (orgId: string, apiKeyId: string) => `/api/atlas/v2/orgs/${orgId}/apiKeys/${apiKeyId}`;

/**
 * ApiKeyUserDetails as Atlas sends it: alphabetical keys, one `self` link under the organization
 * (also from the project endpoints), the private key unredacted only in the creation answer, and
 * every role: organization roles first, then each project's.
 */
export function toApiKeyUserDetails(key: ApiKey, base: string, privateKey?: string) {
  return {
    desc: key.description,
    id: key.id,
    links: [{ href: `${base}${apiKeyPath(key.orgId, key.id)}`, rel: 'self' }],
    privateKey: privateKey ?? redactedPrivateKey(key),
    publicKey: key.publicKey,
    roles: [
      ...key.orgRoles.map((roleName) => ({ orgId: key.orgId, roleName })),
      ...key.projectAssignments.flatMap((a) => a.roles.map((roleName) => ({ groupId: a.projectId, roleName }))),
    ],
  };
}

/** The address when the entry is one address (`/32` for IPv4, `/128` for IPv6), else undefined. */
function singleAddress(cidrBlock: string): string | undefined {
  const [address, prefix] = cidrBlock.split('/');
  return prefix === (address.includes(':') ? '128' : '32') ? address : undefined;
}

/** The path segment that names an entry: the bare address, or the CIDR block URL-encoded (`%2F`). */
function entrySegment(entry: AccessListEntry): string {
  return singleAddress(entry.cidrBlock) ?? encodeURIComponent(entry.cidrBlock);
}

/**
 * UserAccessListResponse: `ipAddress` only for a single address; `lastUsed`/`lastUsedAddress` only
 * once a request has come through the entry (`count` is always there, 0 before).
 */
export function toAccessListEntry(entry: AccessListEntry, base: string, orgId: string, apiKeyId: string) {
  const single = singleAddress(entry.cidrBlock);
  return {
    cidrBlock: entry.cidrBlock,
    count: entry.requestCount,
    created: atlasDate(entry.createdAt),
    ...(single ? { ipAddress: single } : {}),
    ...(entry.lastUsedAt ? { lastUsed: atlasDate(entry.lastUsedAt) } : {}),
    ...(entry.lastUsedAddress ? { lastUsedAddress: entry.lastUsedAddress } : {}),
    links: [{ href: `${base}${apiKeyPath(orgId, apiKeyId)}/accessList/${entrySegment(entry)}`, rel: 'self' }],
  };
}
