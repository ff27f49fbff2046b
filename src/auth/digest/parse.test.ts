import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDigestAuthorization } from './parse.ts';

// RFC 2617 §3.5, with the line folding of the RFC text kept as-is.
const RFC2617 = `Digest username="Mufasa",
                 realm="testrealm@host.com",
                 nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093",
                 uri="/dir/index.html",
                 qop=auth,
                 nc=00000001,
                 cnonce="0a4f113b",
                 response="6629fae49393a05397450978507c4ef1",
                 opaque="5ccc069c403ebaf9f0171e9517f40e41"`;

// RFC 7616 §3.9.1 (the RFC shows "Authorization:Digest ..." — this is the value).
const RFC7616_SHA256 = `Digest username="Mufasa",
       realm="http-auth@example.org",
       uri="/dir/index.html",
       algorithm=SHA-256,
       nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
       nc=00000001,
       cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
       qop=auth,
       response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
       opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`;

// RFC 7616 §3.9.2: username* in RFC 8187 extended notation.
const RFC7616_USERSTAR = `Digest
       username*=UTF-8''J%C3%A4s%C3%B8n%20Doe,
       realm="api@example.org",
       uri="/doe.json",
       algorithm=SHA-512-256,
       nonce="5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK",
       nc=00000001,
       cnonce="NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v",
       qop=auth,
       response="ae66e67d6b427bd3f120414a82e4acff38e8ecd9101d6c861229025f607a79dd",
       opaque="HRPCssKJSGjCrkzDg8OhwpzCiGPChXYjwrI2QmXDnsOS",
       userhash=false`;

test('parses the RFC 2617 §3.5 header', () => {
  assert.deepEqual(parseDigestAuthorization(RFC2617), {
    username: 'Mufasa',
    realm: 'testrealm@host.com',
    nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
    uri: '/dir/index.html',
    response: '6629fae49393a05397450978507c4ef1',
    qop: 'auth',
    nc: '00000001',
    cnonce: '0a4f113b',
    opaque: '5ccc069c403ebaf9f0171e9517f40e41',
  });
});

test('parses the RFC 7616 §3.9.1 SHA-256 header', () => {
  assert.deepEqual(parseDigestAuthorization(RFC7616_SHA256), {
    username: 'Mufasa',
    realm: 'http-auth@example.org',
    nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
    uri: '/dir/index.html',
    response: '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
    algorithm: 'SHA-256',
    qop: 'auth',
    nc: '00000001',
    cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
    opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
  });
});

test('decodes username* (RFC 7616 §3.9.2) and ignores unknown params', () => {
  const c = parseDigestAuthorization(RFC7616_USERSTAR);
  assert.equal(c?.username, 'Jäsøn Doe');
  assert.equal(c?.algorithm, 'SHA-512-256');
  assert.equal(c?.realm, 'api@example.org');
  assert.equal(Object.hasOwn(c ?? {}, 'userhash'), false);
});

test('username* with ISO-8859-1 and a language tag', () => {
  const h = `Digest username*=iso-8859-1'de'J%E4s, realm="r", nonce="n", uri="/", response="x"`;
  assert.equal(parseDigestAuthorization(h)?.username, 'Jäs');
});

test('scheme and parameter names are case-insensitive', () => {
  const h = 'dIgEsT UserName="u", REALM="r", Nonce="n", URI="/a", Response="x", QOP=auth, NC=00000002, CNonce="c"';
  assert.deepEqual(parseDigestAuthorization(h), {
    username: 'u',
    realm: 'r',
    nonce: 'n',
    uri: '/a',
    response: 'x',
    qop: 'auth',
    nc: '00000002',
    cnonce: 'c',
  });
});

test('no whitespace at all after commas, whitespace around "=", tabs, empty list elements', () => {
  const h = 'Digest username="u",realm = "r" ,\tnonce=\t"n",, ,uri="/a",response="x",';
  assert.deepEqual(parseDigestAuthorization(h), { username: 'u', realm: 'r', nonce: 'n', uri: '/a', response: 'x' });
});

test('quoted strings may contain commas, "=", escaped quotes and escaped backslashes', () => {
  const h = String.raw`Digest username="a\"b\\c,d=e", realm="MMS Public API", nonce="n=,", uri="/x?a=1,2&b=\"q\"", response="r"`;
  const c = parseDigestAuthorization(h);
  assert.equal(c?.username, 'a"b\\c,d=e');
  assert.equal(c?.nonce, 'n=,');
  assert.equal(c?.uri, '/x?a=1,2&b="q"');
  assert.equal(c?.response, 'r');
});

test('unquoted values may be base64-like tokens', () => {
  const h = 'Digest username=abcdefgh, realm="r", nonce=Zm9v/Ym+Fy==, uri=/a, response=0f';
  const c = parseDigestAuthorization(h);
  assert.equal(c?.username, 'abcdefgh');
  assert.equal(c?.nonce, 'Zm9v/Ym+Fy==');
  assert.equal(c?.uri, '/a');
});

test('empty quoted values are kept', () => {
  assert.equal(
    parseDigestAuthorization('Digest username="", realm="r", nonce="n", uri="/", response="x", opaque=""')?.opaque,
    '',
  );
});

const BASE = 'username="u", realm="r", nonce="n", uri="/a", response="x"';

test('rejects headers that are not Digest or lack required params', () => {
  const bad = [
    '',
    'Digest',
    'Digest ',
    `Basic ${Buffer.from('u:p').toString('base64')}`,
    `Bearer ${BASE}`,
    `Digestusername="u"`,
    `DigestX ${BASE}`,
    'Digest realm="r", nonce="n", uri="/a", response="x"',
    'Digest username="u", nonce="n", uri="/a", response="x"',
    'Digest username="u", realm="r", uri="/a", response="x"',
    'Digest username="u", realm="r", nonce="n", response="x"',
    'Digest username="u", realm="r", nonce="n", uri="/a"',
  ];
  for (const h of bad) assert.equal(parseDigestAuthorization(h), null, h);
});

test('rejects duplicated params, also differing only in case, and username with username*', () => {
  assert.equal(parseDigestAuthorization(`Digest ${BASE}, nc=00000001, nc=00000002`), null);
  assert.equal(parseDigestAuthorization(`Digest ${BASE}, Realm="r"`), null);
  assert.equal(parseDigestAuthorization(`Digest ${BASE}, username*=UTF-8''u`), null);
});

test('rejects malformed syntax without throwing', () => {
  const bad = [
    `Digest ${BASE}, cnonce="unterminated`,
    `Digest ${BASE}, cnonce="ends in backslash\\`,
    `Digest ${BASE}, qop`,
    `Digest ${BASE}, qop=`,
    `Digest ${BASE}, =auth`,
    `Digest ${BASE} qop=auth`,
    `Digest ${BASE}, cnonce="a"b`,
    `Digest ${BASE}, nc=0000"0001"`,
    `Digest username*=UTF-8''%E4, realm="r", nonce="n", uri="/", response="x"`, // invalid UTF-8
    `Digest username*=UTF-8''a%2, realm="r", nonce="n", uri="/", response="x"`,
    `Digest username*=KOI8-R''a, realm="r", nonce="n", uri="/", response="x"`,
    `Digest username*=no-quotes, realm="r", nonce="n", uri="/", response="x"`,
    `Digest ${BASE}, x="${'a'.repeat(20_000)}"`,
  ];
  for (const h of bad) assert.equal(parseDigestAuthorization(h), null, h);
  assert.equal(parseDigestAuthorization(undefined as unknown as string), null);
  assert.equal(parseDigestAuthorization(42 as unknown as string), null);
});
