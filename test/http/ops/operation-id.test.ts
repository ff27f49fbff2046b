import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildApp } from '../../../src/app.ts';
import { loadConfig } from '../../../src/config/config.ts';
import { createDeps } from '../../../src/deps.ts';
import { lookupOperationId, UNMATCHED } from '../../../src/http/ops/operation-id.ts';
import { SPEC_OPERATIONS } from '../../../src/http/ops/spec-operations.ts';
import { routesOf } from '../../fuzz/generator.ts';
import { specOperations } from '../../helpers/spec.ts';

test('the operationId table is the spec subset, operation for operation', () => {
  const fromSpec = Object.fromEntries([...specOperations()].map(([id, op]) => [`${op.method} ${op.path}`, id]));
  assert.deepEqual(SPEC_OPERATIONS, fromSpec);
});

test('every API route resolves to a spec operationId (v1.0 twins to their v2 operation)', async () => {
  const deps = await createDeps(loadConfig({ data: ':memory:', secretKey: '22'.repeat(32), controlPlane: true }));
  const app = buildApp(deps);
  await app.ready();
  // Back to Fastify's spelling: a literal colon doubled, `{name}` as `:name`.
  const routes = routesOf(app).map((r) => ({ method: r.method, url: r.path.replace(/:/g, '::').replace(/\{(\w+)\}/g, ':$1') }));
  await app.close();
  await deps.close();
  const api = routes.filter((r) => /^\/api\/(atlas|public)\//.test(r.url));
  assert.ok(api.length > 100, String(api.length));
  const unresolved = api.filter((r) => !Object.values(SPEC_OPERATIONS).includes(lookupOperationId(r.method, r.url)));
  assert.deepEqual(unresolved, []);
  assert.equal(lookupOperationId('GET', '/api/public/v1.0/groups/:groupId/invites/:invitationId'), 'getGroupInvite');
  assert.equal(lookupOperationId('HEAD', '/api/atlas/v2/groups/:groupId/invites'), 'listGroupInvites');
  assert.equal(lookupOperationId('POST', '/api/atlas/v2/groups/:groupId/users/:userId([^/:]+)::addRole'), 'addGroupUserRole');
  assert.equal(lookupOperationId('POST', '/api/atlas/v2/groups/:groupId/serviceAccounts/:clientId(^[^:/]+)::invite'), 'inviteGroupServiceAccount');
  // Routes outside the spec are named by their path; no route at all is "unmatched".
  assert.equal(lookupOperationId('POST', '/api/oauth/token'), '/api/oauth/token');
  assert.equal(lookupOperationId('GET', undefined), UNMATCHED);
});
