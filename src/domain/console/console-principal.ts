import { listMembershipsOfUser } from '../../storage/repositories/console.repository.ts';
import { listOrgProjectMembershipsOf } from '../../storage/repositories/org-directory.repository.ts';
import { findOrgMembership } from '../../storage/repositories/memberships.repository.ts';
import { findProject } from '../../storage/repositories/projects.repository.ts';
import type { Actor } from '../actor.ts';
import type { DomainContext } from '../context.ts';
import type { Principal } from '../principal.ts';
import type { User } from '../users/user.ts';

/**
 * A signed-in person as the services see them in one organization: their org roles and project
 * roles there, exactly what an API key with the same roles would hold, so every console action
 * passes the same role checks as the API (no console-only rules). Outside their organizations
 * they hold nothing, and the services answer as they answer any caller without the role.
 */
export async function personInOrg(ctx: DomainContext, user: User, orgId: string): Promise<Principal> {
  const membership = await findOrgMembership(ctx.db, orgId, user.id);
  const projects = membership ? await listOrgProjectMembershipsOf(ctx.db, orgId, [user.id]) : [];
  return {
    kind: 'user',
    id: user.id,
    username: user.username,
    orgId,
    orgRoles: new Set(membership?.roles ?? []),
    projectRoles: new Map(projects.map((p) => [p.projectId, new Set(p.roles)])),
  };
}

/** The person acting on a project: their standing in the project's organization. */
export async function personForProject(ctx: DomainContext, user: User, projectId: string): Promise<Principal> {
  const project = await findProject(ctx.db, projectId);
  return personInOrg(ctx, user, project?.orgId ?? '');
}

export function personActor(principal: Principal, remoteAddress: string, locale: string): Actor {
  return { principal, remoteAddress, locale };
}

/** The organizations a person belongs to (the console's home page). */
export function organizationsOf(ctx: DomainContext, user: User) {
  return listMembershipsOfUser(ctx.db, user.id);
}
