import assert from 'node:assert/strict';
import { FACTS, specOperations } from '../helpers/spec.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { ERRORS } from '../../src/errors/codes.ts';
import { type TestWorld, testWorld } from '../helpers/app.ts';



/** The operations issue 3 serves on v2. Their v1.0 twins are checked by the HTTP tests. */
const SERVED = [
  'getSystemStatus',
  'listOrgs',
  'getOrg',
  'getOrgGroups',
  'listGroups',
  'createGroup',
  'getGroup',
  'updateGroup',
  'deleteGroup',
  'listGroupInvites',
  'createGroupInvite',
  'updateGroupInvites',
  'getGroupInvite',
  'updateGroupInviteById',
  'deleteGroupInvite',
  // Access control (issue 4)
  'listOrgApiKeys',
  'createOrgApiKey',
  'getOrgApiKey',
  'updateOrgApiKey',
  'deleteOrgApiKey',
  'listGroupApiKeys',
  'createGroupApiKey',
  'addGroupApiKey',
  'updateGroupApiKeyRoles',
  'removeGroupApiKey',
  'listOrgApiKeyAccessListEntries',
  'createOrgApiKeyAccessListEntry',
  'getOrgApiKeyAccessListEntry',
  'deleteOrgApiKeyAccessListEntry',
  'listOrgServiceAccounts',
  'createOrgServiceAccount',
  'getOrgServiceAccount',
  'updateOrgServiceAccount',
  'deleteOrgServiceAccount',
  'getOrgServiceAccountGroups',
  'createOrgServiceAccountSecret',
  'deleteOrgServiceAccountSecret',
  'listOrgServiceAccountAccessList',
  'createOrgServiceAccountAccessList',
  'deleteOrgServiceAccountAccessListEntry',
  'listGroupServiceAccounts',
  'createGroupServiceAccount',
  'getGroupServiceAccount',
  'updateGroupServiceAccount',
  'deleteGroupServiceAccount',
  'createGroupServiceAccountSecret',
  'deleteGroupServiceAccountSecret',
  'listGroupServiceAccountAccessList',
  'createGroupServiceAccountAccessList',
  'deleteGroupServiceAccountAccessListEntry',
  'inviteGroupServiceAccount',
  'listRateLimits',
  'getRateLimit',
];

/** Fastify spelling of a spec path: `{x}` → `:x`; a custom method `{clientId}:invite` needs its own form. */
function routeUrl(path: string): string {
  if (path.endsWith('{clientId}:invite')) return path.replace('{clientId}:invite', ':clientId(^[^:/]+)::invite').replace(/\{(\w+)\}/g, ':$1');
  return path.replace(/\{(\w+)\}/g, ':$1');
}

let w: TestWorld;
before(async () => {
  w = await testWorld();
});
after(() => w.close());

test('every served operationId exists in the spec and has a route at its method and path', () => {
  const ops = specOperations();
  for (const id of SERVED) {
    const op = ops.get(id);
    assert.ok(op, `${id} is not in the spec subset`);
    const url = routeUrl(op.path);
    assert.ok(w.app.hasRoute({ method: op.method as 'GET', url }), `${id}: no route for ${op.method} ${url}`);
  }
});

test('route handlers carry their operationId as their name', () => {
  const dir = new URL('../../src/http/v2/', import.meta.url);
  const source = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(new URL(f, dir), 'utf8'))
    .join('\n');
  for (const id of SERVED) assert.match(source, new RegExp(`async function ${id}\\(`), id);
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
    const row = rows.find((r) => r.split('|')[1].includes(`\`${def.errorCode}\``) && r.split('|')[2].trim() === String(def.status));
    assert.ok(row, `${def.errorCode} (${def.status}) has no row in docs/error-codes.md`);
  }
});
