import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { principalForPublicKey } from '../../src/domain/api-keys/api-key.service.ts';
import type { Credentials, TestWorld } from '../helpers/app.ts';

/** Organization invitations and events, written out literally as Atlas sends them. */

export const ORG_DEPRECATION = 'Wed, 19 Feb 2025 00:00:00 GMT';
export const ORG_SUNSET = 'Thu, 1 Jul 2027 00:00:00 GMT';
export const ORG_NAME = 'Atlas CLI E2E';
/** RECORDED_NOW and 30 days later, as the recorded org invitation shows them. */
export const CREATED = '2026-08-10T03:04:53Z';
export const EXPIRES = '2026-09-09T03:04:53Z';
export const DELETE_MISSING = 'The invitation you tried to delete does not exist or has already been accepted.';

export interface OrgInvitationFields {
  id: string;
  orgId: string;
  username: string;
  roles: string[];
  inviter: string;
  orgName?: string;
  createdAt?: string;
  expiresAt?: string;
  groupRoleAssignments?: Array<{ groupId: string; groupRole: string }>;
  teamIds?: string[];
}

/** OrganizationInvitation (v2): alphabetical keys, no links (recorded). */
export function orgInvitation(f: OrgInvitationFields) {
  return {
    createdAt: f.createdAt ?? CREATED,
    expiresAt: f.expiresAt ?? EXPIRES,
    groupRoleAssignments: f.groupRoleAssignments ?? [],
    id: f.id,
    inviterUsername: f.inviter,
    orgId: f.orgId,
    orgName: f.orgName ?? ORG_NAME,
    roles: f.roles,
    teamIds: f.teamIds ?? [],
    username: f.username,
  };
}

/** Cloud Manager v1.0's organization invitation: no groupRoleAssignments. */
export function orgInvitationV1(f: OrgInvitationFields) {
  const { groupRoleAssignments: _, ...rest } = orgInvitation(f);
  return rest;
}

/** A v2 org-invitation success: versioned type, Deprecation 19 Feb 2025, Sunset, the org bucket (500), compact body. */
export function expectOrgInvite(res: LightMyRequestResponse, status: number, body: unknown): void {
  assert.equal(res.statusCode, status, res.body);
  assert.equal(res.headers['content-type'], 'application/vnd.atlas.2023-01-01+json;charset=utf-8');
  assert.equal(res.headers['x-error-code'], undefined);
  assert.equal(res.headers.deprecation, ORG_DEPRECATION);
  assert.equal(res.headers.sunset, ORG_SUNSET);
  assert.equal(res.headers['ratelimit-limit'], '500');
  assert.match(String(res.headers['ratelimit-remaining']), /^\d+$/);
  assert.deepEqual(JSON.parse(res.body), body);
  assert.equal(res.body, JSON.stringify(body), 'compact JSON, keys in Atlas order');
}

/** A v2 204 on the deprecated org-invitation resource: empty body, the success headers all the same. */
export function expectOrgInviteNoContent(res: LightMyRequestResponse): void {
  assert.equal(res.statusCode, 204, res.body);
  assert.equal(res.body, '');
  assert.equal(res.headers['content-type'], 'application/vnd.atlas.2023-01-01+json;charset=utf-8');
  assert.equal(res.headers.deprecation, ORG_DEPRECATION);
  assert.equal(res.headers.sunset, ORG_SUNSET);
  assert.equal(res.headers['ratelimit-limit'], '500');
}

export function idOf(res: LightMyRequestResponse): string {
  const id = (JSON.parse(res.body) as { id?: unknown }).id;
  assert.equal(typeof id, 'string', res.body);
  assert.match(id as string, /^[a-f0-9]{24}$/);
  return id as string;
}

/** The API key's id, as events carry it in `apiKeyId`. */
export async function apiKeyIdOf(w: TestWorld, creds: Credentials = w.owner): Promise<string> {
  const p = await principalForPublicKey(w.deps.ctx, creds.publicKey);
  assert.ok(p);
  return p.id;
}
