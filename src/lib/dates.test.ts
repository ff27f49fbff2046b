import assert from 'node:assert/strict';
import { test } from 'node:test';
import { atlasDate, atlasHttpDate, wholeSeconds } from './dates.ts';

test('Atlas dates are RFC 3339 UTC to the second', () => {
  assert.equal(atlasDate(new Date('2026-08-10T03:04:53.987Z')), '2026-08-10T03:04:53Z');
  assert.equal(wholeSeconds(new Date('2026-08-10T03:04:53.987Z')).toISOString(), '2026-08-10T03:04:53.000Z');
});

test('HTTP dates do not zero-pad the day, like Atlas Deprecation/Sunset headers', () => {
  assert.equal(atlasHttpDate(new Date('2023-10-04T00:00:00Z')), 'Wed, 4 Oct 2023 00:00:00 GMT');
  assert.equal(atlasHttpDate(new Date('2027-07-01T00:00:00Z')), 'Thu, 1 Jul 2027 00:00:00 GMT');
  assert.equal(atlasHttpDate(new Date('2025-02-19T13:05:09Z')), 'Wed, 19 Feb 2025 13:05:09 GMT');
});
