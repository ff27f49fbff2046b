import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestWorld, testWorld } from '../helpers/app.ts';
import { type SpecOperation, specOperationDetails } from '../helpers/spec.ts';

/**
 * Every project operation of the spec, called by org members holding one project role, must be
 * allowed or refused exactly as its `x-rolesRequirements` says. The spec's role names are read
 * from the spec; what each project role satisfies is Atlas's inheritance: Project Owner holds every
 * project role, and "Project Access Manager" (no assignable Atlas role) is held by Project Owner
 * and by Cloud Manager's Project User Admin.
 */
const SATISFIES: Record<string, readonly string[]> = {
  GROUP_USER_ADMIN: ['Project Read Only', 'Project Access Manager'],
  GROUP_READ_ONLY: ['Project Read Only'],
  GROUP_OWNER: ['Project Read Only', 'Project Access Manager', 'Project Owner'],
};
const KNOWN = new Set(['Project Read Only', 'Project Access Manager', 'Project Owner', 'Organization Owner']);

const HEX = 'aa'.repeat(12);
/** Path parameters that name nothing: an allowed call gets past the role check to a not-found answer. */
const PARAMS: Record<string, string> = {
  invitationId: HEX,
  userId: HEX,
  apiUserId: HEX,
  eventId: HEX,
  secretId: HEX,
  clientId: `mdb_sa_id_${HEX}`,
  ipAddress: '10.0.0.1',
};

/** Bodies that pass validation (validation answers before the role check on some routes). */
function bodyOf(op: SpecOperation, role: string): unknown {
  const username = `${op.operationId.toLowerCase()}-${role.toLowerCase()}@example.com`;
  switch (op.operationId) {
    case 'updateGroup':
      return { name: `renamed-${role.toLowerCase()}` };
    case 'createGroupInvite':
    case 'updateGroupInvites':
    case 'addGroupUsers':
      return { username, roles: ['GROUP_READ_ONLY'] };
    case 'updateGroupInviteById':
    case 'updateGroupApiKeyRoles':
    case 'inviteGroupServiceAccount':
      return { roles: ['GROUP_READ_ONLY'] };
    case 'updateGroupUserRoles':
      return { groupRoles: ['GROUP_READ_ONLY'] };
    case 'addGroupUserRole':
    case 'removeGroupUserRole':
      return { groupRole: 'GROUP_READ_ONLY' };
    case 'createGroupApiKey':
      return { desc: `key for ${role}`, roles: ['GROUP_READ_ONLY'] };
    case 'addGroupApiKey':
      return [{ roles: ['GROUP_READ_ONLY'] }];
    case 'createGroupServiceAccount':
      return { name: `sa-${role}`, description: 'probe', roles: ['GROUP_READ_ONLY'], secretExpiresAfterHours: 8 };
    case 'updateGroupServiceAccount':
      return { description: 'probe' };
    case 'createGroupServiceAccountAccessList':
      return [{ ipAddress: '10.0.0.2' }];
    case 'createGroupServiceAccountSecret':
      return { secretExpiresAfterHours: 8 };
    default:
      return op.method === 'GET' || op.method === 'DELETE' ? undefined : {};
  }
}

const PROJECT_OPS = specOperationDetails().filter((op) => op.path.startsWith('/api/atlas/v2/groups/{groupId}'));

let w: TestWorld;
before(async () => {
  w = await testWorld({ rateLimits: 'off' });
});
after(() => w.close());

test('the spec names a known role for every project operation', () => {
  assert.ok(PROJECT_OPS.length >= 30, `only ${PROJECT_OPS.length} project operations found`);
  for (const op of PROJECT_OPS) {
    assert.equal(op.roles.length, 1, `${op.operationId}: ${op.roles.join(', ')}`);
    assert.ok(KNOWN.has(op.roles[0]), `${op.operationId}: unknown role ${op.roles[0]}`);
  }
});

for (const op of PROJECT_OPS) {
  const specRole = op.roles[0];
  test(`${op.operationId} (${specRole}): GROUP_USER_ADMIN ${SATISFIES.GROUP_USER_ADMIN.includes(specRole) ? 'allowed' : 'refused'}, as the spec says`, async () => {
    const groupId = await w.newProject(w.orgId, `roles-${op.operationId}`);
    const version = op.versions.at(-1) as string;
    const media = `application/vnd.atlas.${version}+json`;
    const url = op.path
      .replace('{groupId}', groupId)
      .replace(
        /\{(\w+)\}/g,
        (_, name: string) => PARAMS[name] ?? assert.fail(`${op.operationId}: no value for {${name}}`),
      );
    // The subject first; the controls show the probe reaches the role check (deleteGroup's owner call comes last).
    for (const role of ['GROUP_USER_ADMIN', 'GROUP_READ_ONLY', 'GROUP_OWNER']) {
      const creds = await w.key(['ORG_MEMBER'], { [groupId]: [role] });
      const body = bodyOf(op, role);
      const res = await w.as(creds)({
        method: op.method,
        url,
        body,
        headers: { accept: media, ...(body === undefined ? {} : { 'content-type': media }) },
      });
      const refused =
        res.statusCode === 401 && (JSON.parse(res.body) as { errorCode?: string }).errorCode === 'USER_UNAUTHORIZED';
      const expected = SATISFIES[role].includes(specRole);
      assert.equal(!refused, expected, `${op.method} ${op.path} as ${role}: ${res.statusCode} ${res.body}`);
      if (expected)
        assert.ok(
          res.statusCode !== 403 && res.statusCode !== 406,
          `${op.operationId} as ${role}: ${res.statusCode} ${res.body}`,
        );
    }
  });
}
