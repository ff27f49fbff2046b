import assert from 'node:assert/strict';
import { test } from 'node:test';
import { flag, instant, integer, json, names, namesContaining, optionalInstant } from './codec.ts';

test('the stored formats, byte for byte', () => {
  assert.equal(names.encode(['ORG_OWNER', 'ORG_MEMBER']), '["ORG_OWNER","ORG_MEMBER"]');
  assert.equal(
    json<Array<{ groupId: string; roles: string[] }>>().encode([{ groupId: 'g', roles: [] }]),
    '[{"groupId":"g","roles":[]}]',
  );
  assert.equal(instant.encode(new Date(Date.UTC(2026, 7, 10, 3, 4, 53))), '2026-08-10T03:04:53.000Z');
  assert.deepEqual(
    [optionalInstant.encode(null), optionalInstant.encode(new Date(0))],
    [null, '1970-01-01T00:00:00.000Z'],
  );
  assert.deepEqual([flag.encode(true), flag.encode(false)], [1, 0]);
  assert.equal(namesContaining('ORG_OWNER'), '%"ORG_OWNER"%');
});

test('decoding gives back what was encoded, and reads what each driver answers', () => {
  assert.deepEqual(names.decode(names.encode(['a', 'b"c'])), ['a', 'b"c']);
  assert.deepEqual(instant.decode('2026-08-10T03:04:53.000Z'), new Date(Date.UTC(2026, 7, 10, 3, 4, 53)));
  assert.deepEqual(
    [optionalInstant.decode(null), optionalInstant.decode('1970-01-01T00:00:00.000Z')],
    [null, new Date(0)],
  );
  // PostgreSQL answers bigint as text; SQLite as a number.
  assert.deepEqual([integer.decode('42'), integer.decode(42), integer.decode(42n)], [42, 42, 42]);
  assert.deepEqual([flag.decode(1), flag.decode(0), flag.decode('0' as unknown as number)], [true, false, false]);
});
