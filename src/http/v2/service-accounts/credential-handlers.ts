import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DomainContext } from '../../../domain/context.ts';
import type { Principal } from '../../../domain/principal.ts';
import type * as admin from '../../../domain/service-accounts/service-account-admin.service.ts';
import * as credentials from '../../../domain/service-accounts/service-account-credentials.service.ts';
import { pageQuery } from '../../params.ts';
import type { ResourceMeta } from '../../resources.ts';
import { type Method, type Permission, route, type Surface } from '../../route.ts';
import { sendEntity, sendNoContent } from '../../wire.ts';
import { toAccessListEntry, toServiceAccountSecret } from './mapper.ts';
import { ipAddressParam, pageBody, readAccessListEntries, readSecretRequest, secretIdParam } from './shared.ts';

/** What the shared handlers read of a route's call, whichever surface's path declared its params. */
export interface ScopeCall {
  readonly request: FastifyRequest;
  readonly params: unknown;
  readonly principal: Principal;
}

/** How a surface (org or project) reads its path ids, checks the caller, and spells its own paths. */
export interface ScopeRoutes {
  open(call: ScopeCall, need: admin.Need): Promise<admin.ScopeAccess>;
  clientIdOf(call: ScopeCall): string;
  path(access: admin.ScopeAccess, rest?: string): string;
}

type Handler = (call: ScopeCall, reply: FastifyReply) => Promise<FastifyReply>;
type CredentialOperation =
  'createSecret' | 'deleteSecret' | 'listAccessList' | 'createAccessList' | 'deleteAccessListEntry';

/** Each credential operation's method and path below the service account's, in registration order. */
const ROUTES = {
  createSecret: ['POST', '/secrets'],
  deleteSecret: ['DELETE', '/secrets/:secretId'],
  listAccessList: ['GET', '/accessList'],
  createAccessList: ['POST', '/accessList'],
  deleteAccessListEntry: ['DELETE', '/accessList/:ipAddress'],
} as const satisfies Record<CredentialOperation, readonly [Method, string]>;

/** Where a surface serves the credential operations, and under which operationIds and requirements. */
export interface CredentialRoutes {
  /** The service account's own path: `/orgs/:orgId/serviceAccounts/:clientId` or the project's. */
  readonly account: string;
  readonly resource: ResourceMeta;
  readonly operations: Record<CredentialOperation, readonly [operationId: string, permission: Permission]>;
}

/**
 * Serves the secret and access-list operations of one surface, each under its own contract.
 * Their bodies are special (readSecretRequest, readAccessListEntries), so no contract declares a shape.
 */
export function routeCredentials(
  api: Surface,
  ctx: DomainContext,
  scope: ScopeRoutes,
  routes: CredentialRoutes,
  publicUrl?: string,
): void {
  const handlers = credentialHandlers(ctx, scope, publicUrl);
  for (const key of Object.keys(ROUTES) as CredentialOperation[]) {
    const [method, rest] = ROUTES[key];
    const [operationId, permission] = routes.operations[key];
    const contract = { operationId, method, path: `${routes.account}${rest}`, resource: routes.resource, permission };
    route(api, contract, (call, reply) => handlers[key](call, reply));
  }
}

/**
 * The secret and access-list operations, the same under `/orgs/{orgId}/serviceAccounts` and
 * `/groups/{groupId}/serviceAccounts`.
 */
function credentialHandlers(
  ctx: DomainContext,
  scope: ScopeRoutes,
  publicUrl?: string,
): Record<CredentialOperation, Handler> {
  return {
    async createSecret(call, reply) {
      const clientId = scope.clientIdOf(call);
      const access = await scope.open(call, 'write');
      const hours = readSecretRequest(call.request.body);
      const created = await credentials.createSecretIn(ctx, access, clientId, hours);
      return sendEntity(
        call.request,
        reply,
        201,
        toServiceAccountSecret(created.info, { id: created.info.id, secret: created.secret }),
      );
    },
    async deleteSecret(call, reply) {
      const clientId = scope.clientIdOf(call);
      const secretId = secretIdParam(call);
      await credentials.deleteSecretIn(ctx, await scope.open(call, 'write'), clientId, secretId);
      return sendNoContent(call.request, reply);
    },
    async listAccessList(call, reply) {
      const { request } = call;
      const clientId = scope.clientIdOf(call);
      const page = pageQuery(request);
      const access = await scope.open(call, 'read');
      const result = await credentials.accessListIn(ctx, access, clientId, page);
      const body = pageBody(
        request,
        publicUrl,
        scope.path(access, `/${clientId}/accessList`),
        page,
        result,
        toAccessListEntry,
      );
      return sendEntity(request, reply, 200, body);
    },
    async createAccessList(call, reply) {
      const { request } = call;
      const clientId = scope.clientIdOf(call);
      const page = pageQuery(request);
      const access = await scope.open(call, 'accessList');
      const entries = readAccessListEntries(request.body);
      const result = await credentials.addAccessListIn(ctx, access, clientId, entries, page);
      const body = pageBody(
        request,
        publicUrl,
        scope.path(access, `/${clientId}/accessList`),
        page,
        result,
        toAccessListEntry,
      );
      return sendEntity(request, reply, 200, body);
    },
    async deleteAccessListEntry(call, reply) {
      const clientId = scope.clientIdOf(call);
      const block = ipAddressParam(call);
      const access = await scope.open(call, 'accessList');
      await credentials.removeAccessListEntryIn(ctx, access, clientId, block, call.request.ip);
      return sendNoContent(call.request, reply);
    },
  };
}
