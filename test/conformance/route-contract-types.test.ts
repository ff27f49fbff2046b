import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FastifyReply } from 'fastify';
import { SPEC_ORG_ROLE } from '../../src/domain/roles/permissions.ts';
import { route, type Surface } from '../../src/http/route.ts';

/**
 * What a route contract promises its handler, checked by `tsc --noEmit` (the first step of
 * `npm test`): a line marked @ts-expect-error that compiles fails the build. The runtime part
 * checks the contract reaches the router's config.
 */
test('a contract types its handler: path params, body fields, and the role its permission names', () => {
  const registered: Array<{ method: string; url: string; config: unknown }> = [];
  const surface = {
    app: { route: (r: { method: string; url: string; config: unknown }) => registered.push(r) },
    prefix: '/api/atlas/v2',
  };
  const body = { fields: { name: 'string', tags: 'tags', id: 'ignored' }, required: ['name'] } as const;
  route(
    surface as unknown as Surface,
    {
      operationId: 'updateOrg',
      method: 'PATCH',
      path: '/orgs/:orgId',
      resource: { surface: 'v2' },
      permission: 'Organization Member',
      body,
    },
    async (call) => {
      const orgId: string = call.params.orgId;
      // @ts-expect-error: the path declares no groupId
      void call.params.groupId;
      const name: string = call.body.name;
      const tags: Array<{ key: string; value: string }> | undefined = call.body.tags;
      // @ts-expect-error: an ignored field is not in the body
      void call.body.id;
      // The role the service is asked for follows from the contract's permission.
      const required: 'ORG_MEMBER' = SPEC_ORG_ROLE[call.contract.permission];
      return { orgId, name, tags, required } as unknown as FastifyReply;
    },
  );
  route(
    surface as unknown as Surface,
    { operationId: 'listOrgs', method: 'GET', path: '/orgs', resource: { surface: 'v2' }, permission: 'Any caller' },
    async (call) => {
      // @ts-expect-error: 'Any caller' names no organization requirement
      void SPEC_ORG_ROLE[call.contract.permission];
      // @ts-expect-error: no body shape, no body
      void call.body.name;
      return undefined as unknown as FastifyReply;
    },
  );
  assert.deepEqual(
    registered.map((r) => [r.method, r.url, (r.config as { contract: { operationId: string } }).contract.operationId]),
    [
      ['PATCH', '/api/atlas/v2/orgs/:orgId', 'updateOrg'],
      ['GET', '/api/atlas/v2/orgs', 'listOrgs'],
    ],
  );
});
