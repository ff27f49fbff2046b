import assert from 'node:assert/strict';
import { test } from 'node:test';
import { atlasError } from '../../src/errors/atlas-error.ts';
import { ERRORS, type KeysAreCodes } from '../../src/errors/codes.ts';

/**
 * The registry's contract is in its types: `tsc --noEmit` (the first step of `npm test`) fails if
 * a line marked @ts-expect-error below compiles. The runtime asserts keep the file a real test.
 */
test('atlasError takes exactly the parameters its detail names, of their types', () => {
  assert.equal(atlasError('GROUP_NOT_FOUND', 'aa').detail, 'No group with ID aa exists.');
  // @ts-expect-error: the id is missing
  atlasError('GROUP_NOT_FOUND');
  // @ts-expect-error: a number where the detail names a string
  atlasError('GROUP_NOT_FOUND', 1);
  // @ts-expect-error: one parameter too many
  atlasError('INVALID_JSON', 'extra');
  // @ts-expect-error: no such key
  assert.throws(() => atlasError('NO_SUCH_ERROR'), TypeError);
  assert.equal(atlasError('INVITATIONS_RATE_LIMITED_IP', 10, 1).status, 400);
});

test('a key is the code it sends, unless declared an alias', () => {
  const renamed = { GROUP_MISSING: { errorCode: 'GROUP_NOT_FOUND' as const, status: 404, detail: () => '' } };
  // @ts-expect-error: the key differs from the code and the entry is no alias
  renamed satisfies KeysAreCodes<typeof renamed>;
  const declared = {
    GROUP_MISSING: { errorCode: 'GROUP_NOT_FOUND' as const, status: 404, detail: () => '', alias: true as const },
  };
  declared satisfies KeysAreCodes<typeof declared>;
  const aliases = Object.entries(ERRORS).filter(([key, d]) => key !== d.errorCode);
  for (const [key, d] of aliases)
    assert.equal((d as { alias?: true }).alias, true, `${key} sends ${d.errorCode} but is not declared an alias`);
  assert.deepEqual(aliases.map(([key]) => key).sort(), ['INVALID_INVITATION_ID_DELETE', 'INVITATION_EXPIRED']);
});
