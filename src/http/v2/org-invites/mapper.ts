import type { OrgInvitation } from '../../../domain/invitations/invitation.ts';
import { atlasDate } from '../../../lib/dates.ts';

/**
 * OrganizationInvitation as Atlas v2 sends it (recorded): alphabetical keys, no `links`, and
 * `groupRoleAssignments` as one `{groupId, groupRole}` per project and role (requests carry
 * `{groupId, roles}`; the response schema's GroupRole has a single role).
 */
export function toOrgInvitation(inv: OrgInvitation) {
  return {
    createdAt: atlasDate(inv.createdAt),
    expiresAt: atlasDate(inv.expiresAt),
    groupRoleAssignments: inv.groupRoleAssignments.flatMap((a) =>
      a.roles.map((groupRole) => ({ groupId: a.groupId, groupRole })),
    ),
    id: inv.id,
    inviterUsername: inv.inviterUsername,
    orgId: inv.orgId,
    orgName: inv.orgName,
    roles: [...inv.roles],
    teamIds: [...inv.teamIds],
    username: inv.username,
  };
}

/** Cloud Manager v1.0's organization invitation: the same fields without `groupRoleAssignments` (CM docs, Go client). */
export function toOrgInvitationV1(inv: OrgInvitation) {
  const { groupRoleAssignments: _, ...rest } = toOrgInvitation(inv);
  return rest;
}
