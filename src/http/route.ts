import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../domain/actor.ts';
import type { Principal } from '../domain/principal.ts';
import { atlasError } from '../errors/atlas-error.ts';
import { type BodyOf, type BodyShape, readBody } from './body-shape.ts';
import type { ResourceMeta } from './resources.ts';

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/**
 * Who may call an operation, in the spec's words (`x-rolesRequirements`): the conformance walk
 * checks each v2 contract against the spec. `Any caller` is an operation the spec names no role for
 * (the service answers with what the caller may see). Cloud Manager v1.0 has no such field; its
 * contracts name its documented role (`Project User Admin` for project invitations, `Organization
 * Owner` for organization invitations). The domain service enforces it: a handler passes
 * `call.contract.permission` on where the service asks which role it needs.
 */
export type Permission =
  | 'Any caller'
  | 'Organization Owner'
  | 'Organization Member'
  | 'Organization Read Only'
  | 'Project Owner'
  | 'Project Access Manager'
  | 'Project Read Only'
  | 'Project User Admin';

/** One operation: everything the server needs to route, authenticate, limit and parse it. */
export interface RouteContract<
  P extends string = string,
  S extends BodyShape | undefined = BodyShape | undefined,
  R extends Permission = Permission,
> {
  /** The spec's operationId (Cloud Manager v1.0 routes reuse the v2 operation's). */
  readonly operationId: string;
  readonly method: Method;
  /** Below the surface prefix, in Fastify syntax: `/groups/:groupId/invites`. */
  readonly path: P;
  readonly resource: ResourceMeta;
  readonly permission: R;
  /** The request body's shape; the handler receives the body typed from it. */
  readonly body?: S;
  /** createGroupInvite / createOrgInvite: Atlas's per-address invitation limit applies. */
  readonly throttleInvitations?: boolean;
}

type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;
/** The path parameters a route path declares, as the router hands them over (undecoded strings). */
export type PathParams<P extends string> = { readonly [K in ParamNames<P>]: string };

/** What a handler works with: the caller (authenticated by the API hooks), typed params and body. */
export interface Call<P extends string, S extends BodyShape | undefined, R extends Permission = Permission> {
  readonly request: FastifyRequest;
  readonly contract: RouteContract<P, S, R>;
  readonly params: PathParams<P>;
  readonly body: S extends BodyShape ? BodyOf<S> : undefined;
  readonly principal: Principal;
  readonly actor: Actor;
}

export type Handler<P extends string, S extends BodyShape | undefined, R extends Permission = Permission> = (
  call: Call<P, S, R>,
  reply: FastifyReply,
) => Promise<FastifyReply>;

/** Routes served on one API surface (`/api/atlas/v2`, `/api/public/v1.0`), all declared by contract. */
export interface Surface {
  readonly app: FastifyInstance;
  readonly prefix: string;
}

/**
 * Serves one operation under its contract. The contract rides in the route's `config`, where the
 * API hooks (authentication, version, rate limit), the route table and the conformance walk read it.
 */
export function route<
  const P extends string,
  const S extends BodyShape | undefined = undefined,
  const R extends Permission = Permission,
>(surface: Surface, contract: RouteContract<P, S, R>, handler: Handler<P, S, R>): void {
  const { body: shape } = contract;
  surface.app.route({
    method: contract.method,
    url: `${surface.prefix}${contract.path}`,
    config: { resource: contract.resource, throttleInvitations: contract.throttleInvitations, contract },
    handler: (request, reply) => {
      const principal = request.principal;
      // The API hooks answer every unauthenticated request with a challenge before routing.
      if (!principal) throw atlasError('UNEXPECTED_ERROR');
      let body: Call<P, S, R>['body'] | null = null;
      const call: Call<P, S, R> = {
        request,
        contract,
        params: request.params as PathParams<P>,
        // Read when the handler first asks, after it has checked the path ids: Atlas answers a bad
        // id (404) before a bad body (400).
        get body() {
          body ??= (shape === undefined ? undefined : readBody(request.body, shape)) as Call<P, S, R>['body'];
          return body;
        },
        principal,
        actor: { principal, remoteAddress: request.ip },
      };
      return handler(call, reply);
    },
  });
}
