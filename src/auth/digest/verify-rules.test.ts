import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { NonceCountStore } from './nonce-counts.ts';
import { header, setup, T0, URI, USER } from './test-helpers.ts';
import { verifyDigest } from './verify.ts';

const OK = { ok: true, username: USER };
const FAIL = { ok: false, stale: false };

function verifier(s = setup()) {
  return (h: string | undefined, requestUri = URI, method = 'GET') =>
    verifyDigest({ header: h, method, requestUri, ...s });
}

test('missing, empty, non-Digest and garbage headers fail', async () => {
  const v = verifier();
  for (const h of [
    undefined,
    '',
    'Basic eGp3cWtmaHA6c2VjcmV0',
    'Digest',
    'Digest username="u"',
    'Digest "\\',
    '\u0000'.repeat(50),
  ]) {
    assert.deepEqual(await v(h), FAIL, String(h));
  }
});

test('algorithm: absent, MD5 in any case and SHA-256 are accepted; others fail', async () => {
  const s = setup();
  const v = verifier(s);
  assert.deepEqual(await v(header({ nonce: s.nonces.issue(), algorithm: null })), OK);
  assert.deepEqual(await v(header({ nonce: s.nonces.issue(), algorithm: 'md5' })), OK);
  assert.deepEqual(await v(header({ nonce: s.nonces.issue(), algorithm: 'SHA-256' })), OK);
  const n = s.nonces.issue();
  const md5Header = header({ nonce: n });
  assert.deepEqual(await v(md5Header.replace('algorithm=MD5', 'algorithm="MD5"')), OK, 'quoted algorithm');
  assert.deepEqual(
    await v(md5Header.replace('algorithm=MD5', 'algorithm=SHA-256')),
    FAIL,
    'MD5 response claimed as SHA-256',
  );
  for (const algorithm of ['MD5-sess', 'SHA-256-sess', 'SHA-512-256', 'SHA1']) {
    assert.deepEqual(
      await v(header({ nonce: s.nonces.issue(), algorithm: 'MD5' }).replace('algorithm=MD5', `algorithm=${algorithm}`)),
      FAIL,
      algorithm,
    );
  }
});

test('qop: "auth" (also quoted) accepted; auth-int and unknown fail', async () => {
  const s = setup();
  const v = verifier(s);
  const h = header({ nonce: s.nonces.issue() });
  assert.deepEqual(await v(h.replace('qop=auth', 'qop="auth"')), OK);
  assert.deepEqual(await v(header({ nonce: s.nonces.issue(), qop: 'auth-int' })), FAIL);
  assert.deepEqual(
    await v(
      header({ nonce: s.nonces.issue(), qop: 'auth,auth-int' }).replace('qop=auth,auth-int', 'qop="auth,auth-int"'),
    ),
    FAIL,
  );
});

test('qop=auth requires an 8-hex-digit nc and a cnonce', async () => {
  const s = setup();
  const v = verifier(s);
  for (const nc of ['1', '0000001', '000000001', '0000000g', '0x000001', '-0000001']) {
    assert.deepEqual(await v(header({ nonce: s.nonces.issue(), nc })), FAIL, nc);
  }
  assert.deepEqual(await v(header({ nonce: s.nonces.issue(), cnonce: null })), FAIL, 'no cnonce');
  assert.deepEqual(await v(header({ nonce: s.nonces.issue(), cnonce: '' })), FAIL, 'empty cnonce');
  assert.deepEqual(await v(header({ nonce: s.nonces.issue(), nc: 'FFFFFFFF' })), OK, 'upper-case hex nc');
});

test('nc values are compared numerically: 0000000a and 0000000A are the same count', async () => {
  const s = setup();
  const v = verifier(s);
  const nonce = s.nonces.issue();
  assert.deepEqual(await v(header({ nonce, nc: '0000000a' })), OK);
  assert.deepEqual(await v(header({ nonce, nc: '0000000A' })), FAIL);
});

test('without qop (RFC 2069) a nonce is accepted once', async () => {
  const s = setup();
  const v = verifier(s);
  const h = header({ nonce: s.nonces.issue(), qop: null });
  assert.doesNotMatch(h, /nc=|cnonce=|qop=/);
  assert.deepEqual(await v(h), OK);
  assert.deepEqual(await v(h), FAIL);
});

test('uri must match the request target exactly, or as an absolute URI', async () => {
  const s = setup();
  const v = verifier(s);
  const uri = '/api/atlas/v2/groups/65f1c0ffee0123456789abcd/invites';
  assert.deepEqual(await v(header({ nonce: s.nonces.issue(), uri: `https://cloud.mongodb.com${URI}` })), OK);
  assert.deepEqual(await v(header({ nonce: s.nonces.issue(), uri: `HTTP://localhost:8080${uri}` }), uri), OK);
  assert.deepEqual(await v(header({ nonce: s.nonces.issue(), uri }), URI), FAIL, 'query dropped');
  assert.deepEqual(await v(header({ nonce: s.nonces.issue(), uri: URI }), uri), FAIL, 'query added');
  assert.deepEqual(await v(header({ nonce: s.nonces.issue(), uri: `${uri}/` }), uri), FAIL, 'trailing slash');
  assert.deepEqual(await v(header({ nonce: s.nonces.issue(), uri: uri.toUpperCase() }), uri), FAIL, 'case');
  assert.deepEqual(await v(header({ nonce: s.nonces.issue(), uri: `https://h${uri}#frag` }), uri), FAIL);
  assert.deepEqual(await v(header({ nonce: s.nonces.issue(), uri: `ftp://h${uri}` }), uri), FAIL);
  assert.deepEqual(await v(header({ nonce: s.nonces.issue(), uri: `//h${uri}` }), uri), FAIL);
  assert.deepEqual(await v(header({ nonce: s.nonces.issue(), uri: 'https://h' }), '/'), OK, 'empty path is /');
});

test('response hex digits are accepted in upper case; a truncated response fails', async () => {
  const s = setup();
  const v = verifier(s);
  const h = header({ nonce: s.nonces.issue() });
  const response = /response="([0-9a-f]{32})"/.exec(h)?.[1] ?? '';
  assert.equal(response.length, 32);
  assert.deepEqual(await v(h.replace(response, response.slice(0, 31))), FAIL);
  assert.deepEqual(await v(h.replace(response, `${response}0`)), FAIL);
  assert.deepEqual(await v(h.replace(response, response.toUpperCase())), OK);
});

test('username is case-sensitive and passed to lookupPassword as sent (incl. username*)', async () => {
  const s = setup();
  const v = verifier(s);
  assert.deepEqual(await v(header({ nonce: s.nonces.issue(), user: USER.toUpperCase() })), FAIL);
  const h = header({ nonce: s.nonces.issue() }).replace(`username="${USER}"`, `username*=UTF-8''${USER}`);
  assert.deepEqual(await v(h), OK);
  assert.deepEqual(s.lookups, [USER.toUpperCase(), USER]);
});

test('markUsed gets nc as a number and issue time + maxAge; its refusal fails the request', async () => {
  const s = setup();
  const calls: [string, number, number][] = [];
  let answer = true;
  const counts: NonceCountStore = {
    markUsed: async (nonce, nc, expiresAtMs) => {
      calls.push([nonce, nc, expiresAtMs]);
      return answer;
    },
    exhausted: async () => false,
  };
  s.clock.t = T0 + 12_345;
  const nonce = s.nonces.issue();
  s.clock.t = T0 + 99_999;
  const v = (h: string) =>
    verifyDigest({
      header: h,
      method: 'GET',
      requestUri: URI,
      nonces: s.nonces,
      counts,
      lookupPassword: s.lookupPassword,
    });
  assert.deepEqual(await v(header({ nonce, nc: '0000001f' })), OK);
  answer = false;
  assert.deepEqual(await v(header({ nonce, nc: '00000020' })), FAIL);
  assert.deepEqual(calls, [
    [nonce, 31, T0 + 12_345 + 300_000],
    [nonce, 32, T0 + 12_345 + 300_000],
  ]);
});

test('errors from lookupPassword propagate (they are not authentication failures)', async () => {
  const s = setup();
  const boom = new Error('database unavailable');
  const args = {
    header: header({ nonce: s.nonces.issue() }),
    method: 'GET',
    requestUri: URI,
    nonces: s.nonces,
    counts: s.counts,
  };
  await assert.rejects(verifyDigest({ ...args, lookupPassword: async () => Promise.reject(boom) }), boom);
});

test('a nonce used up to its count limit answers stale=true, so clients renew it without failing', async () => {
  const s = setup();
  const v = verifier(s);
  const nonce = s.nonces.issue();
  for (let nc = 1; nc <= 1024; nc++) {
    assert.deepEqual(await v(header({ nonce, nc: nc.toString(16).padStart(8, '0') })), OK, String(nc));
  }
  assert.deepEqual(await v(header({ nonce, nc: '00000401' })), { ok: false, stale: true });
  assert.deepEqual(await v(header({ nonce, nc: '00000401', password: 'wrong' })), FAIL, 'a wrong key is never stale');
  assert.deepEqual(await v(header({ nonce: s.nonces.issue(), nc: '00000401' })), OK, 'a fresh nonce takes any count');
});
