import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AtlasError } from '../../errors/atlas-error.ts';
import { resolveVersion } from './versioning.ts';

const versions = ['2023-01-01', '2025-02-19'];
const rejects = (accept: string | undefined) =>
  assert.throws(
    () => resolveVersion(accept, versions),
    (e: unknown) => e instanceof AtlasError && e.errorCode === 'INVALID_VERSION_DATE' && e.status === 406,
  );

test('the newest version not after the requested date is served', () => {
  assert.equal(resolveVersion('application/vnd.atlas.2023-01-01+json', versions), '2023-01-01');
  assert.equal(resolveVersion('application/vnd.atlas.2025-02-18+json', versions), '2023-01-01');
  assert.equal(resolveVersion('application/vnd.atlas.2025-02-19+json', versions), '2025-02-19');
  assert.equal(resolveVersion('application/vnd.atlas.2026-01-01+json; charset=utf-8', versions), '2025-02-19');
});

test('with several media ranges the best acceptable one wins', () => {
  assert.equal(
    resolveVersion(
      'application/json, application/vnd.atlas.2023-01-01+json, application/vnd.atlas.2025-03-12+json',
      versions,
    ),
    '2025-02-19',
  );
  assert.equal(resolveVersion('APPLICATION/VND.ATLAS.2023-01-01+JSON', versions), '2023-01-01');
});

test('missing, unversioned, impossible and too-early dates are 406 INVALID_VERSION_DATE', () => {
  rejects(undefined);
  rejects('');
  rejects('application/json');
  rejects('*/*');
  rejects('application/vnd.atlas.preview+json');
  rejects('application/vnd.atlas.2023-02-30+json');
  rejects('application/vnd.atlas.2022-12-31+json');
  rejects('application/vnd.atlas.2023-1-01+json');
});
