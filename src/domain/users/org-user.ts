import type { GroupRoleAssignment } from '../invitations/invitation.ts';
import type { User } from './user.ts';

/**
 * A person's standing in one organization, as the users API sees it:
 * - ACTIVE: a member (org_memberships);
 * - PENDING: an organization invitation, unexpired;
 * - INVITATION_EXPIRED: a pending organization invitation past its `expiresAt`;
 * - INVITATION_REJECTED: a declined organization invitation.
 */
export const ORG_MEMBERSHIP_STATUSES = ['PENDING', 'ACTIVE', 'INVITATION_EXPIRED', 'INVITATION_REJECTED'] as const;
export type OrgMembershipStatus = (typeof ORG_MEMBERSHIP_STATUSES)[number];

/** Lists and lookups without `orgMembershipStatuses`: "ACTIVE and PENDING users". */
export const DEFAULT_STATUSES: readonly OrgMembershipStatus[] = ['ACTIVE', 'PENDING'];

/** The invitation behind a user who is not (yet) a member. */
export interface OrgUserInvitation {
  readonly id: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly inviterUsername: string;
}

export interface OrgUser {
  readonly user: User;
  readonly status: OrgMembershipStatus;
  readonly orgRoles: readonly string[];
  readonly teamIds: readonly string[];
  /** Active members: their project memberships; others: the invitation's project assignments. */
  readonly groupRoleAssignments: readonly GroupRoleAssignment[];
  /** Absent for ACTIVE users. */
  readonly invitation?: OrgUserInvitation;
}

/** A user as one project sees it: the project roles, from the membership or the org invitation. */
export interface GroupUser {
  readonly user: User;
  readonly status: OrgMembershipStatus;
  readonly roles: readonly string[];
  readonly invitation?: OrgUserInvitation;
}

export interface UserListQuery {
  /** Exact address, case-insensitive; undefined or empty: everyone. */
  readonly username?: string;
  readonly statuses: readonly OrgMembershipStatus[];
  readonly pageNum: number;
  readonly itemsPerPage: number;
}

export interface UserPage<T> {
  readonly items: T[];
  readonly total: number;
}
