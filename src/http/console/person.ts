import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../domain/actor.ts';
import { personActor, personForProject, personInOrg } from '../../domain/console/console-principal.ts';
import type { DomainContext } from '../../domain/context.ts';
import type { Principal } from '../../domain/principal.ts';
import type { User } from '../../domain/users/user.ts';

/** Thrown by handlers that need a signed-in person; the error handler sends them to sign in. */
export class SignInRequired extends Error {
  readonly next: string;
  constructor(next: string) {
    super('sign in required');
    this.next = next;
  }
}

export function userOf(request: FastifyRequest): User {
  const user = request.console.user;
  if (!user) throw new SignInRequired(request.method === 'GET' ? request.url : '/console/');
  return user;
}

export interface PersonInScope {
  readonly user: User;
  readonly principal: Principal;
  readonly actor: Actor;
}

/** The signed-in person as the services see them in an organization or a project's organization. */
export async function personIn(
  ctx: DomainContext,
  request: FastifyRequest,
  scope: { orgId: string } | { projectId: string },
): Promise<PersonInScope> {
  const user = userOf(request);
  const principal =
    'orgId' in scope ? await personInOrg(ctx, user, scope.orgId) : await personForProject(ctx, user, scope.projectId);
  return { user, principal, actor: personActor(principal, request.ip, request.console.locale) };
}
