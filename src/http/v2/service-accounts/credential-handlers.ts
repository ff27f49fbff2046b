import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DomainContext } from '../../../domain/context.ts';
import type * as admin from '../../../domain/service-accounts/service-account-admin.service.ts';
import * as credentials from '../../../domain/service-accounts/service-account-credentials.service.ts';
import { pageQuery } from '../../params.ts';
import { sendEntity, sendNoContent } from '../../wire.ts';
import { toAccessListEntry, toServiceAccountSecret } from './mapper.ts';
import { ipAddressParam, pageBody, readAccessListEntries, readSecretRequest, secretIdParam } from './shared.ts';

/** How a surface (org or project) reads its path ids, checks the caller, and spells its own paths. */
export interface ScopeRoutes {
  open(request: FastifyRequest, need: admin.Need): Promise<admin.ScopeAccess>;
  clientIdOf(request: FastifyRequest): string;
  path(access: admin.ScopeAccess, rest?: string): string;
}

type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;

/**
 * The secret and access-list operations, the same under `/orgs/{orgId}/serviceAccounts` and
 * `/groups/{groupId}/serviceAccounts`; each surface's routes wrap them in handlers named after
 * their own operationIds.
 */
export function credentialHandlers(ctx: DomainContext, scope: ScopeRoutes, publicUrl?: string): Record<
  'createSecret' | 'deleteSecret' | 'listAccessList' | 'createAccessList' | 'deleteAccessListEntry',
  Handler
> {
  return {
    async createSecret(request, reply) {
      const clientId = scope.clientIdOf(request);
      const access = await scope.open(request, 'write');
      const hours = readSecretRequest(request.body);
      const created = await credentials.createSecretIn(ctx, access, clientId, hours);
      return sendEntity(request, reply, 201, toServiceAccountSecret(created.info, { id: created.info.id, secret: created.secret }));
    },
    async deleteSecret(request, reply) {
      const clientId = scope.clientIdOf(request);
      const secretId = secretIdParam(request);
      await credentials.deleteSecretIn(ctx, await scope.open(request, 'write'), clientId, secretId);
      return sendNoContent(request, reply);
    },
    async listAccessList(request, reply) {
      const clientId = scope.clientIdOf(request);
      const page = pageQuery(request);
      const access = await scope.open(request, 'read');
      const result = await credentials.accessListIn(ctx, access, clientId, page);
      const body = pageBody(request, publicUrl, scope.path(access, `/${clientId}/accessList`), page, result, toAccessListEntry);
      return sendEntity(request, reply, 200, body);
    },
    async createAccessList(request, reply) {
      const clientId = scope.clientIdOf(request);
      const page = pageQuery(request);
      const access = await scope.open(request, 'accessList');
      const entries = readAccessListEntries(request.body);
      const result = await credentials.addAccessListIn(ctx, access, clientId, entries, page);
      const body = pageBody(request, publicUrl, scope.path(access, `/${clientId}/accessList`), page, result, toAccessListEntry);
      return sendEntity(request, reply, 200, body);
    },
    async deleteAccessListEntry(request, reply) {
      const clientId = scope.clientIdOf(request);
      const block = ipAddressParam(request);
      const access = await scope.open(request, 'accessList');
      await credentials.removeAccessListEntryIn(ctx, access, clientId, block, request.ip);
      return sendNoContent(request, reply);
    },
  };
}
