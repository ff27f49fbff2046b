import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';

/** Shared assertions for the HTTP tests: Atlas's wire format, written out literally. */

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  406: 'Not Acceptable',
  409: 'Conflict',
};

export const DEPRECATION = 'Wed, 4 Oct 2023 00:00:00 GMT';
export const SUNSET = 'Thu, 1 Jul 2027 00:00:00 GMT';

/** The compact ApiError body Atlas sends: alphabetical keys, `reason` = HTTP reason phrase. */
export function errorJson(
  status: number,
  errorCode: string,
  detail: string,
  parameters: Array<string | number> = [],
): string {
  return `{"detail":${JSON.stringify(detail)},"error":${status},"errorCode":"${errorCode}","parameters":${JSON.stringify(parameters)},"reason":"${REASONS[status]}"}`;
}

export function expectAtlasError(
  res: LightMyRequestResponse,
  status: number,
  errorCode: string,
  detail: string,
  parameters: Array<string | number> = [],
): void {
  assert.equal(res.statusCode, status, res.body);
  assert.equal(res.headers['content-type'], 'application/json');
  assert.equal(res.headers['x-error-code'], errorCode);
  assert.equal(res.headers['www-authenticate'], undefined);
  assert.equal(res.headers.deprecation, undefined);
  assert.equal(res.headers['ratelimit-limit'], undefined);
  assert.equal(res.body, errorJson(status, errorCode, detail, parameters));
}

export const UNAUTHORIZED_DETAIL = 'Current user is not authorized to perform this action.';

export function expectUserUnauthorized(res: LightMyRequestResponse): void {
  expectAtlasError(res, 401, 'USER_UNAUTHORIZED', UNAUTHORIZED_DETAIL);
}

/** The Digest challenge 401, byte for byte as recorded from Atlas. */
export const CHALLENGE_BODY =
  '{\n  "error" : 401,\n  "reason" : "Unauthorized",\n  "detail" : "You are not authorized for this resource.",\n  "errorCode" : "UNEXPECTED_ERROR"\n}';

export function expectChallenge(res: LightMyRequestResponse, stale = false): void {
  assert.equal(res.statusCode, 401, res.body);
  assert.equal(res.headers['content-type'], 'application/json');
  assert.equal(res.headers['content-length'], '142');
  assert.equal(res.headers['x-error-code'], undefined);
  const www = res.headers['www-authenticate'];
  assert.equal(typeof www, 'string');
  assert.match(
    www as string,
    new RegExp(
      `^Digest realm="MMS Public API", domain="", nonce="[A-Za-z0-9+/]{32}", algorithm=MD5, qop="auth", stale=${stale}$`,
    ),
  );
  assert.equal(res.body, CHALLENGE_BODY);
}

/** A v2 success: versioned content type; Deprecation/Sunset only on the deprecated invitation resource. */
export function expectV2(
  res: LightMyRequestResponse,
  status: number,
  body: unknown,
  opts: { deprecated?: boolean; version?: string } = {},
): void {
  assert.equal(res.statusCode, status, res.body);
  assert.equal(res.headers['content-type'], `application/vnd.atlas.${opts.version ?? '2023-01-01'}+json;charset=utf-8`);
  assert.equal(res.headers['x-error-code'], undefined);
  assert.equal(res.headers.deprecation, opts.deprecated ? DEPRECATION : undefined);
  assert.equal(res.headers.sunset, opts.deprecated ? SUNSET : undefined);
  assert.deepEqual(JSON.parse(res.body), body);
  assert.equal(res.body, JSON.stringify(body), 'compact JSON, keys in Atlas order');
}

/** A v2 project-invitation success (deprecated resource, project rate-limit bucket). */
export function expectV2Invite(res: LightMyRequestResponse, status: number, body: unknown): void {
  expectV2(res, status, body, { deprecated: true });
  assert.equal(res.headers['ratelimit-limit'], '1200');
  assert.match(String(res.headers['ratelimit-remaining']), /^\d+$/);
}

/** A v1.0 (Cloud Manager) success: plain application/json, never Deprecation/Sunset. */
export function expectV1(res: LightMyRequestResponse, status: number, body: unknown): void {
  assert.equal(res.statusCode, status, res.body);
  assert.equal(res.headers['content-type'], 'application/json');
  assert.equal(res.headers.deprecation, undefined);
  assert.equal(res.headers.sunset, undefined);
  assert.equal(res.headers['x-error-code'], undefined);
  assert.deepEqual(JSON.parse(res.body), body);
  assert.equal(res.body, JSON.stringify(body));
}

export interface InvitationFields {
  id: string;
  groupId: string;
  inviter: string;
  username: string;
  roles: string[];
  groupName?: string;
  createdAt?: string;
  expiresAt?: string;
}

/** GroupInvitation as Atlas sends it (alphabetical keys, no links). Dates default to the recorded instant. */
export function invitation(f: InvitationFields) {
  return {
    createdAt: f.createdAt ?? '2026-08-10T03:04:53Z',
    expiresAt: f.expiresAt ?? '2026-09-09T03:04:53Z',
    groupId: f.groupId,
    groupName: f.groupName ?? 'invitations-e2e-233',
    id: f.id,
    inviterUsername: f.inviter,
    roles: f.roles,
    username: f.username,
  };
}

export function idOf(res: LightMyRequestResponse): string {
  const id = (JSON.parse(res.body) as { id?: unknown }).id;
  assert.equal(typeof id, 'string', res.body);
  assert.match(id as string, /^[a-f0-9]{24}$/);
  return id as string;
}

/** Absolute links use the scheme and Host the client sent: light-my-request sends `localhost:80`. */
export const HOST = 'http://localhost:80';
const SUB_RESOURCES = ['containers', 'clusters', 'databaseUsers', 'peers', 'processes', 'whitelist'];

/** Group as Atlas sends it: a single project has 7 links, a list item only `self`. */
export function groupBody(g: { id: string; name: string; orgId: string; created?: string }, single: boolean) {
  const self = `${HOST}/api/atlas/v2/groups/${g.id}`;
  const links = [{ href: self, rel: 'self' }];
  if (single)
    for (const s of SUB_RESOURCES) links.push({ href: `${self}/${s}`, rel: `https://cloud.mongodb.com/${s}` });
  return {
    clusterCount: 0,
    created: g.created ?? '2026-08-10T03:04:53Z',
    id: g.id,
    links,
    name: g.name,
    orgId: g.orgId,
    withDefaultAlertsSettings: true,
  };
}

/** AtlasOrganization: a single org links groups/teams/users, a list item only `self`. */
export function orgBody(id: string, name: string, single: boolean) {
  const self = `${HOST}/api/atlas/v2/orgs/${id}`;
  const links = [{ href: self, rel: 'self' }];
  if (single)
    for (const s of ['groups', 'teams', 'users'])
      links.push({ href: `${self}/${s}`, rel: `https://cloud.mongodb.com/${s}` });
  return { id, isDeleted: false, links, name, skipDefaultAlertsSettings: false };
}
