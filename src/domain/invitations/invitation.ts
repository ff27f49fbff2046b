/** Atlas: "Users have 30 days to accept"; expiresAt = createdAt + exactly 30 days. */
export const INVITATION_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;

export interface GroupRoleAssignment {
  readonly groupId: string;
  readonly roles: readonly string[];
}

/**
 * One invitation, to a project or to an organization. Pending until accepted (then deleted, as in
 * Atlas), declined (kept as REJECTED for the users API) or past `expiresAt`.
 */
export interface Invitation {
  readonly id: string;
  readonly kind: 'project' | 'org';
  readonly orgId: string;
  readonly orgName: string;
  readonly projectId: string | null;
  readonly projectName: string | null;
  readonly username: string;
  readonly roles: readonly string[];
  readonly inviterUsername: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  /** The (pending) user this invitation is for. */
  readonly userId: string | null;
  readonly status: 'PENDING' | 'REJECTED';
  /** How it was made: the invitation endpoints, the users API, or alongside a project invitation. */
  readonly source: 'invites' | 'users' | 'project-invite';
  readonly teamIds: readonly string[];
  readonly groupRoleAssignments: readonly GroupRoleAssignment[];
}

export interface ProjectInvitation extends Invitation {
  readonly kind: 'project';
  readonly projectId: string;
  readonly projectName: string;
}

export interface OrgInvitation extends Invitation {
  readonly kind: 'org';
}

export function isExpired(inv: Invitation, now: Date): boolean {
  return inv.expiresAt.getTime() <= now.getTime();
}
