import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { decodeJwt, jwtVerify, SignJWT } from 'jose';
import { buildApp } from '../../src/app.ts';
import { createServiceAccount } from '../../src/domain/service-accounts/service-account.service.ts';
import { RECORDED_NOW, type TestWorld, testWorld, V2 } from '../helpers/app.ts';
import { expectChallenge, expectV1, expectV2Invite, idOf, invitation } from './expect.ts';

/** Service-account OAuth 2.0: the token endpoint (api-facts §8.2), Bearer use, expiry and revocation. */

const FORM = 'application/x-www-form-urlencoded';
const INVALID_CLIENT = '{"error_description":"Invalid credentials provided.","error":"invalid_client"}';
const INVALID_REQUEST =
  '{"error_description":"The request is missing a required parameter or is otherwise malformed.","error":"invalid_request"}';
const UNSUPPORTED_GRANT =
  '{"error_description":"The authorization grant type is not supported.","error":"unsupported_grant_type"}';
const TOKEN_BODY =
  /^\{"access_token":"([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)","expires_in":3600,"token_type":"Bearer"\}$/;

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
/** RFC 6749 §2.3.1: id and secret form-encoded before Basic. `_` → `%5F` is a valid encoding, so the server must decode it. */
const formEncodedBasic = (id: string, secret: string) => basic(id.replace(/_/g, '%5F'), secret.replace(/_/g, '%5F'));

let w: TestWorld;
let sa: { clientId: string; clientSecret: string };

before(async () => {
  // The token endpoint's 50-a-minute limit is tested in rate-limits.test.ts; here it would only get in the way.
  w = await testWorld({ rateLimitOverrides: 'invitations-ip=100000:100000,oauth-token=100000:100000' });
  assert.ok(w.serviceAccount);
  sa = w.serviceAccount;
});
after(() => w.close());
beforeEach(() => w.clock.set(RECORDED_NOW));

function postToken(
  app: FastifyInstance,
  opts: { authorization?: string; body?: string; contentType?: string },
): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': opts.contentType ?? FORM };
  if (opts.authorization) headers.authorization = opts.authorization;
  return app.inject({
    method: 'POST',
    url: '/api/oauth/token',
    headers,
    payload: opts.body ?? 'grant_type=client_credentials',
  });
}

function expectToken(res: LightMyRequestResponse): string {
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.headers['content-type'], 'application/json');
  assert.equal(res.headers['cache-control'], 'no-store');
  const m = TOKEN_BODY.exec(res.body);
  assert.ok(m, `token body: ${res.body}`);
  assert.deepEqual(Object.keys(JSON.parse(res.body)), ['access_token', 'expires_in', 'token_type']);
  return m[1];
}

function expectOAuthError(res: LightMyRequestResponse, status: number, body: string): void {
  assert.equal(res.statusCode, status, res.body);
  assert.equal(res.headers['content-type'], 'application/json');
  assert.equal(res.headers['cache-control'], 'no-store');
  assert.equal(res.body, body);
}

async function newToken(app = w.app, creds = sa): Promise<string> {
  return expectToken(await postToken(app, { authorization: basic(creds.clientId, creds.clientSecret) }));
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const listV2 = (app: FastifyInstance, token: string) =>
  app.inject({
    method: 'GET',
    url: `/api/atlas/v2/groups/${w.groupId}/invites`,
    headers: { accept: V2, ...bearer(token) },
  });

async function newServiceAccount(hours = 24): Promise<{ clientId: string; clientSecret: string }> {
  const created = await createServiceAccount(w.deps.ctx, {
    orgId: w.orgId,
    name: `sa ${hours}h ${Math.random().toString(36).slice(2, 8)}`,
    description: 'test',
    orgRoles: ['ORG_OWNER'],
    secretExpiresAfterHours: hours,
  });
  return { clientId: created.serviceAccount.clientId, clientSecret: created.secret.secret };
}

describe('POST /api/oauth/token issues Bearer tokens', () => {
  test('Basic auth, raw: 200 {"access_token","expires_in":3600,"token_type":"Bearer"} in that order, no-store', async () => {
    const token = await newToken();
    const claims = decodeJwt(token);
    assert.equal(claims.sub, sa.clientId);
    assert.equal(claims.exp, Math.floor(RECORDED_NOW.getTime() / 1000) + 3600);
  });

  test('the token is a JWT another library accepts: HS256 under the shared key, our issuer', async () => {
    const token = await newToken();
    const { payload, protectedHeader } = await jwtVerify(token, w.deps.tokenKey, {
      issuer: 'cloud-invites',
      algorithms: ['HS256'],
      currentDate: RECORDED_NOW,
    });
    assert.deepEqual(protectedHeader, { alg: 'HS256', typ: 'JWT' });
    assert.deepEqual(Object.keys(payload), ['iss', 'sub', 'jti', 'iat', 'exp']);
    assert.equal(payload.sub, sa.clientId);
  });

  test('Basic auth with the id and secret form-encoded (RFC 6749 §2.3.1)', async () => {
    expectToken(await postToken(w.app, { authorization: formEncodedBasic(sa.clientId, sa.clientSecret) }));
  });

  test('the form with and without ;charset=UTF-8', async () => {
    const authorization = basic(sa.clientId, sa.clientSecret);
    expectToken(
      await postToken(w.app, { authorization, contentType: 'application/x-www-form-urlencoded;charset=UTF-8' }),
    );
    expectToken(
      await postToken(w.app, { authorization, contentType: 'application/x-www-form-urlencoded; charset=utf-8' }),
    );
    expectToken(await postToken(w.app, { authorization, contentType: FORM }));
  });

  test('client_id and client_secret in the form instead of Basic', async () => {
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: sa.clientId,
      client_secret: sa.clientSecret,
    }).toString();
    expectToken(await postToken(w.app, { body }));
  });

  test('each call issues a different token', async () => {
    assert.notEqual(await newToken(), await newToken());
  });
});

describe('token endpoint errors', () => {
  test('wrong secret, unknown client, no credentials → 401 invalid_client', async () => {
    expectOAuthError(
      await postToken(w.app, { authorization: basic(sa.clientId, `${sa.clientSecret}x`) }),
      401,
      INVALID_CLIENT,
    );
    expectOAuthError(
      await postToken(w.app, { authorization: basic('mdb_sa_id_000000000000000000000000', sa.clientSecret) }),
      401,
      INVALID_CLIENT,
    );
    expectOAuthError(await postToken(w.app, {}), 401, INVALID_CLIENT);
    const formWrong = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: sa.clientId,
      client_secret: 'nope',
    }).toString();
    expectOAuthError(await postToken(w.app, { body: formWrong }), 401, INVALID_CLIENT);
    // Basic without a colon, and a Basic header that is not base64
    expectOAuthError(
      await postToken(w.app, { authorization: `Basic ${Buffer.from(sa.clientId).toString('base64')}` }),
      401,
      INVALID_CLIENT,
    );
    expectOAuthError(await postToken(w.app, { authorization: 'Basic %%%' }), 401, INVALID_CLIENT);
  });

  test('missing grant_type → 400 invalid_request', async () => {
    const authorization = basic(sa.clientId, sa.clientSecret);
    expectOAuthError(await postToken(w.app, { authorization, body: '' }), 400, INVALID_REQUEST);
    expectOAuthError(await postToken(w.app, { authorization, body: 'scope=openid' }), 400, INVALID_REQUEST);
  });

  test('grant_type=password → 400 unsupported_grant_type', async () => {
    const authorization = basic(sa.clientId, sa.clientSecret);
    expectOAuthError(
      await postToken(w.app, { authorization, body: 'grant_type=password&username=a&password=b' }),
      400,
      UNSUPPORTED_GRANT,
    );
  });

  test('a JSON body → 400 invalid_request', async () => {
    const authorization = basic(sa.clientId, sa.clientSecret);
    const body = JSON.stringify({ grant_type: 'client_credentials' });
    expectOAuthError(
      await postToken(w.app, { authorization, body, contentType: 'application/json' }),
      400,
      INVALID_REQUEST,
    );
  });

  test('an expired secret → 401 invalid_client', async () => {
    const short = await newServiceAccount(1);
    await newToken(w.app, short); // valid while the secret is
    w.clock.advance(2 * 3600_000);
    expectOAuthError(
      await postToken(w.app, { authorization: basic(short.clientId, short.clientSecret) }),
      401,
      INVALID_CLIENT,
    );
  });
});

describe('Bearer tokens on the API', () => {
  test('work on a v2 endpoint and on a v1.0 endpoint', async () => {
    const token = await newToken();
    expectV2Invite(await listV2(w.app, token), 200, []);
    const v1 = await w.app.inject({
      method: 'GET',
      url: `/api/public/v1.0/groups/${w.groupId}/invites`,
      headers: { accept: 'application/json', ...bearer(token) },
    });
    expectV1(v1, 200, []);
  });

  test('expire 3600 s after issue (moved clock): 401 with the Digest challenge', async () => {
    const token = await newToken();
    w.clock.advance(3599_000);
    assert.equal((await listV2(w.app, token)).statusCode, 200);
    w.clock.advance(1_000);
    expectChallenge(await listV2(w.app, token));
  });

  test('revoke: 200 with no body, then the token is refused', async () => {
    const token = await newToken();
    assert.equal((await listV2(w.app, token)).statusCode, 200);
    const res = await w.app.inject({
      method: 'POST',
      url: '/api/oauth/revoke',
      headers: { authorization: basic(sa.clientId, sa.clientSecret), 'content-type': FORM },
      payload: `token=${token}&token_type_hint=access_token`,
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.body, '');
    expectChallenge(await listV2(w.app, token));
    // Revoking again is harmless (RFC 7009)
    const again = await w.app.inject({
      method: 'POST',
      url: '/api/oauth/revoke',
      headers: { authorization: basic(sa.clientId, sa.clientSecret), 'content-type': FORM },
      payload: `token=${token}&token_type_hint=access_token`,
    });
    assert.equal(again.statusCode, 200);
  });

  test("revoking another client's token does nothing", async () => {
    const other = await newServiceAccount();
    const token = await newToken();
    const res = await w.app.inject({
      method: 'POST',
      url: '/api/oauth/revoke',
      headers: { authorization: basic(other.clientId, other.clientSecret), 'content-type': FORM },
      payload: `token=${token}&token_type_hint=access_token`,
    });
    assert.equal(res.statusCode, 200);
    assert.equal((await listV2(w.app, token)).statusCode, 200);
  });

  test('revoke needs the client credentials', async () => {
    const token = await newToken();
    const res = await w.app.inject({
      method: 'POST',
      url: '/api/oauth/revoke',
      headers: { authorization: basic(sa.clientId, 'wrong'), 'content-type': FORM },
      payload: `token=${token}`,
    });
    expectOAuthError(res, 401, INVALID_CLIENT);
    assert.equal((await listV2(w.app, token)).statusCode, 200);
  });

  test('malformed, forged, foreign and alg=none tokens → 401 with the Digest challenge', async () => {
    const real = await newToken();
    const claims = decodeJwt(real);
    const now = Math.floor(w.clock.now().getTime() / 1000);
    // the same claims, re-signed with another key
    const forged = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .sign(new Uint8Array(32).fill(7));
    // signed with the real key, but for a client that does not exist
    const unknownClient = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer('cloud-invites')
      .setSubject('mdb_sa_id_000000000000000000000000')
      .setJti('0'.repeat(32))
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(w.deps.tokenKey);
    // the real key, another issuer
    const otherIssuer = await new SignJWT({ ...claims, iss: 'someone-else' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(w.deps.tokenKey);
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const algNone = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
    // a token from another deployment (its own signing key)
    const foreignWorld = await testWorld();
    const foreign = await newToken(foreignWorld.app, foreignWorld.serviceAccount);
    await foreignWorld.close();
    const tampered = `${real.split('.')[0]}.${b64({ ...claims, sub: 'mdb_sa_id_111111111111111111111111' })}.${real.split('.')[2]}`;
    for (const token of ['abc', 'a.b.c', `${real}x`, forged, unknownClient, otherIssuer, algNone, foreign, tampered]) {
      expectChallenge(await listV2(w.app, token));
    }
    assert.equal((await listV2(w.app, real)).statusCode, 200);
  });

  test('any node can check a token: a second app built on the same store accepts it (and sees its revocation)', async () => {
    const second = buildApp(w.deps);
    await second.ready();
    try {
      const token = await newToken(w.app);
      expectV2Invite(await listV2(second, token), 200, []);
      const fromSecond = await newToken(second);
      expectV2Invite(await listV2(w.app, fromSecond), 200, []);
      const res = await second.inject({
        method: 'POST',
        url: '/api/oauth/revoke',
        headers: { authorization: basic(sa.clientId, sa.clientSecret), 'content-type': FORM },
        payload: `token=${token}&token_type_hint=access_token`,
      });
      assert.equal(res.statusCode, 200);
      expectChallenge(await listV2(w.app, token));
    } finally {
      await second.close();
    }
  });

  test('an invitation created with a Bearer token has inviterUsername = the client id', async () => {
    const token = await newToken();
    const res = await w.app.inject({
      method: 'POST',
      url: `/api/atlas/v2/groups/${w.groupId}/invites`,
      headers: { accept: V2, 'content-type': V2, ...bearer(token) },
      payload: JSON.stringify({ roles: ['GROUP_READ_ONLY'], username: 'bearer@example.com' }),
    });
    expectV2Invite(
      res,
      200,
      invitation({
        id: idOf(res),
        groupId: w.groupId,
        inviter: sa.clientId,
        username: 'bearer@example.com',
        roles: ['GROUP_READ_ONLY'],
      }),
    );
    await w.app.inject({
      method: 'DELETE',
      url: `/api/atlas/v2/groups/${w.groupId}/invites/${idOf(res)}`,
      headers: { accept: V2, ...bearer(token) },
    });
  });
});
