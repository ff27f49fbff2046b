import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FastifyRequest } from 'fastify';
import { operationIdOf, UNMATCHED } from '../../../src/http/ops/operation-id.ts';
import type { RouteContract } from '../../../src/http/route.ts';

const requestOn = (url: string | undefined, contract?: Partial<RouteContract>) =>
  ({ routeOptions: { url, config: contract ? { contract } : {} } }) as unknown as FastifyRequest;

test('a request is named by its route contract, else by its route path, else unmatched', () => {
  // Every API route declares a contract (test/conformance/spec.test.ts walks them): v1.0 twins share the v2 id.
  assert.equal(
    operationIdOf(
      requestOn('/api/public/v1.0/groups/:groupId/invites/:invitationId', { operationId: 'getGroupInvite' }),
    ),
    'getGroupInvite',
  );
  assert.equal(operationIdOf(requestOn('/api/oauth/token')), '/api/oauth/token');
  assert.equal(
    operationIdOf(requestOn('/api/atlas/v2/groups/:groupId/users/:userId([^/:]+)::addRole')),
    '/api/atlas/v2/groups/{groupId}/users/{userId}:addRole',
  );
  assert.equal(operationIdOf(requestOn(undefined)), UNMATCHED);
});
