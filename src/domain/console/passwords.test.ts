import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generatePassword, hashPassword, passwordProblem, SCRYPT, verifyPassword } from './passwords.ts';

test('scrypt hashes carry their parameters and a fresh salt; only the right password verifies', async () => {
  const a = await hashPassword('correct horse');
  const b = await hashPassword('correct horse');
  assert.match(
    a,
    new RegExp(`^scrypt\\$${SCRYPT.N}\\$${SCRYPT.r}\\$${SCRYPT.p}\\$[A-Za-z0-9_-]{22}\\$[A-Za-z0-9_-]{43}$`),
  );
  assert.notEqual(a, b, 'a new salt each time');
  assert.equal(await verifyPassword('correct horse', a), true);
  assert.equal(await verifyPassword('correct horsf', a), false);
  assert.equal(await verifyPassword('correct horse', 'md5$whatever'), false);
  // Normalised: the same password typed in composed or decomposed form.
  assert.equal(await verifyPassword('cafe\u0301 au lait', await hashPassword('café au lait')), true);
});

test('password rules and generated passwords', () => {
  assert.equal(passwordProblem('1234567'), 'too-short');
  assert.equal(passwordProblem('12345678'), null);
  assert.equal(passwordProblem('x'.repeat(257)), 'too-long');
  assert.match(generatePassword(), /^[A-Za-z0-9_-]{20}$/);
  assert.notEqual(generatePassword(), generatePassword());
});
