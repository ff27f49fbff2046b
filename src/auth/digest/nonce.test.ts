import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { createNonceService } from './nonce.ts';

const SECRET = Buffer.from('0123456789abcdef0123456789abcdef', 'utf8');
const T0 = 1_700_000_000_000;

function clock(start = T0) {
  const c = { t: start, now: () => c.t };
  return c;
}

test('issues 32-char base64 nonces that embed the issue time and verify as valid', () => {
  const c = clock();
  const svc = createNonceService({ secret: SECRET, now: c.now });
  const nonce = svc.issue();
  assert.match(nonce, /^[A-Za-z0-9+/]{32}$/);
  const raw = Buffer.from(nonce, 'base64');
  assert.equal(raw.length, 24);
  assert.equal(raw.readUIntBE(0, 6), T0);
  const mac = createHmac('sha256', SECRET).update(raw.subarray(0, 14)).digest().subarray(0, 10);
  const again = Buffer.from(svc.issue(), 'base64');
  assert.deepEqual(again.subarray(6, 10), raw.subarray(6, 10), 'the node id is the same in every nonce of one service');
  assert.equal(again.readUInt32BE(10), (raw.readUInt32BE(10) + 1) >>> 0, 'the sequence rises');
  assert.deepEqual(raw.subarray(14), mac);
  assert.equal(svc.check(nonce), 'valid');
  assert.equal(svc.expiresAt(nonce), T0 + 300_000);
});

test('nonces issued in the same millisecond differ (node sequence)', () => {
  const svc = createNonceService({ secret: SECRET, now: () => T0 });
  // A collision would make a second client's first request look like a replay.
  const seen = new Set(Array.from({ length: 10_000 }, () => svc.issue()));
  assert.equal(seen.size, 10_000);
});

test('expiry with the default max age of 5 minutes', () => {
  const c = clock();
  const svc = createNonceService({ secret: SECRET, now: c.now });
  const nonce = svc.issue();
  c.t = T0 + 300_000;
  assert.equal(svc.check(nonce), 'valid');
  c.t = T0 + 300_001;
  assert.equal(svc.check(nonce), 'stale');
  c.t = T0 + 86_400_000;
  assert.equal(svc.check(nonce), 'stale');
});

test('custom maxAgeMs', () => {
  const c = clock();
  const svc = createNonceService({ secret: SECRET, now: c.now, maxAgeMs: 1_000 });
  const nonce = svc.issue();
  c.t = T0 + 1_000;
  assert.equal(svc.check(nonce), 'valid');
  c.t = T0 + 1_001;
  assert.equal(svc.check(nonce), 'stale');
  assert.equal(svc.expiresAt(nonce), T0 + 1_000);
});

test('a nonce from the future is valid within 5 s of skew, stale beyond', () => {
  const c = clock();
  const svc = createNonceService({ secret: SECRET, now: c.now });
  const nonce = svc.issue();
  c.t = T0 - 5_000;
  assert.equal(svc.check(nonce), 'valid');
  c.t = T0 - 5_001;
  assert.equal(svc.check(nonce), 'stale');
});

test('another node with the same secret finds the nonce authentic but stale (not its own); another secret: invalid', () => {
  const c = clock();
  const a = createNonceService({ secret: SECRET, now: c.now });
  const b = createNonceService({ secret: new Uint8Array(SECRET), now: c.now });
  const other = createNonceService({ secret: Buffer.from('fedcba9876543210fedcba9876543210'), now: c.now });
  const nonce = a.issue();
  assert.equal(a.check(nonce), 'valid');
  assert.equal(b.check(nonce), 'stale');
  assert.equal(b.expiresAt(nonce), T0 + 300_000);
  // the same node id (a restart with a fixed id) accepts it again
  const node = Buffer.from(nonce, 'base64').subarray(6, 10);
  assert.equal(createNonceService({ secret: SECRET, now: c.now, nodeId: node }).check(nonce), 'valid');
  assert.equal(other.check(nonce), 'invalid');
  assert.equal(other.expiresAt(nonce), null);
});

test('tampered nonces are invalid, even when "expired"', () => {
  const c = clock();
  const svc = createNonceService({ secret: SECRET, now: c.now });
  const nonce = svc.issue();
  const raw = Buffer.from(nonce, 'base64');
  for (let i = 0; i < raw.length; i++) {
    const t = Buffer.from(raw);
    t[i] ^= 0x01;
    assert.equal(svc.check(t.toString('base64')), 'invalid', `byte ${i} flipped`);
  }
  // Moving the issue time forward (to extend validity) breaks the MAC.
  const moved = Buffer.from(raw);
  moved.writeUIntBE(T0 + 600_000, 0, 6);
  c.t = T0 + 600_000;
  assert.equal(svc.check(moved.toString('base64')), 'invalid');
  assert.equal(svc.check(nonce), 'stale');
});

test('malformed nonces are invalid and never throw', () => {
  const svc = createNonceService({ secret: SECRET, now: () => T0 });
  const nonce = svc.issue();
  const bad = [
    '',
    nonce.slice(0, 31),
    `${nonce}A`,
    `${nonce.slice(0, 30)}==`,
    `${nonce.slice(0, 31)}-`, // base64url alphabet
    `${nonce.slice(0, 31)}_`,
    ` ${nonce.slice(1)}`,
    'dcd98b7102dd2f0e8b11d0f600bfb0c093',
    'A'.repeat(32),
  ];
  for (const n of bad) assert.equal(svc.check(n), 'invalid', JSON.stringify(n));
  assert.equal(svc.check(undefined as unknown as string), 'invalid');
});

test('a NaN clock never yields "valid"', () => {
  const c = clock();
  const svc = createNonceService({ secret: SECRET, now: c.now });
  const nonce = svc.issue();
  c.t = Number.NaN;
  assert.equal(svc.check(nonce), 'stale');
});

test('rejects short secrets and bad maxAgeMs', () => {
  assert.throws(() => createNonceService({ secret: new Uint8Array(15), now: () => T0 }), RangeError);
  assert.throws(() => createNonceService({ secret: SECRET, now: () => T0, maxAgeMs: 0 }), RangeError);
});
