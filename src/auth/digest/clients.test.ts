// Authorization headers written the way real clients write them, for an API key
// (public "xjwqkfhp", private below) answering a challenge with nonce N.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createMemoryNonceCountStore } from './nonce-counts.ts';
import type { NonceService } from './nonce.ts';
import { parseDigestAuthorization } from './parse.ts';
import { verifyDigest } from './verify.ts';

const USER = 'xjwqkfhp';
const PASSWORD = '5e1b7c3a-9f0d-4e2b-8a6c-1d2e3f4a5b6c';
const N = 'Q2ZMk8x1vT4bW9nJ0aR7sE3dY6hL5cPf';
const GROUP = '/api/atlas/v2/groups/65f1c0ffee0123456789abcd';

type Case = {
  client: string;
  method: string;
  requestUri: string;
  header: string;
  nc: string;
  cnonce: string;
  response: string;
};

const cases: Case[] = [
  {
    // curl --digest -u xjwqkfhp:... (lib/vauth/digest.c): nc and qop unquoted, algorithm last, unquoted.
    client: 'curl 8',
    method: 'GET',
    requestUri: `${GROUP}/invites?pretty=true`,
    header: `Digest username="xjwqkfhp", realm="MMS Public API", nonce="${N}", uri="${GROUP}/invites?pretty=true", cnonce="NjE2ZTk5ZjA4MjM4NGE2ZTk0YjU5ZDQ4OGNhMjE3ZGE=", nc=00000001, qop=auth, response="e7f1d5a600859299b961d6abb4d7075a", algorithm=MD5`,
    nc: '00000001',
    cnonce: 'NjE2ZTk5ZjA4MjM4NGE2ZTk0YjU5ZDQ4OGNhMjE3ZGE=',
    response: 'e7f1d5a600859299b961d6abb4d7075a',
  },
  {
    // Go net/http RoundTripper github.com/mongodb-forks/digest (Atlas Go SDK, atlas CLI): algorithm quoted.
    client: 'Go mongodb-forks/digest',
    method: 'POST',
    requestUri: `${GROUP}/invites`,
    header: `Digest username="xjwqkfhp", realm="MMS Public API", nonce="${N}", uri="${GROUP}/invites", response="f6306b2b4344aaf09f5065ebc3ab799f", algorithm="MD5", qop=auth, nc=00000001, cnonce="4a1c9e2b7d3f6a80"`,
    nc: '00000001',
    cnonce: '4a1c9e2b7d3f6a80',
    response: 'f6306b2b4344aaf09f5065ebc3ab799f',
  },
  {
    // Python requests.auth.HTTPDigestAuth: algorithm and qop quoted, nc unquoted.
    client: 'Python requests',
    method: 'PATCH',
    requestUri: '/api/public/v1.0/groups/65f1c0ffee0123456789abcd/invites/65f1d00d0123456789abcdef',
    header: `Digest username="xjwqkfhp", realm="MMS Public API", nonce="${N}", uri="/api/public/v1.0/groups/65f1c0ffee0123456789abcd/invites/65f1d00d0123456789abcdef", response="6c44ad1668161420c868f69eafb55f4d", algorithm="MD5", qop="auth", nc=00000001, cnonce="0e0a5d1f8c3b7a92"`,
    nc: '00000001',
    cnonce: '0e0a5d1f8c3b7a92',
    response: '6c44ad1668161420c868f69eafb55f4d',
  },
  {
    // npm digest-fetch 3.x: no spaces after commas; reuses the nonce, so nc=3 on its third request.
    client: 'npm digest-fetch',
    method: 'DELETE',
    requestUri: `${GROUP}/invites/65f1d00d0123456789abcdef`,
    header: `Digest username="xjwqkfhp",realm="MMS Public API",nonce="${N}",uri="${GROUP}/invites/65f1d00d0123456789abcdef",qop=auth,algorithm=MD5,response="b5d63f9323f5ba3d2cb87c206c35b68a",nc=00000003,cnonce="a3f09c1d7e5b2468a3f09c1d7e5b2468"`,
    nc: '00000003',
    cnonce: 'a3f09c1d7e5b2468a3f09c1d7e5b2468',
    response: 'b5d63f9323f5ba3d2cb87c206c35b68a',
  },
];

/** Accepts only N, as if our NonceService had issued it a minute ago. */
const stubNonces: NonceService = {
  issue: () => N,
  check: (nonce) => (nonce === N ? 'valid' : 'invalid'),
  expiresAt: (nonce) => (nonce === N ? 1_700_000_240_000 : null),
};

for (const c of cases) {
  test(`parses the header sent by ${c.client}`, () => {
    assert.deepEqual(parseDigestAuthorization(c.header), {
      username: USER,
      realm: 'MMS Public API',
      nonce: N,
      uri: c.requestUri,
      response: c.response,
      algorithm: 'MD5',
      qop: 'auth',
      nc: c.nc,
      cnonce: c.cnonce,
    });
  });

  test(`verifies the header sent by ${c.client}, once`, async () => {
    const counts = createMemoryNonceCountStore({ now: () => 1_700_000_060_000 });
    const lookupPassword = async (u: string) => (u === USER ? PASSWORD : null);
    const args = {
      header: c.header,
      method: c.method,
      requestUri: c.requestUri,
      nonces: stubNonces,
      counts,
      lookupPassword,
    };
    assert.deepEqual(await verifyDigest(args), { ok: true, username: USER });
    assert.deepEqual(await verifyDigest(args), { ok: false, stale: false }, 'replay');
  });
}

test('a client header is refused for another method or URI', async () => {
  const c = cases[0];
  const counts = createMemoryNonceCountStore({ now: () => 1_700_000_060_000 });
  const base = { header: c.header, nonces: stubNonces, counts, lookupPassword: async () => PASSWORD };
  const fail = { ok: false, stale: false };
  assert.deepEqual(await verifyDigest({ ...base, method: 'DELETE', requestUri: c.requestUri }), fail);
  assert.deepEqual(await verifyDigest({ ...base, method: 'GET', requestUri: `${GROUP}/invites` }), fail);
  assert.deepEqual(await verifyDigest({ ...base, method: 'GET', requestUri: `${GROUP}/invites?pretty=false` }), fail);
  assert.deepEqual(await verifyDigest({ ...base, method: 'GET', requestUri: c.requestUri }), {
    ok: true,
    username: USER,
  });
});
