import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createMemoryNonceCountStore, MAX_COUNTS_PER_NONCE } from './nonce-counts.ts';

const T0 = 1_700_000_000_000;
const EXP = T0 + 300_000;

function clock(start = T0) {
  const c = { t: start, now: () => c.t };
  return c;
}

test('out-of-order nc values on one nonce are accepted; a repeated nc is refused', async () => {
  const store = createMemoryNonceCountStore({ now: clock().now });
  assert.equal(await store.markUsed('n1', 5, EXP), true);
  assert.equal(await store.markUsed('n1', 2, EXP), true);
  assert.equal(await store.markUsed('n1', 3, EXP), true);
  assert.equal(await store.markUsed('n1', 1, EXP), true);
  assert.equal(await store.markUsed('n1', 3, EXP), false);
  assert.equal(await store.markUsed('n1', 5, EXP), false);
  assert.equal(await store.markUsed('n1', 4, EXP), true);
});

test('counts are tracked per nonce', async () => {
  const store = createMemoryNonceCountStore({ now: clock().now });
  assert.equal(await store.markUsed('n1', 1, EXP), true);
  assert.equal(await store.markUsed('n2', 1, EXP), true);
  assert.equal(await store.markUsed('n2', 1, EXP), false);
});

test('invalid nc values are refused', async () => {
  const store = createMemoryNonceCountStore({ now: clock().now });
  for (const nc of [-1, 1.5, Number.NaN, 0x1_0000_0000]) {
    assert.equal(await store.markUsed('n', nc, EXP), false, String(nc));
  }
  assert.equal(await store.markUsed('n', 0xffff_ffff, EXP), true);
});

test('a nonce past its expiry is refused and forgotten', async () => {
  const c = clock();
  const store = createMemoryNonceCountStore({ now: c.now });
  assert.equal(await store.markUsed('n1', 1, EXP), true);
  c.t = EXP;
  assert.equal(await store.markUsed('n1', 2, EXP), false);
  assert.equal(await store.markUsed('n2', 1, EXP), false, 'already expired on first use');
  assert.equal(await store.markUsed('n3', 1, EXP + 1), true);
});

test('expired nonces are pruned, freeing room under maxNonces', async () => {
  const c = clock();
  const store = createMemoryNonceCountStore({ now: c.now, maxNonces: 2 });
  assert.equal(await store.markUsed('a', 1, T0 + 10), true);
  assert.equal(await store.markUsed('b', 1, T0 + 20), true);
  c.t = T0 + 30;
  // Both expired and pruned: no eviction of live entries, so nothing is refused.
  assert.equal(await store.markUsed('c', 1, T0 + 1_000), true);
  assert.equal(await store.markUsed('d', 1, T0 + 1_001), true);
  assert.equal(await store.markUsed('c', 1, T0 + 1_000), false);
  assert.equal(await store.markUsed('d', 1, T0 + 1_001), false);
});

test('beyond maxNonces the oldest is evicted, and its replays are still refused', async () => {
  const store = createMemoryNonceCountStore({ now: clock().now, maxNonces: 2 });
  assert.equal(await store.markUsed('a', 1, T0 + 100), true);
  assert.equal(await store.markUsed('b', 1, T0 + 200), true);
  assert.equal(await store.markUsed('c', 1, T0 + 300), true); // evicts 'a'
  assert.equal(await store.markUsed('a', 1, T0 + 100), false, 'replay after eviction');
  assert.equal(await store.markUsed('a', 2, T0 + 100), false, 'evicted nonce needs renewal');
  assert.equal(await store.markUsed('z', 1, T0 + 50), false, 'older untracked nonce');
  assert.equal(await store.markUsed('b', 1, T0 + 200), false, 'b still tracked');
  assert.equal(await store.markUsed('b', 2, T0 + 200), true);
  assert.equal(await store.markUsed('d', 1, T0 + 400), true, 'newer nonces are fine');
});

test(`at most ${MAX_COUNTS_PER_NONCE} counts per nonce`, async () => {
  const store = createMemoryNonceCountStore({ now: clock().now });
  for (let nc = 1; nc <= MAX_COUNTS_PER_NONCE; nc++) {
    assert.equal(await store.markUsed('n', nc, EXP), true);
  }
  assert.equal(await store.markUsed('n', MAX_COUNTS_PER_NONCE + 1, EXP), false);
  assert.equal(await store.markUsed('n', 1, EXP), false);
  assert.equal(await store.markUsed('other', 1, EXP), true);
});

test('default maxNonces is 100_000', async () => {
  const store = createMemoryNonceCountStore({ now: clock().now });
  for (let i = 0; i < 100_000; i++) await store.markUsed(`n${i}`, 1, EXP + i);
  assert.equal(await store.markUsed('n0', 2, EXP), true, 'n0 still tracked at 100_000');
  assert.equal(await store.markUsed('n100000', 1, EXP + 100_000), true); // evicts n0
  assert.equal(await store.markUsed('n0', 3, EXP), false);
  assert.equal(await store.markUsed('n1', 1, EXP + 1), false);
});
