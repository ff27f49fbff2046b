import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type RequestOptions, type TestWorld, testWorld, V2 } from '../../helpers/app.ts';
import { errorJson, expectAtlasError, expectV2, expectV2Invite, idOf, invitation } from '../expect.ts';
import { signedRequest } from '../signed.ts';

/**
 * Bad input on the v2 invitation endpoints: each answer exactly, and after every one the project's
 * invitations are exactly what they were (nothing half-written). One store for the whole file.
 */
let w: TestWorld;
let base: string;
let baseline: string;
let inviteId: string;
before(async () => {
  w = await testWorld();
  base = `/api/atlas/v2/groups/${w.groupId}/invites`;
  const res = await w.api({
    method: 'POST',
    url: base,
    body: { roles: ['GROUP_READ_ONLY'], username: 'kept@example.com' },
  });
  inviteId = idOf(res);
  baseline = JSON.stringify([
    invitation({
      id: inviteId,
      groupId: w.groupId,
      inviter: w.owner.publicKey,
      username: 'kept@example.com',
      roles: ['GROUP_READ_ONLY'],
    }),
  ]);
});
after(() => w.close());

async function assertUnchanged(): Promise<void> {
  const list = await w.api({ url: base });
  assert.equal(list.statusCode, 200);
  assert.equal(list.body, baseline, 'the invitations changed after a rejected request');
}

const UNKNOWN_GROUP = '111111111111111111111111';
const VALID = { roles: ['GROUP_OWNER'], username: 'new@example.com' };
const validation = (msg: string) => `The request content produced the validation error: ${msg}.`;

interface Case {
  name: string;
  req: () => RequestOptions;
  status: number;
  code: string;
  detail: () => string;
  params: () => Array<string | number>;
}

const cases: Case[] = [
  {
    name: 'malformed groupId (GET list)',
    req: () => ({ url: '/api/atlas/v2/groups/abc/invites' }),
    status: 404,
    code: 'INVALID_GROUP_ID',
    detail: () => 'An invalid group ID abc was specified.',
    params: () => ['abc'],
  },
  {
    name: 'malformed groupId (POST)',
    req: () => ({ method: 'POST', url: '/api/atlas/v2/groups/ABCDEF0123456789abcdef01/invites', body: VALID }),
    status: 404,
    code: 'INVALID_GROUP_ID',
    detail: () => 'An invalid group ID ABCDEF0123456789abcdef01 was specified.',
    params: () => ['ABCDEF0123456789abcdef01'],
  },
  {
    name: 'unknown groupId (GET list)',
    req: () => ({ url: `/api/atlas/v2/groups/${UNKNOWN_GROUP}/invites` }),
    status: 404,
    code: 'GROUP_NOT_FOUND',
    detail: () => `No group with ID ${UNKNOWN_GROUP} exists.`,
    params: () => [UNKNOWN_GROUP],
  },
  {
    name: 'unknown groupId (POST)',
    req: () => ({ method: 'POST', url: `/api/atlas/v2/groups/${UNKNOWN_GROUP}/invites`, body: VALID }),
    status: 404,
    code: 'GROUP_NOT_FOUND',
    detail: () => `No group with ID ${UNKNOWN_GROUP} exists.`,
    params: () => [UNKNOWN_GROUP],
  },
  {
    name: 'malformed invitationId (GET)',
    req: () => ({ url: `${base}/xyz` }),
    status: 404,
    code: 'INVALID_INVITATION_ID',
    detail: () => 'An invalid invitation ID xyz was specified.',
    params: () => ['xyz'],
  },
  {
    name: 'malformed invitationId (PATCH)',
    req: () => ({ method: 'PATCH', url: `${base}/xyz`, body: { roles: ['GROUP_OWNER'] } }),
    status: 404,
    code: 'INVALID_INVITATION_ID',
    detail: () => 'An invalid invitation ID xyz was specified.',
    params: () => ['xyz'],
  },
  {
    name: 'malformed invitationId (DELETE)',
    req: () => ({ method: 'DELETE', url: `${base}/xyz` }),
    status: 404,
    code: 'INVALID_INVITATION_ID',
    detail: () => 'An invalid invitation ID xyz was specified.',
    params: () => ['xyz'],
  },
  {
    name: 'malformed JSON',
    req: () => ({ method: 'POST', url: base, rawBody: '{"username":"a@b.co",' }),
    status: 400,
    code: 'MALFORMED_JSON',
    detail: () => 'Received JSON is malformed.',
    params: () => [],
  },
  {
    name: 'JSON array body',
    req: () => ({ method: 'POST', url: base, rawBody: JSON.stringify([VALID]) }),
    status: 400,
    code: 'INVALID_JSON',
    detail: () => 'Received JSON does not match expected format.',
    params: () => [],
  },
  {
    name: 'JSON string body',
    req: () => ({ method: 'POST', url: base, rawBody: '"new@example.com"' }),
    status: 400,
    code: 'INVALID_JSON',
    detail: () => 'Received JSON does not match expected format.',
    params: () => [],
  },
  {
    name: 'unknown field',
    req: () => ({ method: 'POST', url: base, body: { ...VALID, foo: 1 } }),
    status: 400,
    code: 'INVALID_ATTRIBUTE',
    detail: () => 'Invalid attribute foo specified.',
    params: () => ['foo'],
  },
  // Names of Object.prototype members are attributes like any other unknown one
  {
    name: 'unknown field "toString"',
    req: () => ({
      method: 'POST',
      url: base,
      rawBody: '{"roles":["GROUP_OWNER"],"toString":"x","username":"new@example.com"}',
    }),
    status: 400,
    code: 'INVALID_ATTRIBUTE',
    detail: () => 'Invalid attribute toString specified.',
    params: () => ['toString'],
  },
  {
    name: 'unknown field "__proto__"',
    req: () => ({
      method: 'POST',
      url: base,
      rawBody: '{"__proto__":{},"roles":["GROUP_OWNER"],"username":"new@example.com"}',
    }),
    status: 400,
    code: 'INVALID_ATTRIBUTE',
    detail: () => 'Invalid attribute __proto__ specified.',
    params: () => ['__proto__'],
  },
  {
    name: 'unknown field "constructor": null',
    req: () => ({
      method: 'PATCH',
      url: base,
      rawBody: '{"constructor":null,"roles":["GROUP_READ_ONLY"],"username":"kept@example.com"}',
    }),
    status: 400,
    code: 'INVALID_ATTRIBUTE',
    detail: () => 'Invalid attribute constructor specified.',
    params: () => ['constructor'],
  },
  {
    name: 'unknown field "foo": null',
    req: () => ({
      method: 'PATCH',
      url: base,
      rawBody: '{"foo":null,"roles":["GROUP_READ_ONLY"],"username":"kept@example.com"}',
    }),
    status: 400,
    code: 'INVALID_ATTRIBUTE',
    detail: () => 'Invalid attribute foo specified.',
    params: () => ['foo'],
  },
  {
    name: 'username on PATCH by id',
    req: () => ({
      method: 'PATCH',
      url: `${base}/${inviteId}`,
      body: { roles: ['GROUP_OWNER'], username: 'kept@example.com' },
    }),
    status: 400,
    code: 'INVALID_ATTRIBUTE',
    detail: () => 'Invalid attribute username specified.',
    params: () => ['username'],
  },
  {
    name: 'roles as a string',
    req: () => ({ method: 'POST', url: base, body: { roles: 'GROUP_OWNER', username: 'new@example.com' } }),
    status: 400,
    code: 'INVALID_JSON_ATTRIBUTE',
    detail: () => 'Received JSON for the roles attribute does not match expected format.',
    params: () => ['roles'],
  },
  {
    name: 'username as a number',
    req: () => ({ method: 'PATCH', url: base, body: { roles: ['GROUP_OWNER'], username: 7 } }),
    status: 400,
    code: 'INVALID_JSON_ATTRIBUTE',
    detail: () => 'Received JSON for the username attribute does not match expected format.',
    params: () => ['username'],
  },
  {
    name: 'missing username',
    req: () => ({ method: 'POST', url: base, body: { roles: ['GROUP_OWNER'] } }),
    status: 400,
    code: 'MISSING_ATTRIBUTE',
    detail: () => 'The required attribute username was not specified.',
    params: () => ['username'],
  },
  {
    name: 'missing roles',
    req: () => ({ method: 'POST', url: base, body: { username: 'new@example.com' } }),
    status: 400,
    code: 'MISSING_ATTRIBUTE',
    detail: () => 'The required attribute roles was not specified.',
    params: () => ['roles'],
  },
  {
    name: 'missing roles (PATCH by id)',
    req: () => ({ method: 'PATCH', url: `${base}/${inviteId}`, body: {} }),
    status: 400,
    code: 'MISSING_ATTRIBUTE',
    detail: () => 'The required attribute roles was not specified.',
    params: () => ['roles'],
  },
  {
    name: 'invalid username',
    req: () => ({ method: 'POST', url: base, body: { roles: ['GROUP_OWNER'], username: 'not-an-email' } }),
    status: 400,
    code: 'INVALID_USERNAME',
    detail: () => 'The specified username is not a valid email address.',
    params: () => [],
  },
  {
    name: 'unknown role',
    req: () => ({ method: 'POST', url: base, body: { roles: ['GROUP_WIZARD'], username: 'new@example.com' } }),
    status: 400,
    code: 'INVALID_ROLE_FOR_GROUP',
    detail: () => `Role GROUP_WIZARD is invalid for group ${w.groupId}.`,
    params: () => ['GROUP_WIZARD', w.groupId],
  },
  {
    name: 'org role in a project invite',
    req: () => ({ method: 'POST', url: base, body: { roles: ['ORG_OWNER'], username: 'new@example.com' } }),
    status: 400,
    code: 'INVALID_ROLE_FOR_GROUP',
    detail: () => `Role ORG_OWNER is invalid for group ${w.groupId}.`,
    params: () => ['ORG_OWNER', w.groupId],
  },
  {
    name: 'Cloud Manager-only role on v2',
    req: () => ({ method: 'PATCH', url: `${base}/${inviteId}`, body: { roles: ['GROUP_AUTOMATION_ADMIN'] } }),
    status: 400,
    code: 'INVALID_ROLE_FOR_GROUP',
    detail: () => `Role GROUP_AUTOMATION_ADMIN is invalid for group ${w.groupId}.`,
    params: () => ['GROUP_AUTOMATION_ADMIN', w.groupId],
  },
  {
    name: 'duplicate roles (PATCH by username)',
    req: () => ({
      method: 'PATCH',
      url: base,
      body: { roles: ['GROUP_OWNER', 'GROUP_OWNER'], username: 'kept@example.com' },
    }),
    status: 400,
    code: 'VALIDATION_ERROR',
    detail: () => validation('roles must not contain duplicates, GROUP_OWNER appears twice'),
    params: () => ['roles must not contain duplicates, GROUP_OWNER appears twice'],
  },
  {
    name: 'empty roles (POST, existing username)',
    req: () => ({ method: 'POST', url: base, body: { roles: [], username: 'kept@example.com' } }),
    status: 400,
    code: 'VALIDATION_ERROR',
    detail: () => validation('roles must contain at least one role'),
    params: () => ['roles must contain at least one role'],
  },
  {
    name: 'text/plain content type',
    req: () => ({
      method: 'POST',
      url: base,
      rawBody: JSON.stringify(VALID),
      headers: { 'content-type': 'text/plain' },
    }),
    status: 400,
    code: 'INVALID_JSON',
    detail: () => 'Received JSON does not match expected format.',
    params: () => [],
  },
  {
    name: 'body over 1 MiB',
    req: () => ({ method: 'POST', url: base, body: { ...VALID, username: `${'a'.repeat(1024 * 1024)}@example.com` } }),
    status: 400,
    code: 'VALIDATION_ERROR',
    detail: () => validation('the request body exceeds 1048576 bytes'),
    params: () => ['the request body exceeds 1048576 bytes'],
  },
  {
    name: 'unknown path',
    req: () => ({ url: '/api/atlas/v2/nope' }),
    status: 404,
    code: 'RESOURCE_NOT_FOUND',
    detail: () => 'Cannot find resource /api/atlas/v2/nope.',
    params: () => ['/api/atlas/v2/nope'],
  },
  {
    name: 'PUT on invites',
    req: () => ({ method: 'PUT', url: base, body: VALID }),
    status: 404,
    code: 'RESOURCE_NOT_FOUND',
    detail: () => `Cannot find resource ${base}.`,
    params: () => [base],
  },
];

describe('bad requests are answered with Atlas errors and change nothing', () => {
  for (const c of cases) {
    test(c.name, async () => {
      expectAtlasError(await w.api(c.req()), c.status, c.code, c.detail(), c.params());
      await assertUnchanged();
    });
  }
});

describe('version negotiation (Accept)', () => {
  const NOT_ACCEPTABLE =
    '{"detail":"Invalid accept header or version date.","error":406,"errorCode":"INVALID_VERSION_DATE","parameters":[],"reason":"Not Acceptable"}';
  const expect406 = (res: Awaited<ReturnType<typeof signedRequest>>) => {
    expectAtlasError(res, 406, 'INVALID_VERSION_DATE', 'Invalid accept header or version date.');
    assert.equal(res.body, NOT_ACCEPTABLE);
  };

  test('no Accept header at all → 406, and a POST without it writes nothing', async () => {
    expect406(await signedRequest(w, w.owner, { url: base }));
    const post = await signedRequest(w, w.owner, {
      method: 'POST',
      url: base,
      headers: { 'content-type': V2 },
      payload: JSON.stringify(VALID),
    });
    expect406(post);
    await assertUnchanged();
  });

  for (const accept of [
    'application/json',
    'application/vnd.atlas.2023-02-30+json',
    'application/vnd.atlas.2022-12-31+json',
    '*/*',
  ]) {
    test(`Accept: ${accept} → 406`, async () => {
      expect406(await w.api({ url: base, headers: { accept } }));
      expect406(await w.api({ method: 'POST', url: base, headers: { accept }, body: VALID }));
      await assertUnchanged();
    });
  }

  test('a list of media ranges is fine when one of them is a valid version', async () => {
    const res = await w.api({
      url: base,
      headers: { accept: 'application/json, application/vnd.atlas.2023-01-01+json;q=0.9' },
    });
    expectV2Invite(res, 200, JSON.parse(baseline));
  });

  test('a later valid date (2025-03-12) resolves to the 2023-01-01 resource', async () => {
    const res = await w.api({ url: base, headers: { accept: 'application/vnd.atlas.2025-03-12+json' } });
    expectV2Invite(res, 200, JSON.parse(baseline));
  });
});

describe('pretty and envelope', () => {
  const one = () => JSON.parse(baseline)[0];

  test('pretty=true prints Jackson style; pretty=TRUE too; pretty=yes and pretty=1 are false', async () => {
    const i = one();
    const expected = `{\n  "createdAt" : "2026-08-10T03:04:53Z",\n  "expiresAt" : "2026-09-09T03:04:53Z",\n  "groupId" : "${w.groupId}",\n  "groupName" : "invitations-e2e-233",\n  "id" : "${inviteId}",\n  "inviterUsername" : "${w.owner.publicKey}",\n  "roles" : [ "GROUP_READ_ONLY" ],\n  "username" : "kept@example.com"\n}`;
    for (const flag of ['true', 'TRUE']) {
      const res = await w.api({ url: `${base}/${inviteId}?pretty=${flag}` });
      assert.equal(res.statusCode, 200);
      assert.equal(res.body, expected);
    }
    const list = await w.api({ url: `${base}?pretty=true` });
    assert.equal(list.body, `[ ${expected} ]`);
    for (const flag of ['yes', '1', ''])
      expectV2Invite(await w.api({ url: `${base}/${inviteId}?pretty=${flag}` }), 200, i);
  });

  test('pretty=true on an empty list and on an error', async () => {
    const otherId = await w.newProject(w.orgId, 'empty-project');
    const empty = await w.api({ url: `/api/atlas/v2/groups/${otherId}/invites?pretty=true` });
    assert.equal(empty.body, '[ ]');
    const err = await w.api({ url: `${base}/xyz?pretty=true` });
    assert.equal(err.statusCode, 404);
    assert.equal(
      err.body,
      '{\n  "detail" : "An invalid invitation ID xyz was specified.",\n  "error" : 404,\n  "errorCode" : "INVALID_INVITATION_ID",\n  "parameters" : [ "xyz" ],\n  "reason" : "Not Found"\n}',
    );
  });

  test('envelope=true wraps entities and bare-array lists in {content, status}', async () => {
    expectV2Invite(await w.api({ url: `${base}/${inviteId}?envelope=true` }), 200, { content: one(), status: 200 });
    expectV2Invite(await w.api({ url: `${base}?envelope=true` }), 200, { content: [one()], status: 200 });
    const updated = await w.api({
      method: 'PATCH',
      url: `${base}/${inviteId}?envelope=true`,
      body: { roles: ['GROUP_READ_ONLY'] },
    });
    expectV2Invite(updated, 200, { content: one(), status: 200 });
    expectV2Invite(await w.api({ url: `${base}?envelope=yes` }), 200, [one()]);
  });

  test('envelope=true adds status to paginated lists, in alphabetical key order', async () => {
    const res = await w.api({ url: '/api/atlas/v2/orgs?envelope=true' });
    const org = `http://localhost:80/api/atlas/v2/orgs/${w.orgId}`;
    expectV2(res, 200, {
      links: [
        {
          href: 'http://localhost:80/api/atlas/v2/orgs?includeCount=true&name=&pageNum=1&itemsPerPage=100',
          rel: 'self',
        },
      ],
      results: [
        {
          id: w.orgId,
          isDeleted: false,
          links: [{ href: org, rel: 'self' }],
          name: 'Atlas CLI E2E',
          skipDefaultAlertsSettings: false,
        },
      ],
      status: 200,
      totalCount: 1,
    });
  });

  test('envelope=true wraps errors too and keeps the real HTTP status', async () => {
    const res = await w.api({ url: `/api/atlas/v2/groups/${UNKNOWN_GROUP}/invites?envelope=true` });
    assert.equal(res.statusCode, 404);
    assert.equal(res.headers['content-type'], 'application/json');
    assert.equal(res.headers['x-error-code'], 'GROUP_NOT_FOUND');
    assert.equal(
      res.body,
      `{"content":${errorJson(404, 'GROUP_NOT_FOUND', `No group with ID ${UNKNOWN_GROUP} exists.`, [UNKNOWN_GROUP])},"status":404}`,
    );
    const bad = await w.api({ method: 'POST', url: `${base}?envelope=true`, body: { ...VALID, foo: 1 } });
    assert.equal(bad.statusCode, 400);
    assert.equal(
      bad.body,
      `{"content":${errorJson(400, 'INVALID_ATTRIBUTE', 'Invalid attribute foo specified.', ['foo'])},"status":400}`,
    );
    await assertUnchanged();
  });

  test('envelope and pretty together', async () => {
    const res = await w.api({ url: `${base}/${inviteId}?envelope=true&pretty=true` });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/vnd.atlas.2023-01-01+json;charset=utf-8');
    assert.equal(
      res.body,
      `{\n  "content" : {\n    "createdAt" : "2026-08-10T03:04:53Z",\n    "expiresAt" : "2026-09-09T03:04:53Z",\n    "groupId" : "${w.groupId}",\n    "groupName" : "invitations-e2e-233",\n    "id" : "${inviteId}",\n    "inviterUsername" : "${w.owner.publicKey}",\n    "roles" : [ "GROUP_READ_ONLY" ],\n    "username" : "kept@example.com"\n  },\n  "status" : 200\n}`,
    );
  });
});
