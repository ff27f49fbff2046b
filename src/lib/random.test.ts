import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cryptoRandom, seededRandom } from './random.ts';

test('a seeded stream repeats run to run, and differs by seed and by fork', () => {
  const a = seededRandom('42');
  const b = seededRandom('42');
  assert.deepEqual([a.bytes(40), a.int(26), a.uuid()], [b.bytes(40), b.int(26), b.uuid()]);
  assert.notDeepEqual(seededRandom('43').bytes(16), seededRandom('42').bytes(16));
  assert.notDeepEqual(seededRandom('42').fork('x').bytes(16), seededRandom('42').fork('y').bytes(16));
  assert.deepEqual(seededRandom('42').fork('x').bytes(16), seededRandom('42').fork('x').bytes(16));
});

test('a seeded stream makes valid v4 UUIDs and uniform-range integers', () => {
  const r = seededRandom('s');
  for (let i = 0; i < 200; i++) {
    assert.match(r.uuid(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const v = r.int(26);
    assert.ok(Number.isInteger(v) && v >= 0 && v < 26);
  }
  const seen = new Set(Array.from({ length: 2000 }, () => r.int(26)));
  assert.equal(seen.size, 26);
});

test('without a seed the values come from the CSPRNG and forks are the same source', () => {
  assert.notDeepEqual(cryptoRandom.bytes(16), cryptoRandom.bytes(16));
  assert.equal(cryptoRandom.fork('x'), cryptoRandom);
});
