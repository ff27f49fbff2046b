import type { BucketSpec } from '../lib/token-bucket.ts';

/**
 * What each route serves on the wire besides its body: which API surface it belongs to, the
 * resource version and its deprecation (headers copied from recordings), and its rate-limit bucket.
 */
export interface ResourceMeta {
  readonly surface: 'v2' | 'v1';
  /** v2 resource versions this route serves, oldest first. */
  readonly versions?: readonly string[];
  readonly deprecation?: string;
  readonly sunset?: string;
  readonly bucket?: { spec: BucketSpec; scope: 'group' | 'org' | 'user' };
}

const MINUTE = 60_000;
export const BUCKETS = {
  projectsGroup: { name: 'projects-group', capacity: 1200, refill: 500, periodMs: MINUTE },
  projectsUser: { name: 'projects-user', capacity: 1200, refill: 500, periodMs: MINUTE },
  orgsOrganization: { name: 'orgs-organization', capacity: 500, refill: 250, periodMs: MINUTE },
  orgsUser: { name: 'orgs-user', capacity: 300, refill: 100, periodMs: MINUTE },
  /** Atlas: at most 10 invitations a minute from one address, answered 400 INVITATIONS_RATE_LIMITED_IP. */
  invitationsIp: { name: 'invitations-ip', capacity: 10, refill: 10, periodMs: MINUTE },
  /** The token endpoint: 50 requests a minute per address and client (observed live). */
  oauthToken: { name: 'oauth-token', capacity: 50, refill: 50, periodMs: MINUTE },
  /** Events (D-RL "Events"; recorded: RateLimit-Limit 300 on /groups/{id}/events, 500 on /orgs/{id}/events). */
  eventsGroup: { name: 'events-group', capacity: 300, refill: 100, periodMs: MINUTE },
  eventsOrganization: { name: 'events-organization', capacity: 500, refill: 250, periodMs: MINUTE },
  /** MongoDB Cloud Users (D-RL; recorded: RateLimit-Limit 1200 on /groups/{id}/users, 500 on /orgs/{id}/users). */
  usersGroup: { name: 'users-group', capacity: 1200, refill: 500, periodMs: MINUTE },
  usersOrganization: { name: 'users-organization', capacity: 500, refill: 250, periodMs: MINUTE },
} as const satisfies Record<string, BucketSpec>;

const V2 = ['2023-01-01'] as const;

/** Project invitations: deprecated 4 Oct 2023, sunset 1 Jul 2027 (recorded from live Atlas). */
export const GROUP_INVITES_V2: ResourceMeta = {
  surface: 'v2',
  versions: V2,
  deprecation: 'Wed, 4 Oct 2023 00:00:00 GMT',
  sunset: 'Thu, 1 Jul 2027 00:00:00 GMT',
  bucket: { spec: BUCKETS.projectsGroup, scope: 'group' },
};
export const GROUP_INVITES_V1: ResourceMeta = {
  surface: 'v1',
  bucket: { spec: BUCKETS.projectsGroup, scope: 'group' },
};
export const GROUP_V2: ResourceMeta = {
  surface: 'v2',
  versions: V2,
  bucket: { spec: BUCKETS.projectsGroup, scope: 'group' },
};
export const GROUPS_V2: ResourceMeta = {
  surface: 'v2',
  versions: V2,
  bucket: { spec: BUCKETS.projectsUser, scope: 'user' },
};
export const ORG_V2: ResourceMeta = {
  surface: 'v2',
  versions: V2,
  bucket: { spec: BUCKETS.orgsOrganization, scope: 'org' },
};
export const ORGS_V2: ResourceMeta = { surface: 'v2', versions: V2, bucket: { spec: BUCKETS.orgsUser, scope: 'user' } };
export const ROOT_V2: ResourceMeta = { surface: 'v2', versions: V2 };

/** Service accounts: served in 2024-08-05 only (the spec's only content type for these operations). */
const SERVICE_ACCOUNTS = ['2024-08-05'] as const;
export const ORG_SERVICE_ACCOUNTS_V2: ResourceMeta = {
  surface: 'v2',
  versions: SERVICE_ACCOUNTS,
  bucket: { spec: BUCKETS.orgsOrganization, scope: 'org' },
};
export const GROUP_SERVICE_ACCOUNTS_V2: ResourceMeta = {
  surface: 'v2',
  versions: SERVICE_ACCOUNTS,
  bucket: { spec: BUCKETS.projectsGroup, scope: 'group' },
};
/** Programmatic API keys: the organization's bucket under /orgs/{orgId}/apiKeys…, the project's under /groups/{groupId}/apiKeys… (recorded: 500 and 1200). */
export const ORG_API_KEYS_V2: ResourceMeta = {
  surface: 'v2',
  versions: V2,
  bucket: { spec: BUCKETS.orgsOrganization, scope: 'org' },
};
export const GROUP_API_KEYS_V2: ResourceMeta = {
  surface: 'v2',
  versions: V2,
  bucket: { spec: BUCKETS.projectsGroup, scope: 'group' },
};

/** Organization invitations: deprecated 19 Feb 2025, sunset 1 Jul 2027 (recorded), the organization's bucket (500). */
export const ORG_INVITES_V2: ResourceMeta = {
  surface: 'v2',
  versions: V2,
  deprecation: 'Wed, 19 Feb 2025 00:00:00 GMT',
  sunset: 'Thu, 1 Jul 2027 00:00:00 GMT',
  bucket: { spec: BUCKETS.orgsOrganization, scope: 'org' },
};
export const ORG_INVITES_V1: ResourceMeta = { surface: 'v1', bucket: { spec: BUCKETS.orgsOrganization, scope: 'org' } };
/** Events API: 2023-01-01, the "Events" endpoint set (GROUP 300/100, ORGANIZATION 500/250). */
export const GROUP_EVENTS_V2: ResourceMeta = {
  surface: 'v2',
  versions: V2,
  bucket: { spec: BUCKETS.eventsGroup, scope: 'group' },
};
export const ORG_EVENTS_V2: ResourceMeta = {
  surface: 'v2',
  versions: V2,
  bucket: { spec: BUCKETS.eventsOrganization, scope: 'org' },
};
