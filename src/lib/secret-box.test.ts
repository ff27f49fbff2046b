import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSecretBox, SealError } from './secret-box.ts';

test('sealed values open with their key only, and never contain the plain text', () => {
  const a = createSecretBox(Buffer.alloc(32, 1));
  const b = createSecretBox(Buffer.alloc(32, 2));
  const sealed = a.seal('0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b');
  assert.match(sealed, /^v1:[A-Za-z0-9+/=]+$/);
  assert.ok(!sealed.includes('0f1e2d3c'));
  assert.notEqual(a.seal('x'), a.seal('x'), 'a fresh IV each time');
  assert.equal(a.open(sealed), '0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b');
  assert.throws(() => b.open(sealed), SealError);
  assert.throws(() => a.open(`${sealed.slice(0, -4)}AAAA`), SealError);
  assert.throws(() => a.open('plain'), SealError);
  assert.throws(() => createSecretBox(Buffer.alloc(16)), /32 bytes/);
});
