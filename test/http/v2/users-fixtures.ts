import assert from 'node:assert/strict';
import { STATUS_CODES } from 'node:http';
import type { LightMyRequestResponse } from 'fastify';
import { acceptInvitation, declineInvitation } from '../../../src/domain/invitations/lifecycle.service.ts';
import { listEvents } from '../../../src/storage/repositories/events.repository.ts';
import type { TestWorld } from '../../helpers/app.ts';
import { tokenFromMail } from '../../lifecycle/accept-races.ts';
import { HOST } from '../expect.ts';

/** Shared by the users API tests: the 2025-02-19 and 2023-01-01 wire, bodies written out, the invitee's side. */

export const V25 = 'application/vnd.atlas.2025-02-19+json';
export const V23 = 'application/vnd.atlas.2023-01-01+json';
export const AT = '2026-08-10T03:04:53Z';
export const EXPIRES = '2026-09-09T03:04:53Z';
export const DAY = 24 * 3600 * 1000;

/** A 2025-02-19 success: its content type, no Deprecation/Sunset, the users bucket's limit, the exact body. */
export function expectV25(res: LightMyRequestResponse, status: number, body: unknown, limit: '500' | '1200'): void {
  assert.equal(res.statusCode, status, res.body);
  assert.equal(res.headers['content-type'], 'application/vnd.atlas.2025-02-19+json;charset=utf-8');
  assert.equal(res.headers.deprecation, undefined);
  assert.equal(res.headers.sunset, undefined);
  assert.equal(res.headers['x-error-code'], undefined);
  assert.equal(res.headers['ratelimit-limit'], limit);
  if (status === 204) {
    assert.equal(res.body, '');
    return;
  }
  assert.deepEqual(JSON.parse(res.body), body);
  assert.equal(res.body, JSON.stringify(body), 'compact JSON, keys in Atlas order');
}

/** A 2023-01-01 success of a users resource: deprecated on 19 Feb 2025, sunset 1 Jul 2027. */
export function expectLegacy(res: LightMyRequestResponse, status: number, body: unknown, limit: '500' | '1200'): void {
  assert.equal(res.statusCode, status, res.body);
  assert.equal(res.headers['content-type'], 'application/vnd.atlas.2023-01-01+json;charset=utf-8');
  assert.equal(res.headers.deprecation, 'Wed, 19 Feb 2025 00:00:00 GMT');
  assert.equal(res.headers.sunset, 'Thu, 1 Jul 2027 00:00:00 GMT');
  assert.equal(res.headers['ratelimit-limit'], limit);
  if (status === 204) {
    assert.equal(res.body, '');
    return;
  }
  assert.equal(res.body, JSON.stringify(body));
}

export interface Assignment {
  groupId: string;
  groupRoles: string[];
}

export function pendingOrgUser(u: {
  id: string;
  username: string;
  orgRoles: string[];
  groupRoleAssignments?: Assignment[];
  status?: 'PENDING' | 'INVITATION_EXPIRED' | 'INVITATION_REJECTED';
  createdAt?: string;
  expiresAt?: string | null;
  inviter: string;
}) {
  return {
    id: u.id,
    invitationCreatedAt: u.createdAt ?? AT,
    invitationExpiresAt: u.expiresAt === undefined ? EXPIRES : u.expiresAt,
    inviterUsername: u.inviter,
    orgMembershipStatus: u.status ?? 'PENDING',
    roles: { groupRoleAssignments: u.groupRoleAssignments ?? [], orgRoles: u.orgRoles },
    teamIds: [],
    username: u.username,
  };
}

export function activeOrgUser(u: {
  id: string;
  username: string;
  orgRoles: string[];
  groupRoleAssignments?: Assignment[];
  createdAt?: string;
}) {
  return {
    createdAt: u.createdAt ?? AT,
    id: u.id,
    mobileNumber: null,
    orgMembershipStatus: 'ACTIVE',
    roles: { groupRoleAssignments: u.groupRoleAssignments ?? [], orgRoles: u.orgRoles },
    teamIds: [],
    username: u.username,
  };
}

export function pendingGroupUser(u: {
  id: string;
  username: string;
  roles: string[];
  inviter: string;
  status?: 'PENDING' | 'INVITATION_EXPIRED' | 'INVITATION_REJECTED';
  createdAt?: string;
  expiresAt?: string | null;
}) {
  return {
    id: u.id,
    invitationCreatedAt: u.createdAt ?? AT,
    invitationExpiresAt: u.expiresAt === undefined ? EXPIRES : u.expiresAt,
    inviterUsername: u.inviter,
    orgMembershipStatus: u.status ?? 'PENDING',
    roles: u.roles,
    username: u.username,
  };
}

export function activeGroupUser(u: { id: string; username: string; roles: string[]; createdAt?: string }) {
  return {
    createdAt: u.createdAt ?? AT,
    id: u.id,
    mobileNumber: null,
    orgMembershipStatus: 'ACTIVE',
    roles: u.roles,
    username: u.username,
  };
}

/** CloudAppUser (2023-01-01 lists). */
export function cloudAppUser(u: {
  id: string;
  username: string;
  roles: Array<{ groupId?: string; orgId?: string; roleName: string }>;
  createdAt?: string;
}) {
  const self = `${HOST}/api/atlas/v2/users/${u.id}`;
  return {
    createdAt: u.createdAt ?? AT,
    emailAddress: u.username,
    id: u.id,
    links: [
      { href: self, rel: 'self' },
      { href: `${self}/whitelist`, rel: 'https://cloud.mongodb.com/whitelist' },
      { href: `${self}/accessList`, rel: 'https://cloud.mongodb.com/accessList' },
    ],
    roles: u.roles,
    teamIds: [],
    username: u.username,
  };
}

/** The invitee follows the mailed link. */
export async function accept(w: TestWorld, username: string): Promise<void> {
  await acceptInvitation(w.deps.ctx, { token: await tokenFromMail(w, username) });
}

export async function decline(w: TestWorld, username: string): Promise<void> {
  await declineInvitation(w.deps.ctx, { token: await tokenFromMail(w, username) });
}

/** Event types, oldest first, of the org feed (projectId undefined) or a project's feed. */
export async function eventTypes(w: TestWorld, where: { orgId?: string; projectId?: string }): Promise<string[]> {
  const { items } = await listEvents(w.deps.ctx.db, { ...where, offset: 0, limit: 500 });
  return items.map((e) => e.eventType).reverse();
}

export function idOfBody(res: LightMyRequestResponse): string {
  return (JSON.parse(res.body) as { id: string }).id;
}

/** An ApiError of any status (expect.ts knows the reasons of 400/401/404/406/409 only). */
export function expectError(
  res: LightMyRequestResponse,
  status: number,
  errorCode: string,
  detail: string,
  parameters: Array<string | number> = [],
): void {
  assert.equal(res.statusCode, status, res.body);
  assert.equal(res.headers['content-type'], 'application/json');
  assert.equal(res.headers['x-error-code'], errorCode);
  assert.equal(res.headers.deprecation, undefined);
  assert.equal(res.headers['ratelimit-limit'], undefined);
  assert.equal(
    res.body,
    JSON.stringify({ detail, error: status, errorCode, parameters, reason: STATUS_CODES[status] }),
  );
}
