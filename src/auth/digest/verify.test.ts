import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createNonceService } from './nonce.ts';
import { header, setup, T0, URI, USER } from './test-helpers.ts';
import { digestHa1, digestHa1With, expectedDigestResponse, verifyDigest } from './verify.ts';

const RFC7616 = {
  uri: '/dir/index.html',
  method: 'GET',
  nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
  cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  nc: '00000001',
  qop: 'auth',
};

test('RFC 2617 §3.5 vector', () => {
  const ha1 = digestHa1('Mufasa', 'testrealm@host.com', 'Circle Of Life');
  assert.equal(ha1, '939e7578ed9e3c518a452acee763bce9');
  const response = expectedDigestResponse({
    ha1,
    method: 'GET',
    uri: '/dir/index.html',
    nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
    nc: '00000001',
    cnonce: '0a4f113b',
    qop: 'auth',
  });
  assert.equal(response, '6629fae49393a05397450978507c4ef1');
});

test('RFC 7616 §3.9.1 MD5 vector (algorithm given and absent)', () => {
  const ha1 = digestHa1With('MD5', 'Mufasa', 'http-auth@example.org', 'Circle of Life');
  assert.equal(ha1, digestHa1('Mufasa', 'http-auth@example.org', 'Circle of Life'));
  assert.equal(expectedDigestResponse({ ...RFC7616, ha1, algorithm: 'MD5' }), '8ca523f5e9506fed4657c9700eebdbec');
  assert.equal(expectedDigestResponse({ ...RFC7616, ha1 }), '8ca523f5e9506fed4657c9700eebdbec');
});

test('RFC 7616 §3.9.1 SHA-256 vector', () => {
  const ha1 = digestHa1With('SHA-256', 'Mufasa', 'http-auth@example.org', 'Circle of Life');
  assert.equal(ha1.length, 64);
  assert.equal(
    expectedDigestResponse({ ...RFC7616, ha1, algorithm: 'SHA-256' }),
    '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
  );
});

test('RFC 2069 style (no qop): H(HA1:nonce:HA2)', () => {
  // RFC 2069 §2.4 example: Mufasa / "CircleOfLife" / testrealm@host.com.
  const ha1 = digestHa1('Mufasa', 'testrealm@host.com', 'CircleOfLife');
  const response = expectedDigestResponse({
    ha1,
    method: 'GET',
    uri: '/dir/index.html',
    nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
  });
  assert.equal(response, '1949323746fe6a43ef61f9606e7febea');
});

test('auth-int, *-sess algorithms and incomplete qop=auth are rejected', () => {
  const base = { ...RFC7616, ha1: digestHa1('a', 'b', 'c') };
  assert.throws(() => expectedDigestResponse({ ...base, qop: 'auth-int' }), RangeError);
  assert.throws(() => expectedDigestResponse({ ...base, algorithm: 'MD5-sess' }), RangeError);
  assert.throws(() => expectedDigestResponse({ ...base, algorithm: 'SHA-512-256' }), RangeError);
  assert.throws(() => expectedDigestResponse({ ...base, nc: undefined }), RangeError);
  assert.throws(() => expectedDigestResponse({ ...base, cnonce: undefined }), RangeError);
  assert.throws(() => digestHa1With('MD4' as 'MD5', 'a', 'b', 'c'), RangeError);
});

// ---- verifyDigest against the real nonce service and count store ----

const OK = { ok: true, username: USER };
const FAIL = { ok: false, stale: false };

test('accepts a correct response on a fresh nonce, with any first nc', async () => {
  const s = setup();
  const nonce = s.nonces.issue();
  const v = (h: string) => verifyDigest({ header: h, method: 'GET', requestUri: URI, ...s });
  assert.deepEqual(await v(header({ nonce, nc: '00000005' })), OK);
  assert.deepEqual(await v(header({ nonce, nc: '00000002' })), OK, 'out of order');
  assert.deepEqual(await v(header({ nonce, nc: '0000000a' })), OK);
  assert.deepEqual(await v(header({ nonce, nc: '00000005' })), FAIL, 'replayed nc');
  assert.deepEqual(s.lookups, [USER, USER, USER, USER]);
});

test('stale:true for a correct response on an expired nonce, stale:false if also wrong', async () => {
  const s = setup();
  const nonce = s.nonces.issue();
  s.clock.t = T0 + 300_001;
  const v = (h: string) => verifyDigest({ header: h, method: 'GET', requestUri: URI, ...s });
  assert.deepEqual(await v(header({ nonce })), { ok: false, stale: true });
  assert.deepEqual(await v(header({ nonce, password: 'wrong' })), FAIL);
  assert.deepEqual(await v(header({ nonce, user: 'unknownu' })), FAIL);
  // The fresh nonce a server would then send works.
  const fresh = s.nonces.issue();
  assert.deepEqual(await v(header({ nonce: fresh })), OK);
});

test('forged nonces fail without looking up the user', async () => {
  const s = setup();
  const other = createNonceService({ secret: Buffer.alloc(32, 8), now: () => T0 });
  const v = (h: string) => verifyDigest({ header: h, method: 'GET', requestUri: URI, ...s });
  assert.deepEqual(await v(header({ nonce: other.issue() })), FAIL);
  assert.deepEqual(await v(header({ nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093' })), FAIL);
  assert.deepEqual(s.lookups, []);
});

test('wrong password, unknown user, wrong realm, method or uri fail', async () => {
  const s = setup();
  const nonce = s.nonces.issue();
  const v = (h: string, method = 'GET', requestUri = URI) => verifyDigest({ header: h, method, requestUri, ...s });
  assert.deepEqual(await v(header({ nonce, password: 'x' })), FAIL);
  assert.deepEqual(await v(header({ nonce, user: 'nobody' })), FAIL);
  assert.deepEqual(await v(header({ nonce, realm: 'Other' })), FAIL);
  assert.deepEqual(await v(header({ nonce }), 'POST'), FAIL);
  assert.deepEqual(await v(header({ nonce }), 'GET', '/api/atlas/v2/groups/65f1c0ffee0123456789abcd/invites'), FAIL);
  assert.deepEqual(await v(header({ nonce, uri: '/api/atlas/v2/groups' }), 'GET', URI), FAIL, 'digest for another uri');
  // None of these consumed nc=1:
  assert.deepEqual(await v(header({ nonce })), OK);
});
