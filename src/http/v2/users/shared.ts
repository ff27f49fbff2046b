import type { FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_STATUSES, ORG_MEMBERSHIP_STATUSES, type OrgMembershipStatus } from '../../../domain/users/org-user.ts';
import { atlasError } from '../../../errors/atlas-error.ts';
import { isObjectId } from '../../../lib/object-id.ts';
import type { Link } from '../../links.ts';
import { type PageQuery, pathParam } from '../../params.ts';
import { BUCKETS, type ResourceMeta } from '../../resources.ts';

/**
 * What the users routes share: their resource versions and buckets, the deprecated version's
 * headers, the query parameters, and the page links.
 */

const LEGACY = '2023-01-01';
const CURRENT = '2025-02-19';
const BOTH = [LEGACY, CURRENT] as const;

const orgBucket = { spec: BUCKETS.usersOrganization, scope: 'org' } as const;
const groupBucket = { spec: BUCKETS.usersGroup, scope: 'group' } as const;

/** Operations served only in 2025-02-19. */
export const ORG_USERS_V2: ResourceMeta = { surface: 'v2', versions: [CURRENT], bucket: orgBucket };
export const GROUP_USERS_V2: ResourceMeta = { surface: 'v2', versions: [CURRENT], bucket: groupBucket };
/** listOrgUsers, removeOrgUser, listGroupUsers, removeGroupUser: 2023-01-01 (sunset 2027-07-01) and 2025-02-19. */
export const ORG_USERS_BOTH: ResourceMeta = { surface: 'v2', versions: BOTH, bucket: orgBucket };
export const GROUP_USERS_BOTH: ResourceMeta = { surface: 'v2', versions: BOTH, bucket: groupBucket };
/** updateOrgUserRoles, updateGroupUserRoles: deprecated operations, 2023-01-01 only. */
export const ORG_USERS_LEGACY: ResourceMeta = { surface: 'v2', versions: [LEGACY], bucket: orgBucket };
export const GROUP_USERS_LEGACY: ResourceMeta = { surface: 'v2', versions: [LEGACY], bucket: groupBucket };

/**
 * The 2023-01-01 versions of the users resources carry `x-sunset: 2027-07-01`. Their Deprecation
 * date is the day 2025-02-19 replaced them, as recorded on the sibling /api/atlas/v2/users resource.
 */
const DEPRECATION = 'Wed, 19 Feb 2025 00:00:00 GMT';
const SUNSET = 'Thu, 1 Jul 2027 00:00:00 GMT';

/** Call right before sending a success: errors never carry these headers. */
export function legacyHeaders(request: FastifyRequest, reply: FastifyReply): void {
  if (request.apiVersion !== LEGACY) return;
  reply.header('deprecation', DEPRECATION);
  reply.header('sunset', SUNSET);
}

export const isLegacy = (request: FastifyRequest): boolean => request.apiVersion === LEGACY;

/** A 24-hex `userId` path parameter, or 404 INVALID_USER_ID. */
export function userIdParam(call: { readonly params: unknown }): string {
  const value = pathParam(call, 'userId');
  if (!isObjectId(value)) throw atlasError('INVALID_USER_ID', value);
  return value;
}

function values(request: FastifyRequest, name: string): string[] | undefined {
  const v = (request.query as Record<string, unknown>)[name];
  if (v === undefined) return undefined;
  const all = (Array.isArray(v) ? v : [v]).filter((s): s is string => typeof s === 'string');
  return all
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * `orgMembershipStatuses` (repeatable, or comma-separated; at most 4) or the deprecated
 * `orgMembershipStatus` (not both). Absent: ACTIVE and PENDING. Unknown values: 400.
 */
export function statusesQuery(request: FastifyRequest): { statuses: readonly OrgMembershipStatus[]; given: string[] } {
  const many = values(request, 'orgMembershipStatuses');
  const one = values(request, 'orgMembershipStatus');
  if (many?.length && one?.length) throw atlasError('INVALID_QUERY_PARAMETER', 'orgMembershipStatus');
  const name = many?.length ? 'orgMembershipStatuses' : 'orgMembershipStatus';
  const given = (many?.length ? many : one) ?? [];
  if (given.length === 0) return { statuses: DEFAULT_STATUSES, given };
  if (given.length > ORG_MEMBERSHIP_STATUSES.length || (name === 'orgMembershipStatus' && given.length > 1)) {
    throw atlasError('INVALID_QUERY_PARAMETER', name);
  }
  for (const s of given)
    if (!(ORG_MEMBERSHIP_STATUSES as readonly string[]).includes(s)) throw atlasError('INVALID_QUERY_PARAMETER', name);
  return { statuses: [...new Set(given as OrgMembershipStatus[])], given };
}

/** Query values in links: percent-encoded, but `@` kept as written (it is legal in a query). */
const enc = (v: string) => encodeURIComponent(v).replace(/%40/g, '@');

/**
 * Page links as Atlas writes them for these lists (recorded): `self` lists the other query
 * parameters alphabetically, then `pageNum` and `itemsPerPage`
 * (`?flattenTeams=false&includeCount=true&includeOrgUsers=false&pageNum=1&itemsPerPage=100`);
 * `previous`/`next` list every parameter alphabetically (`…&itemsPerPage=1&pageNum=2`).
 */
export function userPageLinks(
  base: string,
  path: string,
  params: ReadonlyArray<[string, string]>,
  page: PageQuery,
  total: number,
): Link[] {
  const query = (pairs: ReadonlyArray<[string, string]>) => pairs.map(([k, v]) => `${k}=${enc(v)}`).join('&');
  const sorted = (pairs: ReadonlyArray<[string, string]>) =>
    [...pairs].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const others: Array<[string, string]> = [['includeCount', String(page.includeCount)], ...params];
  const url = `${base}${path}`;
  const at = (n: number) =>
    `${url}?${query(sorted([...others, ['itemsPerPage', String(page.itemsPerPage)], ['pageNum', String(n)]]))}`;
  const links: Link[] = [];
  if (page.pageNum > 1) links.push({ href: at(page.pageNum - 1), rel: 'previous' });
  links.push({
    href: `${url}?${query([...sorted(others), ['pageNum', String(page.pageNum)], ['itemsPerPage', String(page.itemsPerPage)]])}`,
    rel: 'self',
  });
  if (page.pageNum * page.itemsPerPage < total) links.push({ href: at(page.pageNum + 1), rel: 'next' });
  return links;
}

/** The filters a 2025-02-19 list echoes in its links (none when absent, as recorded). */
export function filterParams(username: string | undefined, statuses: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = statuses.map((s) => ['orgMembershipStatuses', s] as [string, string]);
  if (username) out.push(['username', username]);
  return out;
}
