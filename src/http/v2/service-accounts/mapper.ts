import type { AccessListEntry } from '../../../domain/access-lists/access-list.ts';
import { rolesIn } from '../../../domain/service-accounts/service-account-admin.service.ts';
import type {
  ServiceAccount,
  ServiceAccountProjectAssignment,
  ServiceAccountSecretInfo,
} from '../../../domain/service-accounts/service-account.ts';
import { atlasDate } from '../../../lib/dates.ts';

/** The one secret whose value a create answer shows (account creation, secret creation). */
export interface ShownSecret {
  readonly id: string;
  readonly secret: string;
}

/**
 * ServiceAccountSecret: alphabetical keys; `lastUsedAt` only once the secret has been used (Atlas
 * omits nulls); `secret` only in the answer that created it, next to its `maskedSecretValue`.
 */
export function toServiceAccountSecret(s: ServiceAccountSecretInfo, shown?: ShownSecret) {
  return {
    createdAt: atlasDate(s.createdAt),
    expiresAt: atlasDate(s.expiresAt),
    id: s.id,
    ...(s.lastUsedAt ? { lastUsedAt: atlasDate(s.lastUsedAt) } : {}),
    maskedSecretValue: s.maskedSecretValue,
    ...(shown && shown.id === s.id ? { secret: shown.secret } : {}),
  };
}

/** OrgServiceAccount (`projectId` null) or GroupServiceAccount (the roles it holds in that project). */
export function toServiceAccount(sa: ServiceAccount, projectId: string | null, shown?: ShownSecret) {
  return {
    clientId: sa.clientId,
    createdAt: atlasDate(sa.createdAt),
    description: sa.description,
    name: sa.name,
    roles: [...rolesIn(sa, projectId)],
    secrets: sa.secrets.map((s) => toServiceAccountSecret(s, shown)),
  };
}

/** ServiceAccountGroup: one project assignment. */
export function toServiceAccountGroup(a: ServiceAccountProjectAssignment) {
  return { groupId: a.projectId, roles: [...a.roles] };
}

/** The address when the entry is one address (`/32` for IPv4, `/128` for IPv6), else undefined. */
function singleAddress(cidrBlock: string): string | undefined {
  const [address, prefix] = cidrBlock.split('/');
  return prefix === (address.includes(':') ? '128' : '32') ? address : undefined;
}

/**
 * ServiceAccountIPAccessListEntry: `cidrBlock` always, `ipAddress` too when the entry is one
 * address (as Atlas shows API-key entries); the last-use fields once a request has used it.
 */
export function toAccessListEntry(e: AccessListEntry) {
  const single = singleAddress(e.cidrBlock);
  return {
    cidrBlock: e.cidrBlock,
    createdAt: atlasDate(e.createdAt),
    ...(single ? { ipAddress: single } : {}),
    ...(e.lastUsedAddress ? { lastUsedAddress: e.lastUsedAddress } : {}),
    ...(e.lastUsedAt ? { lastUsedAt: atlasDate(e.lastUsedAt) } : {}),
    requestCount: e.requestCount,
  };
}
