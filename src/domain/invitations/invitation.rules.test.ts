import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AtlasError } from '../../errors/atlas-error.ts';
import { isValidUsername, validateProjectRoles } from './invitation.rules.ts';

test('usernames must be email addresses', () => {
  for (const ok of ['test-738@mongodb.com', 'a.b+c@sub.example.co.uk', "o'neil@example.org"])
    assert.equal(isValidUsername(ok), true, ok);
  for (const bad of [
    '',
    'plain',
    'a@b',
    '@example.com',
    'a b@example.com',
    'a@exa mple.com',
    'a@@example.com',
    `${'x'.repeat(65)}@example.com`,
    'a@-example.com',
  ])
    assert.equal(isValidUsername(bad), false, bad);
});

const code = (fn: () => void) => {
  try {
    fn();
    return null;
  } catch (e) {
    return e instanceof AtlasError ? [e.errorCode, ...e.parameters] : e;
  }
};

test('roles are checked against the surface’s catalogue, for emptiness and duplicates', () => {
  const g = 'f'.repeat(24);
  assert.equal(
    code(() => validateProjectRoles(['GROUP_OWNER', 'GROUP_READ_ONLY'], 'atlas', g)),
    null,
  );
  assert.deepEqual(
    code(() => validateProjectRoles(['GROUP_USER_ADMIN'], 'atlas', g)),
    ['INVALID_ROLE_FOR_GROUP', 'GROUP_USER_ADMIN', g],
  );
  assert.equal(
    code(() => validateProjectRoles(['GROUP_USER_ADMIN'], 'cloud-manager', g)),
    null,
  );
  assert.deepEqual(
    code(() => validateProjectRoles(['ORG_OWNER'], 'atlas', g)),
    ['INVALID_ROLE_FOR_GROUP', 'ORG_OWNER', g],
  );
  assert.equal((code(() => validateProjectRoles([], 'atlas', g)) as string[])[0], 'VALIDATION_ERROR');
  assert.equal(
    (code(() => validateProjectRoles(['GROUP_OWNER', 'GROUP_OWNER'], 'atlas', g)) as string[])[0],
    'VALIDATION_ERROR',
  );
});
