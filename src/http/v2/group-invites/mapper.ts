import type { ProjectInvitation } from '../../../domain/invitations/invitation.ts';
import { atlasDate } from '../../../lib/dates.ts';

/** GroupInvitation as Atlas sends it: alphabetical keys, no `links` (absent in real responses). */
export function toGroupInvitation(inv: ProjectInvitation) {
  return {
    createdAt: atlasDate(inv.createdAt),
    expiresAt: atlasDate(inv.expiresAt),
    groupId: inv.projectId,
    groupName: inv.projectName,
    id: inv.id,
    inviterUsername: inv.inviterUsername,
    roles: [...inv.roles],
    username: inv.username,
  };
}
