import type { GroupRoleAssignment } from '../../../domain/invitations/invitation.ts';
import type { GroupUser, OrgUser, OrgUserInvitation } from '../../../domain/users/org-user.ts';
import type { User } from '../../../domain/users/user.ts';
import { atlasDate } from '../../../lib/dates.ts';

/**
 * The users API's shapes, keys in Atlas's (alphabetical) order. Recorded (SNAP-MISC): ACTIVE users
 * carry `"mobileNumber":null`; PENDING ones carry the invitation's dates and inviter and no account
 * fields; `id` is always the user's id. `country`, `lastAuth` and unknown names are left out (this
 * server has no sign-ins or profiles), as Atlas leaves out nulls other than `mobileNumber`.
 */

const assignments = (list: readonly GroupRoleAssignment[]) =>
  list.map((a) => ({ groupId: a.groupId, groupRoles: [...a.roles] }));

/** The account fields of an ACTIVE user, up to (not including) `orgMembershipStatus`. */
function account(user: User) {
  return {
    createdAt: atlasDate(user.createdAt),
    ...(user.firstName !== null ? { firstName: user.firstName } : {}),
    id: user.id,
    ...(user.lastName !== null ? { lastName: user.lastName } : {}),
    mobileNumber: null,
  };
}

/** The invitation fields of a non-member; `invitationExpiresAt` is null for a declined invitation. */
function pending(user: User, inv: OrgUserInvitation | undefined, rejected: boolean) {
  return {
    id: user.id,
    invitationCreatedAt: inv ? atlasDate(inv.createdAt) : null,
    invitationExpiresAt: inv && !rejected ? atlasDate(inv.expiresAt) : null,
    inviterUsername: inv?.inviterUsername ?? null,
  };
}

/** OrgUserResponse (2025-02-19): OrgActiveUserResponse or OrgPendingUserResponse. */
export function toOrgUser(u: OrgUser) {
  const head =
    u.status === 'ACTIVE' ? account(u.user) : pending(u.user, u.invitation, u.status === 'INVITATION_REJECTED');
  return {
    ...head,
    orgMembershipStatus: u.status,
    roles: { groupRoleAssignments: assignments(u.groupRoleAssignments), orgRoles: [...u.orgRoles] },
    teamIds: [...u.teamIds],
    username: u.user.username,
  };
}

/** GroupUserResponse (2025-02-19): GroupActiveUserResponse or GroupPendingUserResponse; no teamIds. */
export function toGroupUser(u: GroupUser) {
  const head =
    u.status === 'ACTIVE' ? account(u.user) : pending(u.user, u.invitation, u.status === 'INVITATION_REJECTED');
  return { ...head, orgMembershipStatus: u.status, roles: [...u.roles], username: u.user.username };
}

/**
 * CloudAppUser (2023-01-01 lists, active members only), as the recorded getUser answers it:
 * `emailAddress` repeats the username, `links` are the user's self/whitelist/accessList, `roles`
 * are the user's project roles in this organization's projects, then the org roles.
 */
export function toCloudAppUser(u: OrgUser, orgId: string, base: string) {
  const self = `${base}/api/atlas/v2/users/${u.user.id}`;
  return {
    createdAt: atlasDate(u.user.createdAt),
    emailAddress: u.user.username,
    ...(u.user.firstName !== null ? { firstName: u.user.firstName } : {}),
    id: u.user.id,
    ...(u.user.lastName !== null ? { lastName: u.user.lastName } : {}),
    links: [
      { href: self, rel: 'self' },
      { href: `${self}/whitelist`, rel: 'https://cloud.mongodb.com/whitelist' },
      { href: `${self}/accessList`, rel: 'https://cloud.mongodb.com/accessList' },
    ],
    roles: [
      ...u.groupRoleAssignments.flatMap((a) => a.roles.map((roleName) => ({ groupId: a.groupId, roleName }))),
      ...u.orgRoles.map((roleName) => ({ orgId, roleName })),
    ],
    teamIds: [...u.teamIds],
    username: u.user.username,
  };
}
