/** Atlas: "Users have 30 days to accept"; expiresAt = createdAt + exactly 30 days. */
export const INVITATION_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;

export interface ProjectInvitation {
  readonly id: string;
  readonly orgId: string;
  readonly projectId: string;
  readonly projectName: string;
  readonly username: string;
  readonly roles: readonly string[];
  readonly inviterUsername: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}
