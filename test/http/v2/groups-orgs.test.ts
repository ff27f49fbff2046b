import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { type TestWorld, testWorld } from '../../helpers/app.ts';
import { expectAtlasError, expectV2, groupBody, HOST, idOf, invitation, orgBody } from '../expect.ts';

/** Orgs, projects and the API root on v2. A fresh store for every test. */
let w: TestWorld;
beforeEach(async () => {
  w = await testWorld();
});
afterEach(() => w.close());

const ORIGIN = { id: '', name: 'invitations-e2e-233', orgId: '' };
const origin = () => ({ ...ORIGIN, id: w.groupId, orgId: w.orgId });

/** Projects created one second apart, so their order is their creation order. */
async function projects(names: string[]): Promise<Array<{ id: string; name: string; orgId: string; created: string }>> {
  const out = [];
  for (const name of names) {
    w.clock.advance(1000);
    const created = `${w.clock.now().toISOString().slice(0, 19)}Z`;
    out.push({ id: await w.newProject(w.orgId, name), name, orgId: w.orgId, created });
  }
  return out;
}

async function groupCount(): Promise<number> {
  return JSON.parse((await w.api({ url: '/api/atlas/v2/groups' })).body).totalCount;
}

test('listOrgs: paginated, with the self link Atlas writes, and a case-insensitive name prefix filter', async () => {
  const res = await w.api({ url: '/api/atlas/v2/orgs' });
  expectV2(res, 200, {
    links: [{ href: `${HOST}/api/atlas/v2/orgs?includeCount=true&name=&pageNum=1&itemsPerPage=100`, rel: 'self' }],
    results: [orgBody(w.orgId, 'Atlas CLI E2E', false)],
    totalCount: 1,
  });
  assert.equal(res.headers['ratelimit-limit'], '300');
  const hit = await w.api({ url: '/api/atlas/v2/orgs?name=atlas%20cli' });
  expectV2(hit, 200, {
    links: [
      { href: `${HOST}/api/atlas/v2/orgs?includeCount=true&name=atlas%20cli&pageNum=1&itemsPerPage=100`, rel: 'self' },
    ],
    results: [orgBody(w.orgId, 'Atlas CLI E2E', false)],
    totalCount: 1,
  });
  const miss = await w.api({ url: '/api/atlas/v2/orgs?name=CLI' });
  expectV2(miss, 200, {
    links: [{ href: `${HOST}/api/atlas/v2/orgs?includeCount=true&name=CLI&pageNum=1&itemsPerPage=100`, rel: 'self' }],
    results: [],
    totalCount: 0,
  });
});

test('getOrg: one org with its groups/teams/users links; unknown and malformed ids', async () => {
  const res = await w.api({ url: `/api/atlas/v2/orgs/${w.orgId}` });
  expectV2(res, 200, orgBody(w.orgId, 'Atlas CLI E2E', true));
  assert.equal(res.headers['ratelimit-limit'], '500');
  const unknown = '222222222222222222222222';
  expectAtlasError(
    await w.api({ url: `/api/atlas/v2/orgs/${unknown}` }),
    404,
    'ORG_NOT_FOUND',
    `No organization with ID ${unknown} exists.`,
    [unknown],
  );
  expectAtlasError(
    await w.api({ url: '/api/atlas/v2/orgs/my-org' }),
    404,
    'INVALID_ORG_ID',
    'An invalid organization ID my-org was specified.',
    ['my-org'],
  );
});

test('updateOrg: an Organization Owner renames the org; getOrg and org invitations show the new name', async () => {
  const url = `/api/atlas/v2/orgs/${w.orgId}`;
  const invite = await w.api({
    method: 'POST',
    url: `${url}/invites`,
    body: { roles: ['ORG_MEMBER'], username: 'o@example.com' },
  });
  // A client may echo the GET body back: the read-only fields are accepted and dropped.
  const res = await w.api({
    method: 'PATCH',
    url,
    body: { ...orgBody(w.orgId, 'ignored', true), name: 'Renamed Org (QA)' },
  });
  expectV2(res, 200, orgBody(w.orgId, 'Renamed Org (QA)', true));
  assert.equal(res.headers['ratelimit-limit'], '500');
  expectV2(await w.api({ url }), 200, orgBody(w.orgId, 'Renamed Org (QA)', true));
  assert.equal(JSON.parse((await w.api({ url: `${url}/invites/${idOf(invite)}` })).body).orgName, 'Renamed Org (QA)');
});

test('updateOrg refusals write nothing: bad bodies, bad names, unknown ids, an Organization Member', async () => {
  const url = `/api/atlas/v2/orgs/${w.orgId}`;
  expectAtlasError(
    await w.api({ method: 'PATCH', url, body: {} }),
    400,
    'MISSING_ATTRIBUTE',
    'The required attribute name was not specified.',
    ['name'],
  );
  expectAtlasError(
    await w.api({ method: 'PATCH', url, body: { name: 'x', orgId: w.orgId } }),
    400,
    'INVALID_ATTRIBUTE',
    'Invalid attribute orgId specified.',
    ['orgId'],
  );
  expectAtlasError(
    await w.api({ method: 'PATCH', url, body: { name: 7 } }),
    400,
    'INVALID_JSON_ATTRIBUTE',
    'Received JSON for the name attribute does not match expected format.',
    ['name'],
  );
  const bad = await w.api({ method: 'PATCH', url, body: { name: 'no/slashes' } });
  assert.equal(bad.statusCode, 400);
  assert.equal(JSON.parse(bad.body).errorCode, 'VALIDATION_ERROR');
  const unknown = '222222222222222222222222';
  expectAtlasError(
    await w.api({ method: 'PATCH', url: `/api/atlas/v2/orgs/${unknown}`, body: { name: 'x' } }),
    404,
    'ORG_NOT_FOUND',
    `No organization with ID ${unknown} exists.`,
    [unknown],
  );
  // A bad id is answered before a bad body, as on every Atlas route.
  expectAtlasError(
    await w.api({ method: 'PATCH', url: '/api/atlas/v2/orgs/my-org', body: { nope: 1 } }),
    404,
    'INVALID_ORG_ID',
    'An invalid organization ID my-org was specified.',
    ['my-org'],
  );
  const member = w.as(await w.key(['ORG_MEMBER']));
  const refused = await member({ method: 'PATCH', url, body: { name: 'by a member' } });
  expectAtlasError(refused, 401, 'USER_UNAUTHORIZED', 'Current user is not authorized to perform this action.', []);
  expectV2(await w.api({ url }), 200, orgBody(w.orgId, 'Atlas CLI E2E', true));
});

test('getOrgGroups: the org projects, filtered by a case-insensitive name prefix', async () => {
  const [a1, a2, b] = await projects(['Alpha-1', 'alpha-2', 'Beta']);
  const url = (q: string) => `/api/atlas/v2/orgs/${w.orgId}/groups${q}`;
  const self = `${HOST}/api/atlas/v2/orgs/${w.orgId}/groups?includeCount=true&pageNum=1&itemsPerPage=100`;
  expectV2(await w.api({ url: url('') }), 200, {
    links: [{ href: self, rel: 'self' }],
    results: [origin(), a1, a2, b].map((p) => groupBody(p, false)),
    totalCount: 4,
  });
  expectV2(await w.api({ url: url('?name=ALPHA') }), 200, {
    links: [{ href: self, rel: 'self' }],
    results: [a1, a2].map((p) => groupBody(p, false)),
    totalCount: 2,
  });
  expectV2(await w.api({ url: url('?name=pha') }), 200, {
    links: [{ href: self, rel: 'self' }],
    results: [],
    totalCount: 0,
  });
});

test('listGroups pages: previous/next links, includeCount=false, itemsPerPage bounds', async () => {
  const ps = [origin(), ...(await projects(['p-2', 'p-3', 'p-4', 'p-5']))];
  const g = `${HOST}/api/atlas/v2/groups`;
  const page2 = await w.api({ url: '/api/atlas/v2/groups?itemsPerPage=2&pageNum=2' });
  expectV2(page2, 200, {
    links: [
      { href: `${g}?includeCount=true&itemsPerPage=2&pageNum=1`, rel: 'previous' },
      { href: `${g}?includeCount=true&pageNum=2&itemsPerPage=2`, rel: 'self' },
      { href: `${g}?includeCount=true&itemsPerPage=2&pageNum=3`, rel: 'next' },
    ],
    results: [ps[2], ps[3]].map((p) => groupBody(p, false)),
    totalCount: 5,
  });
  assert.equal(page2.headers['ratelimit-limit'], '1200');
  expectV2(await w.api({ url: '/api/atlas/v2/groups?itemsPerPage=2&pageNum=3' }), 200, {
    links: [
      { href: `${g}?includeCount=true&itemsPerPage=2&pageNum=2`, rel: 'previous' },
      { href: `${g}?includeCount=true&pageNum=3&itemsPerPage=2`, rel: 'self' },
    ],
    results: [groupBody(ps[4], false)],
    totalCount: 5,
  });
  const first = JSON.parse((await w.api({ url: '/api/atlas/v2/groups?itemsPerPage=2&includeCount=false' })).body);
  assert.equal(first.totalCount, 0);
  assert.deepEqual(
    first.results.map((p: { id: string }) => p.id),
    [ps[0].id, ps[1].id],
  );
  expectV2(await w.api({ url: '/api/atlas/v2/groups?itemsPerPage=2&pageNum=9' }), 200, {
    links: [
      { href: `${g}?includeCount=true&itemsPerPage=2&pageNum=8`, rel: 'previous' },
      { href: `${g}?includeCount=true&pageNum=9&itemsPerPage=2`, rel: 'self' },
    ],
    results: [],
    totalCount: 5,
  });
  for (const [q, name] of [
    ['itemsPerPage=501', 'itemsPerPage'],
    ['itemsPerPage=0', 'itemsPerPage'],
    ['pageNum=0', 'pageNum'],
    ['pageNum=two', 'pageNum'],
  ]) {
    expectAtlasError(
      await w.api({ url: `/api/atlas/v2/groups?${q}` }),
      400,
      'INVALID_QUERY_PARAMETER',
      `Invalid query parameter ${name} specified.`,
      [name],
    );
  }
  assert.equal(JSON.parse((await w.api({ url: '/api/atlas/v2/groups?itemsPerPage=500' })).body).results.length, 5);
});

test('includeCount is read the Java way like pretty/envelope: only "true" (or absent) counts', async () => {
  // Atlas binds boolean query flags with java.lang.Boolean: "yes"/"1" are false, as for pretty=yes.
  for (const v of ['yes', '1', 'no']) {
    assert.equal(
      JSON.parse((await w.api({ url: `/api/atlas/v2/groups?includeCount=${v}` })).body).totalCount,
      0,
      `includeCount=${v}`,
    );
  }
  assert.equal(JSON.parse((await w.api({ url: '/api/atlas/v2/groups?includeCount=TRUE' })).body).totalCount, 1);
});

test('createGroup: 201, Location, a Group with 7 links; it is then listed', async () => {
  w.clock.advance(5000);
  const res = await w.api({
    method: 'POST',
    url: '/api/atlas/v2/groups',
    body: { name: 'new-project', orgId: w.orgId },
  });
  const id = idOf(res);
  const created = { id, name: 'new-project', orgId: w.orgId, created: '2026-08-10T03:04:58Z' };
  expectV2(res, 201, groupBody(created, true));
  assert.equal(res.headers.location, `${HOST}//api/atlas/v1.0`);
  assert.equal(res.headers['ratelimit-limit'], '1200');
  expectV2(await w.api({ url: `/api/atlas/v2/groups/${id}` }), 200, groupBody(created, true));
  const list = JSON.parse((await w.api({ url: '/api/atlas/v2/groups' })).body);
  assert.deepEqual(list.results, [groupBody(origin(), false), groupBody(created, false)]);
});

test('createGroup with tags and withDefaultAlertsSettings=false echoes them', async () => {
  const body = {
    name: 'tagged',
    orgId: w.orgId,
    tags: [{ key: 'env', value: 'dev' }],
    withDefaultAlertsSettings: false,
  };
  const res = await w.api({ method: 'POST', url: '/api/atlas/v2/groups', body });
  const { withDefaultAlertsSettings: _, ...rest } = groupBody({ id: idOf(res), name: 'tagged', orgId: w.orgId }, true);
  expectV2(res, 201, { ...rest, tags: [{ key: 'env', value: 'dev' }], withDefaultAlertsSettings: false });
});

test('createGroup errors: duplicate name 409, missing attributes 400, bad or unknown orgId 404; nothing created', async () => {
  const create = (body: unknown) => w.api({ method: 'POST', url: '/api/atlas/v2/groups', body });
  expectAtlasError(
    await create({ name: 'invitations-e2e-233', orgId: w.orgId }),
    409,
    'GROUP_ALREADY_EXISTS',
    'A group with name "invitations-e2e-233" already exists.',
    ['invitations-e2e-233'],
  );
  expectAtlasError(
    await create({ orgId: w.orgId }),
    400,
    'MISSING_ATTRIBUTE',
    'The required attribute name was not specified.',
    ['name'],
  );
  expectAtlasError(
    await create({ name: 'x' }),
    400,
    'MISSING_ATTRIBUTE',
    'The required attribute orgId was not specified.',
    ['orgId'],
  );
  expectAtlasError(
    await create({ name: 'x', orgId: 'not-an-id' }),
    404,
    'INVALID_ORG_ID',
    'An invalid organization ID not-an-id was specified.',
    ['not-an-id'],
  );
  const unknown = '333333333333333333333333';
  expectAtlasError(
    await create({ name: 'x', orgId: unknown }),
    404,
    'ORG_NOT_FOUND',
    `No organization with ID ${unknown} exists.`,
    [unknown],
  );
  expectAtlasError(
    await create({ name: 'x', orgId: w.orgId, color: 'red' }),
    400,
    'INVALID_ATTRIBUTE',
    'Invalid attribute color specified.',
    ['color'],
  );
  assert.equal(await groupCount(), 1);
});

test('getGroup: one project; unknown → GROUP_NOT_FOUND, malformed → INVALID_GROUP_ID', async () => {
  expectV2(await w.api({ url: `/api/atlas/v2/groups/${w.groupId}` }), 200, groupBody(origin(), true));
  const unknown = '111111111111111111111111';
  expectAtlasError(
    await w.api({ url: `/api/atlas/v2/groups/${unknown}` }),
    404,
    'GROUP_NOT_FOUND',
    `No group with ID ${unknown} exists.`,
    [unknown],
  );
  expectAtlasError(
    await w.api({ url: '/api/atlas/v2/groups/zzz' }),
    404,
    'INVALID_GROUP_ID',
    'An invalid group ID zzz was specified.',
    ['zzz'],
  );
});

test('updateGroup renames the project, and its invitations show the new name', async () => {
  const inv = await w.api({
    method: 'POST',
    url: `/api/atlas/v2/groups/${w.groupId}/invites`,
    body: { roles: ['GROUP_OWNER'], username: 'a@example.com' },
  });
  const res = await w.api({ method: 'PATCH', url: `/api/atlas/v2/groups/${w.groupId}`, body: { name: 'renamed' } });
  const renamed = { ...origin(), name: 'renamed' };
  expectV2(res, 200, groupBody(renamed, true));
  expectV2(await w.api({ url: `/api/atlas/v2/groups/${w.groupId}` }), 200, groupBody(renamed, true));
  const got = await w.api({ url: `/api/atlas/v2/groups/${w.groupId}/invites/${idOf(inv)}` });
  assert.deepEqual(
    JSON.parse(got.body),
    invitation({
      id: idOf(inv),
      groupId: w.groupId,
      groupName: 'renamed',
      inviter: w.owner.publicKey,
      username: 'a@example.com',
      roles: ['GROUP_OWNER'],
    }),
  );
  const [other] = await projects(['taken']);
  const clash = await w.api({ method: 'PATCH', url: `/api/atlas/v2/groups/${other.id}`, body: { name: 'renamed' } });
  expectAtlasError(clash, 409, 'GROUP_ALREADY_EXISTS', 'A group with name "renamed" already exists.', ['renamed']);
  expectAtlasError(
    await w.api({ method: 'PATCH', url: `/api/atlas/v2/groups/${w.groupId}`, body: { orgId: w.orgId } }),
    400,
    'INVALID_ATTRIBUTE',
    'Invalid attribute orgId specified.',
    ['orgId'],
  );
});

test('deleteGroup: 202 {}, then the project and its invitations are gone', async () => {
  const invites = `/api/atlas/v2/groups/${w.groupId}/invites`;
  await w.api({ method: 'POST', url: invites, body: { roles: ['GROUP_OWNER'], username: 'a@example.com' } });
  await w.api({ method: 'POST', url: invites, body: { roles: ['GROUP_READ_ONLY'], username: 'b@example.com' } });
  const res = await w.api({ method: 'DELETE', url: `/api/atlas/v2/groups/${w.groupId}` });
  expectV2(res, 202, {});
  assert.equal(res.body, '{}');
  const gone = `No group with ID ${w.groupId} exists.`;
  expectAtlasError(await w.api({ url: `/api/atlas/v2/groups/${w.groupId}` }), 404, 'GROUP_NOT_FOUND', gone, [
    w.groupId,
  ]);
  expectAtlasError(await w.api({ url: invites }), 404, 'GROUP_NOT_FOUND', gone, [w.groupId]);
  expectAtlasError(
    await w.api({ method: 'DELETE', url: `/api/atlas/v2/groups/${w.groupId}` }),
    404,
    'GROUP_NOT_FOUND',
    gone,
    [w.groupId],
  );
  const rows = await w.deps.ctx.db.selectFrom('invitations').select('id').where('scope_id', '=', w.groupId).execute();
  assert.deepEqual(rows, []);
  assert.equal(await groupCount(), 0);
});

test('getSystemStatus echoes the calling key and its roles', async () => {
  const idOfKey = async (publicKey: string) =>
    (
      await w.deps.ctx.db
        .selectFrom('api_keys')
        .select('id')
        .where('public_key', '=', publicKey)
        .executeTakeFirstOrThrow()
    ).id;
  const build = '0000000000000000000000000000000000000000';
  expectV2(await w.api({ url: '/api/atlas/v2' }), 200, {
    apiKey: {
      accessList: [],
      id: await idOfKey(w.owner.publicKey),
      publicKey: w.owner.publicKey,
      roles: [{ orgId: w.orgId, roleName: 'ORG_OWNER' }],
    },
    appName: 'MongoDB Atlas',
    build,
    throttling: false,
  });
  const k = await w.key(['ORG_MEMBER'], { [w.groupId]: ['GROUP_READ_ONLY'] });
  expectV2(await w.as(k)({ url: '/api/atlas/v2' }), 200, {
    apiKey: {
      accessList: [],
      id: await idOfKey(k.publicKey),
      publicKey: k.publicKey,
      roles: [
        { orgId: w.orgId, roleName: 'ORG_MEMBER' },
        { groupId: w.groupId, roleName: 'GROUP_READ_ONLY' },
      ],
    },
    appName: 'MongoDB Atlas',
    build,
    throttling: false,
  });
});

test('a trailing or doubled slash names the same resource, as on Atlas', async () => {
  const w = await testWorld();
  try {
    const root = await w.api({ url: '/api/atlas/v2/' });
    assert.equal(root.statusCode, 200, root.body);
    assert.equal(JSON.parse(root.body).appName, 'MongoDB Atlas');
    const created = await w.api({
      method: 'POST',
      url: `/api/atlas/v2/groups/${w.groupId}/invites/`,
      body: { roles: ['GROUP_READ_ONLY'], username: 'slash@example.com' },
    });
    assert.equal(created.statusCode, 200, created.body);
    const list = await w.api({ url: `/api/atlas/v2/groups/${w.groupId}/invites/` });
    assert.equal(list.statusCode, 200);
    assert.equal(JSON.parse(list.body)[0].username, 'slash@example.com');
    const doubled = await w.api({ url: `/api/atlas/v2//groups/${w.groupId}/invites` });
    assert.equal(doubled.statusCode, 200, doubled.body);
    const unauthenticated = await w.app.inject({
      method: 'GET',
      url: `//api/atlas/v2/groups/${w.groupId}/invites`,
      headers: { accept: 'application/vnd.atlas.2023-01-01+json' },
    });
    assert.equal(unauthenticated.statusCode, 401);
  } finally {
    await w.close();
  }
});

test('getSystemStatus shows the caller key’s access list', async () => {
  const w = await testWorld();
  try {
    const { addAccessListEntries } = await import('../../../src/domain/access-lists/access-list.service.ts');
    const { principalForPublicKey } = await import('../../../src/domain/api-keys/api-key.service.ts');
    const p = await principalForPublicKey(w.deps.ctx, w.owner.publicKey);
    await addAccessListEntries(w.deps.ctx, { kind: 'apiKey', id: p?.id as string }, ['127.0.0.1', '10.0.0.0/8']);
    const res = await w.api({ url: '/api/atlas/v2' });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(JSON.parse(res.body).apiKey.accessList, [
      { cidrBlock: '127.0.0.1/32', ipAddress: '127.0.0.1' },
      { cidrBlock: '10.0.0.0/8' },
    ]);
  } finally {
    await w.close();
  }
});
