import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Principal } from '../principal.ts';
import { hasOrgRole, hasProjectRole } from './permissions.ts';

const ORG = 'a'.repeat(24);
const P1 = { id: 'b'.repeat(24), orgId: ORG };
const FOREIGN = { id: 'c'.repeat(24), orgId: 'd'.repeat(24) };
const who = (orgRoles: string[], projectRoles: Record<string, string[]> = {}): Principal => ({
  kind: 'apiKey',
  id: 'e'.repeat(24),
  username: 'abcdefgh',
  orgId: ORG,
  orgRoles: new Set(orgRoles),
  projectRoles: new Map(Object.entries(projectRoles).map(([k, v]) => [k, new Set(v)])),
});

test('Organization Owner inherits Project Owner on the org’s projects, never on another org’s', () => {
  assert.equal(hasProjectRole(who(['ORG_OWNER']), P1, 'GROUP_OWNER'), true);
  assert.equal(hasProjectRole(who(['ORG_OWNER']), FOREIGN, 'GROUP_READ_ONLY'), false);
  assert.equal(hasOrgRole(who(['ORG_OWNER']), ORG, 'ORG_GROUP_CREATOR'), true);
  assert.equal(hasOrgRole(who(['ORG_OWNER']), FOREIGN.orgId, 'ORG_MEMBER'), false);
});

test('Organization Read Only reads every project but owns none', () => {
  assert.equal(hasProjectRole(who(['ORG_READ_ONLY']), P1, 'GROUP_READ_ONLY'), true);
  assert.equal(hasProjectRole(who(['ORG_READ_ONLY']), P1, 'GROUP_OWNER'), false);
});

test('Organization Member has no project access without an assignment', () => {
  assert.equal(hasProjectRole(who(['ORG_MEMBER']), P1, 'GROUP_READ_ONLY'), false);
  assert.equal(hasOrgRole(who(['ORG_MEMBER']), ORG, 'ORG_MEMBER'), true);
  assert.equal(hasOrgRole(who(['ORG_MEMBER']), ORG, 'ORG_GROUP_CREATOR'), false);
  assert.equal(hasOrgRole(who(['ORG_BILLING_ADMIN']), ORG, 'ORG_MEMBER'), true);
});

test('project roles: Owner implies all, User Admin is enough for Cloud Manager, any role reads', () => {
  assert.equal(hasProjectRole(who(['ORG_MEMBER'], { [P1.id]: ['GROUP_OWNER'] }), P1, 'GROUP_USER_ADMIN'), true);
  assert.equal(hasProjectRole(who(['ORG_MEMBER'], { [P1.id]: ['GROUP_USER_ADMIN'] }), P1, 'GROUP_USER_ADMIN'), true);
  assert.equal(hasProjectRole(who(['ORG_MEMBER'], { [P1.id]: ['GROUP_USER_ADMIN'] }), P1, 'GROUP_OWNER'), false);
  assert.equal(
    hasProjectRole(who(['ORG_MEMBER'], { [P1.id]: ['GROUP_DATA_ACCESS_READ_ONLY'] }), P1, 'GROUP_READ_ONLY'),
    true,
  );
  assert.equal(hasProjectRole(who(['ORG_MEMBER'], { [P1.id]: ['GROUP_READ_ONLY'] }), P1, 'GROUP_OWNER'), false);
});
