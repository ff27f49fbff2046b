import type { AccessListRequest } from '../../../domain/access-lists/access-list.service.ts';
import { parseCidr } from '../../../domain/access-lists/access-list.ts';
import { parseClientId } from '../../../domain/service-accounts/service-account-admin.service.ts';
import { validateSecretLifetime } from '../../../domain/service-accounts/service-account.service.ts';
import { CLIENT_ID_PATTERN } from '../../../domain/service-accounts/service-account.ts';
import { atlasError } from '../../../errors/atlas-error.ts';
import { isObjectId } from '../../../lib/object-id.ts';
import { type BodyOf, type BodyShape, readBody } from '../../body-shape.ts';
import { type PathCall, pathParam, requestPath } from '../../params.ts';

/** OrgServiceAccountRequest / GroupServiceAccountRequest, less `secretExpiresAfterHours` (read by `readWithHours`). */
export const CREATE_ACCOUNT = {
  fields: { description: 'string', name: 'string', roles: 'string[]' },
  required: ['description', 'name', 'roles'],
} as const satisfies BodyShape;
/** OrgServiceAccountUpdateRequest / GroupServiceAccountUpdateRequest: every field optional and nullable. */
export const UPDATE_ACCOUNT = {
  fields: { description: 'string', name: 'string', roles: 'string[]' },
} as const satisfies BodyShape;
/** GroupServiceAccountRoleAssignment. */
export const ROLE_ASSIGNMENT = { fields: { roles: 'string[]' }, required: ['roles'] } as const satisfies BodyShape;
/** ServiceAccountIPAccessListEntry: the read-only fields a client may echo back are accepted and dropped. */
const ACCESS_LIST_ENTRY = {
  fields: {
    cidrBlock: 'string',
    ipAddress: 'string',
    createdAt: 'ignored',
    lastUsedAddress: 'ignored',
    lastUsedAt: 'ignored',
    requestCount: 'ignored',
  },
} as const satisfies BodyShape;

function isObject(body: unknown): body is Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body);
}

/**
 * A body with the other fields of `shape` plus the required `secretExpiresAfterHours`, an int32
 * above 0 (body-shape has no integer type): a string, fraction, zero or negative → 400
 * INVALID_JSON_ATTRIBUTE; absent or null → MISSING_ATTRIBUTE.
 */
export function readWithHours<const S extends BodyShape>(
  body: unknown,
  shape: S,
): BodyOf<S> & { secretExpiresAfterHours: number } {
  if (!isObject(body)) throw atlasError('INVALID_JSON');
  const { secretExpiresAfterHours: hours, ...rest } = body;
  const out = readBody(rest, shape);
  if (hours === undefined || hours === null) throw atlasError('MISSING_ATTRIBUTE', 'secretExpiresAfterHours');
  return { ...out, secretExpiresAfterHours: validateSecretLifetime(hours) };
}

/** ServiceAccountSecretRequest. */
export function readSecretRequest(body: unknown): number {
  return readWithHours(body, { fields: {} }).secretExpiresAfterHours;
}

/** The access-list POST body: a JSON array of ServiceAccountIPAccessListEntry objects. */
export function readAccessListEntries(body: unknown): AccessListRequest[] {
  if (!Array.isArray(body)) throw atlasError('INVALID_JSON');
  return body.map((item) => readBody(item, ACCESS_LIST_ENTRY));
}

/** A Paginated* view: links (self, previous, next), results, totalCount (0 when includeCount=false). */
export { pageBody } from '../../links.ts';

/**
 * Path parameters that do not match the spec's pattern get Atlas's 400 PATH_PARAM_PARSE_ERROR
 * naming the request path (observed for a malformed `apiUserId`; the API-key routes answer so too).
 */
export function clientIdParam(call: PathCall): string {
  const value = pathParam(call, 'clientId');
  if (!CLIENT_ID_PATTERN.test(value)) throw atlasError('PATH_PARAM_PARSE_ERROR', requestPath(call));
  return parseClientId(value);
}

export function secretIdParam(call: PathCall): string {
  const value = pathParam(call, 'secretId');
  if (!isObjectId(value)) throw atlasError('PATH_PARAM_PARSE_ERROR', requestPath(call));
  return value;
}

/** The ipAddress path segment: an address or a CIDR block (`%2F` decoded by the router, or left as is). */
export function ipAddressParam(call: PathCall): string {
  const value = pathParam(call, 'ipAddress').replace(/%2f/gi, '/');
  if (!parseCidr(value)) throw atlasError('PATH_PARAM_PARSE_ERROR', requestPath(call));
  return value;
}
