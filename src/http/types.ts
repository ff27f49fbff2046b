import type { Principal } from '../domain/principal.ts';
import type { ResourceMeta } from './resources.ts';
import type { RouteContract } from './route.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    /** The v2 resource version the Accept header resolved to. */
    apiVersion: string | null;
    rateLimit: { limit: number; remaining: number } | null;
    /** The per-address invitation limit gave this request a token (given back unless an invitation is made). */
    invitationTokenTaken: boolean;
  }
  interface FastifyContextConfig {
    resource?: ResourceMeta;
    /** createGroupInvite / createOrgInvite: Atlas's per-address invitation limit applies. */
    throttleInvitations?: boolean;
    /** The operation's contract (every API route has one; see route.ts). */
    contract?: RouteContract;
  }
}
