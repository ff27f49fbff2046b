import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DIGEST_REALM, digestChallenge } from './challenge.ts';

test('realm is the Atlas one', () => {
  assert.equal(DIGEST_REALM, 'MMS Public API');
});

test('challenge string is byte-for-byte the Atlas one (stale=false)', () => {
  assert.equal(
    digestChallenge('3q6mK1Vb4u3Kq1lXb2cYQ0m9Yq5q0yq9', false),
    'Digest realm="MMS Public API", domain="", nonce="3q6mK1Vb4u3Kq1lXb2cYQ0m9Yq5q0yq9", algorithm=MD5, qop="auth", stale=false',
  );
});

test('challenge string with stale=true', () => {
  assert.equal(
    digestChallenge('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', true),
    'Digest realm="MMS Public API", domain="", nonce="AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", algorithm=MD5, qop="auth", stale=true',
  );
});
