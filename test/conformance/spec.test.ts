import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { FACTS, specOperationDetails } from '../helpers/spec.ts';
import { after, before, test } from 'node:test';
import { ERRORS } from '../../src/errors/codes.ts';
import { type TestWorld, testWorld } from '../helpers/app.ts';

const METHODS = new Set(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']);

/** A spec path in Fastify's words without its regexes: `{x}` → `:x`, so `{userId}:addRole` → `:userId:addRole`. */
const specUrl = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');
/** A registered URL the same way: regex constraints dropped, an escaped `::` back to `:`. */
const routeUrl = (url: string) => url.replace(/\([^)]*\)/g, '').replace(/::/g, ':');

/** The spec subset's operations this server leaves out on purpose (docs/adr/0015): they answer 404 RESOURCE_NOT_FOUND. */
const NOT_SERVED: Record<string, string> = {
  createOrg:
    'creates an organization under a paying one, with its own first key or service account: billing and federation are not emulated',
  deleteOrg:
    'removes an organization with its keys, service accounts and members; an emulated org is removed by starting a fresh store',
};

let w: TestWorld;
before(async () => {
  w = await testWorld();
});
after(() => w.close());

function apiRoutes(prefix: string) {
  return w.app.routeTable.filter((r) => METHODS.has(r.method) && (r.url === prefix || r.url.startsWith(`${prefix}/`)));
}

/**
 * The walk over what is actually registered: every v2 route declares a contract naming a spec
 * operation at that method and path with the spec's role requirement, and every operation of the
 * spec subset is served once. Nothing is hand-listed, so a new route without a contract, or a
 * contract that drifts from the spec, fails here.
 */
test('the route table and the spec agree, operation by operation', (t) => {
  const spec = new Map(specOperationDetails().map((op) => [op.operationId, op]));
  const served = new Map<string, string>();
  const rows: string[] = [];
  for (const r of apiRoutes('/api/atlas/v2')) {
    const contract = r.config.contract;
    assert.ok(contract, `${r.method} ${r.url} is served without a route contract`);
    const op = spec.get(contract.operationId);
    assert.ok(op, `${contract.operationId} (${r.method} ${r.url}) is not an operation of the spec subset`);
    assert.equal(r.method, op.method, `${op.operationId}: method`);
    assert.equal(routeUrl(r.url), specUrl(op.path), `${op.operationId}: path`);
    assert.equal(contract.permission, op.roles[0] ?? 'Any caller', `${op.operationId}: permission`);
    assert.ok(!served.has(op.operationId), `${op.operationId} is served twice`);
    served.set(op.operationId, r.url);
    const bucket = r.config.resource?.bucket?.spec.name ?? '-';
    rows.push(
      `${op.operationId.padEnd(42)} ${r.method.padEnd(6)} ${contract.permission.padEnd(24)} ${bucket.padEnd(20)} ${r.url.replace('/api/atlas/v2', '')}`,
    );
  }
  const missing = [...spec.keys()].filter((id) => !served.has(id));
  assert.deepEqual(missing, Object.keys(NOT_SERVED), 'operations of the spec subset with no route');
  t.diagnostic(`route table (v2, ${rows.length} operations):\n${rows.join('\n')}`);
});

test('every Cloud Manager v1.0 route declares a contract naming a spec operation', () => {
  const spec = new Map(specOperationDetails().map((op) => [op.operationId, op]));
  const v1 = apiRoutes('/api/public/v1.0');
  assert.ok(v1.length >= 12, `only ${v1.length} v1.0 routes`);
  for (const r of v1) {
    const contract = r.config.contract;
    assert.ok(contract, `${r.method} ${r.url} is served without a route contract`);
    assert.ok(spec.has(contract.operationId), `${contract.operationId} is not a spec operation`);
    assert.equal(r.method, contract.method);
  }
});

test('the twelve invitation operations are served on Cloud Manager v1.0 too, at the v2 paths', () => {
  const v1 = new Set(
    apiRoutes('/api/public/v1.0').map(
      (r) => `${r.config.contract?.operationId} ${routeUrl(r.url).replace('/api/public/v1.0', '')}`,
    ),
  );
  const invitations = specOperationDetails().filter((op) =>
    /^(list|create|update|get|delete)(Group|Org)Invite/.test(op.operationId),
  );
  assert.equal(invitations.length, 12);
  for (const op of invitations) {
    const path = specUrl(op.path).replace('/api/atlas/v2', '');
    assert.ok(v1.has(`${op.operationId} ${path}`), `${op.operationId}: no v1.0 route at ${path}`);
  }
});

/** Codes Atlas answers with that api-facts.md does not list, each with where it was seen. */
const CITED_ELSEWHERE: Record<string, string> = {
  GROUP_ALREADY_EXISTS: 'terraform-provider-mongodbatlas #707; cloudformation-resources #847',
  INVITATIONS_RATE_LIMITED_IP: 'terraform-provider-mongodbatlas #1589 (the catalogue says RATE_LIMITED_IP)',
  API_KEY_NOT_FOUND: 'Atlas API error catalogue (400)',
  API_KEY_REQUIRES_DESCRIPTION: 'Atlas API error catalogue',
  INVALID_API_KEY_DESC: 'Atlas API error catalogue',
  MISSING_API_KEY_ROLES: 'Atlas API error catalogue',
  MISSING_ONE_OF_ATTRIBUTES: 'Atlas API error catalogue',
  PATH_PARAM_PARSE_ERROR: 'terraform-provider-mongodbatlas #2317',
  INVALID_IP_ADDRESS_OR_CIDR_NOTATION: 'Atlas Kubernetes operator docs (project access list)',
  CANNOT_REMOVE_CALLER_FROM_ACCESS_LIST: 'mongodb-atlas-cli e2e recordings',
  API_KEY_ACCESS_LIST_ACCESS_DENIED: 'terraform-provider-mongodbatlas #3657',
};

test('every error code in the registry is one Atlas has: in the implementer reference, or cited', () => {
  for (const def of Object.values(ERRORS)) {
    const cited = FACTS.includes(def.errorCode) || def.errorCode in CITED_ELSEWHERE;
    assert.ok(cited, `${def.errorCode} is neither in api-facts.md nor cited`);
  }
});

test('every error code and status the registry can send has a row in docs/error-codes.md', () => {
  const doc = readFileSync(new URL('../../docs/error-codes.md', import.meta.url), 'utf8');
  const rows = doc.split('\n').filter((l) => l.startsWith('| `'));
  for (const def of Object.values(ERRORS)) {
    const row = rows.find(
      (r) => r.split('|')[1].includes(`\`${def.errorCode}\``) && r.split('|')[2].trim() === String(def.status),
    );
    assert.ok(row, `${def.errorCode} (${def.status}) has no row in docs/error-codes.md`);
  }
});
