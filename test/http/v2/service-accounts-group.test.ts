import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Credentials, type RequestOptions, type TestWorld, testWorld } from '../../helpers/app.ts';
import { expectAtlasError, expectUserUnauthorized } from '../expect.ts';
import {
  AT,
  accountBody,
  type CreatedAccount,
  createdOf,
  expectSA,
  expectSANoContent,
  issueToken,
  masked,
  page,
  SA_ACCEPT,
  saApi,
  secretBody,
  tokenOf,
  withBearer,
} from './service-accounts.fixtures.ts';

/** Project service accounts: org accounts assigned to a project with project roles. */
let w: TestWorld;
let api: ReturnType<typeof saApi>;
let base: string;
let orgBase: string;
let otherProject: string;
let otherOrgId: string;
const keys: Record<string, Credentials> = {};

const EIGHT_HOURS = '2026-08-10T11:04:53Z';
const NEW_ACCOUNT = {
  description: 'Project bot',
  name: 'project-bot',
  roles: ['GROUP_READ_ONLY', 'GROUP_CLUSTER_MANAGER'],
  secretExpiresAfterHours: 8,
};

before(async () => {
  w = await testWorld();
  api = saApi(w.api);
  base = `/api/atlas/v2/groups/${w.groupId}/serviceAccounts`;
  orgBase = `/api/atlas/v2/orgs/${w.orgId}/serviceAccounts`;
  otherProject = await w.newProject(w.orgId, 'other-project');
  otherOrgId = await w.newOrg('Other Org');
  keys.groupOwner = await w.key(['ORG_MEMBER'], { [w.groupId]: ['GROUP_OWNER'] });
  keys.groupReadOnly = await w.key(['ORG_MEMBER'], { [w.groupId]: ['GROUP_READ_ONLY'] });
  keys.groupUserAdmin = await w.key(['ORG_MEMBER'], { [w.groupId]: ['GROUP_USER_ADMIN'] });
  keys.otherProjectOwner = await w.key(['ORG_MEMBER'], { [otherProject]: ['GROUP_OWNER'] });
  keys.orgReadOnly = await w.key(['ORG_READ_ONLY']);
  keys.orgMember = await w.key(['ORG_MEMBER']);
  keys.otherOrgOwner = await w.key(['ORG_OWNER'], {}, otherOrgId);
});
after(() => w.close());

const create = async (body: unknown = NEW_ACCOUNT, url = base): Promise<CreatedAccount> =>
  createdOf(await api({ method: 'POST', url, body }));

describe('every operation as the Organization Owner', () => {
  let sa: CreatedAccount;
  const view = (roles = NEW_ACCOUNT.roles, name = NEW_ACCOUNT.name) =>
    accountBody({
      clientId: sa.clientId,
      name,
      description: NEW_ACCOUNT.description,
      roles,
      secrets: [{ id: sa.secretId, masked: masked(sa.secret), expiresAt: EIGHT_HOURS }],
    });

  test('createGroupServiceAccount → 201 with its project roles and the secret once; it is an Organization Member', async () => {
    const res = await api({ method: 'POST', url: base, body: NEW_ACCOUNT });
    sa = createdOf(res);
    const body = accountBody({
      ...NEW_ACCOUNT,
      clientId: sa.clientId,
      secrets: [{ id: sa.secretId, masked: masked(sa.secret), expiresAt: EIGHT_HOURS, secret: sa.secret }],
    });
    expectSA(res, 201, body, 'group');
    expectSA(await api({ url: `${orgBase}/${sa.clientId}` }), 200, view(['ORG_MEMBER']), 'org');
    expectSA(
      await api({ url: `${orgBase}/${sa.clientId}/groups` }),
      200,
      page(`${orgBase}/${sa.clientId}/groups`, [{ groupId: w.groupId, roles: NEW_ACCOUNT.roles }]),
      'org',
    );
  });

  test('getGroupServiceAccount and listGroupServiceAccounts: only assigned accounts, masked', async () => {
    expectSA(await api({ url: `${base}/${sa.clientId}` }), 200, view(), 'group');
    const list = await api({ url: base });
    expectSA(list, 200, page(base, [view()]), 'group');
    assert.ok(!list.body.includes(sa.secret));
    const other = `/api/atlas/v2/groups/${otherProject}/serviceAccounts`;
    expectSA(await api({ url: other }), 200, page(other, []), 'group');
    expectAtlasError(
      await api({ url: `${other}/${sa.clientId}` }),
      404,
      'RESOURCE_NOT_FOUND',
      `Cannot find resource Service Account with client ID ${sa.clientId}.`,
      [`Service Account with client ID ${sa.clientId}`],
    );
  });

  test('updateGroupServiceAccount: name and description on the account, roles in this project only', async () => {
    const res = await api({
      method: 'PATCH',
      url: `${base}/${sa.clientId}`,
      body: { name: 'renamed bot', roles: ['GROUP_OWNER'] },
    });
    expectSA(res, 200, view(['GROUP_OWNER'], 'renamed bot'), 'group');
    expectSA(await api({ url: `${orgBase}/${sa.clientId}` }), 200, view(['ORG_MEMBER'], 'renamed bot'), 'org');
    expectSA(
      await api({
        method: 'PATCH',
        url: `${base}/${sa.clientId}`,
        body: { name: NEW_ACCOUNT.name, roles: NEW_ACCOUNT.roles },
      }),
      200,
      view(),
      'group',
    );
  });

  test('secrets: create → 201 shown once, delete → 204', async () => {
    const res = await api({
      method: 'POST',
      url: `${base}/${sa.clientId}/secrets`,
      body: { secretExpiresAfterHours: 1 },
    });
    const s = JSON.parse(res.body) as { id: string; secret: string };
    expectSA(
      res,
      201,
      secretBody({ id: s.id, masked: masked(s.secret), expiresAt: '2026-08-10T04:04:53Z', secret: s.secret }),
      'group',
    );
    const got = JSON.parse((await api({ url: `${base}/${sa.clientId}` })).body);
    assert.deepEqual(
      got.secrets.map((x: { id: string }) => x.id),
      [sa.secretId, s.id],
    );
    assert.ok(!JSON.stringify(got).includes(s.secret));
    expectSANoContent(await api({ method: 'DELETE', url: `${base}/${sa.clientId}/secrets/${s.id}` }), 'group');
    expectSA(await api({ url: `${base}/${sa.clientId}` }), 200, view(), 'group');
  });

  test('access list: create, list, delete', async () => {
    const url = `${base}/${sa.clientId}/accessList`;
    const entry = { cidrBlock: '198.51.100.0/24', createdAt: AT, requestCount: 0 };
    expectSA(
      await api({ method: 'POST', url, body: [{ cidrBlock: '198.51.100.0/24' }] }),
      200,
      page(url, [entry]),
      'group',
    );
    expectSA(await api({ url }), 200, page(url, [entry]), 'group');
    // one access list per account: the org route shows the same entries
    expectSA(
      await api({ url: `${orgBase}/${sa.clientId}/accessList` }),
      200,
      page(`${orgBase}/${sa.clientId}/accessList`, [entry]),
      'org',
    );
    expectSANoContent(await api({ method: 'DELETE', url: `${url}/198.51.100.0%2F24` }), 'group');
    expectSA(await api({ url }), 200, page(url, []), 'group');
  });

  test('inviteGroupServiceAccount assigns an org account, and re-inviting replaces its roles', async () => {
    const url = `/api/atlas/v2/groups/${otherProject}/serviceAccounts`;
    const res = await api({
      method: 'POST',
      url: `${url}/${sa.clientId}:invite`,
      body: { roles: ['GROUP_DATA_ACCESS_READ_ONLY'] },
    });
    expectSA(res, 200, view(['GROUP_DATA_ACCESS_READ_ONLY']), 'group');
    expectSA(
      await api({
        method: 'POST',
        url: `${url}/${sa.clientId}:invite`,
        body: { roles: ['GROUP_SEARCH_INDEX_EDITOR'] },
      }),
      200,
      view(['GROUP_SEARCH_INDEX_EDITOR']),
      'group',
    );
    expectSA(await api({ url }), 200, page(url, [view(['GROUP_SEARCH_INDEX_EDITOR'])]), 'group');
    const groups = `${orgBase}/${sa.clientId}/groups`;
    const expected = [
      { groupId: w.groupId, roles: NEW_ACCOUNT.roles },
      { groupId: otherProject, roles: ['GROUP_SEARCH_INDEX_EDITOR'] },
    ].sort((a, b) => a.groupId.localeCompare(b.groupId));
    expectSA(await api({ url: groups }), 200, page(groups, expected), 'org');
  });

  test('deleteGroupServiceAccount unassigns: the account stays in the org with working credentials', async () => {
    expectSANoContent(await api({ method: 'DELETE', url: `${base}/${sa.clientId}` }), 'group');
    expectAtlasError(
      await api({ url: `${base}/${sa.clientId}` }),
      404,
      'RESOURCE_NOT_FOUND',
      `Cannot find resource Service Account with client ID ${sa.clientId}.`,
      [`Service Account with client ID ${sa.clientId}`],
    );
    expectSA(await api({ url: base }), 200, page(base, []), 'group');
    expectSA(await api({ url: `${orgBase}/${sa.clientId}` }), 200, view(['ORG_MEMBER']), 'org');
    tokenOf(await issueToken(w, sa.clientId, sa.secret));
  });
});

describe('project roles reach only the project', () => {
  test('a project account’s Bearer token reads that project’s invitations and no other', async () => {
    const sa = await create({ ...NEW_ACCOUNT, name: 'owner-bot', roles: ['GROUP_OWNER'] });
    const token = tokenOf(await issueToken(w, sa.clientId, sa.secret));
    assert.equal((await withBearer(w, token, { url: `/api/atlas/v2/groups/${w.groupId}/invites` })).statusCode, 200);
    expectUserUnauthorized(await withBearer(w, token, { url: `/api/atlas/v2/groups/${otherProject}/invites` }));
    // its own management answers by its project role: Project Owner may create others in the project
    const made = await withBearer(w, token, {
      method: 'POST',
      url: base,
      accept: SA_ACCEPT,
      body: { ...NEW_ACCOUNT, name: 'made-by-bot' },
    });
    assert.equal(made.statusCode, 201, made.body);
    expectUserUnauthorized(await withBearer(w, token, { url: orgBase, accept: SA_ACCEPT }));
  });
});

describe('role boundaries (x-rolesRequirements)', () => {
  let victim: CreatedAccount;
  let orgOnly: CreatedAccount;
  let listBody: string;
  type Need = 'read' | 'owner' | 'accessManager' | 'orgOwner';
  const ops = (): Array<[string, RequestOptions, Need]> => [
    ['listGroupServiceAccounts', { url: base }, 'read'],
    ['getGroupServiceAccount', { url: `${base}/${victim.clientId}` }, 'read'],
    ['listGroupServiceAccountAccessList', { url: `${base}/${victim.clientId}/accessList` }, 'read'],
    ['createGroupServiceAccount', { method: 'POST', url: base, body: NEW_ACCOUNT }, 'owner'],
    [
      'updateGroupServiceAccount',
      { method: 'PATCH', url: `${base}/${victim.clientId}`, body: { description: 'changed' } },
      'owner',
    ],
    [
      'createGroupServiceAccountSecret',
      { method: 'POST', url: `${base}/${victim.clientId}/secrets`, body: { secretExpiresAfterHours: 2 } },
      'owner',
    ],
    [
      'deleteGroupServiceAccountSecret',
      { method: 'DELETE', url: `${base}/${victim.clientId}/secrets/${'0'.repeat(24)}` },
      'owner',
    ],
    ['deleteGroupServiceAccount', { method: 'DELETE', url: `${base}/${victim.clientId}` }, 'owner'],
    [
      'createGroupServiceAccountAccessList',
      { method: 'POST', url: `${base}/${victim.clientId}/accessList`, body: [{ ipAddress: '198.51.100.9' }] },
      'accessManager',
    ],
    [
      'deleteGroupServiceAccountAccessListEntry',
      { method: 'DELETE', url: `${base}/${victim.clientId}/accessList/198.51.100.9` },
      'accessManager',
    ],
    [
      'inviteGroupServiceAccount',
      { method: 'POST', url: `${base}/${orgOnly.clientId}:invite`, body: { roles: ['GROUP_READ_ONLY'] } },
      'orgOwner',
    ],
  ];

  before(async () => {
    victim = await create({ ...NEW_ACCOUNT, name: 'victim' });
    orgOnly = await create({ ...NEW_ACCOUNT, name: 'org-only', roles: ['ORG_MEMBER'] }, orgBase);
    listBody = (await api({ url: base })).body;
  });
  const unchanged = async () => assert.equal((await api({ url: base })).body, listBody);

  for (const who of ['orgMember', 'otherProjectOwner', 'otherOrgOwner']) {
    test(`${who}: every operation → 401 USER_UNAUTHORIZED, nothing written`, async () => {
      const as = saApi(w.as(keys[who]));
      for (const [, req] of ops()) expectUserUnauthorized(await as(req));
      await unchanged();
    });
  }

  const allowed: Record<string, Need[]> = {
    groupReadOnly: ['read'],
    orgReadOnly: ['read'],
    groupUserAdmin: ['read', 'accessManager'],
  };
  for (const [who, needs] of Object.entries(allowed)) {
    test(`${who} may ${needs.join(' and ')}, nothing else`, async () => {
      const as = saApi(w.as(keys[who]));
      for (const [name, req, need] of ops()) {
        const res = await as(req);
        if (needs.includes(need)) assert.ok(res.statusCode < 300, `${name}: ${res.statusCode} ${res.body}`);
        else expectUserUnauthorized(res);
      }
      await unchanged();
    });
  }

  test('a key with Project Owner may do all but invite (Organization Owner)', async () => {
    const as = saApi(w.as(keys.groupOwner));
    for (const [name, req, need] of ops()) {
      if (name === 'deleteGroupServiceAccount' || name === 'deleteGroupServiceAccountSecret') continue;
      const res = await as(req);
      if (need === 'orgOwner') expectUserUnauthorized(res);
      else assert.ok(res.statusCode < 300, `${name}: ${res.statusCode} ${res.body}`);
    }
    const secret = JSON.parse(
      (await as({ method: 'POST', url: `${base}/${victim.clientId}/secrets`, body: { secretExpiresAfterHours: 2 } }))
        .body,
    ).id;
    expectSANoContent(await as({ method: 'DELETE', url: `${base}/${victim.clientId}/secrets/${secret}` }), 'group');
    expectSANoContent(await as({ method: 'DELETE', url: `${base}/${victim.clientId}` }), 'group');
  });

  test('the role is checked before the body', async () => {
    const as = saApi(w.as(keys.groupReadOnly));
    expectUserUnauthorized(await as({ method: 'POST', url: base, body: { roles: 'x' } }));
    expectUserUnauthorized(
      await as({ method: 'POST', url: `${base}/${orgOnly.clientId}:invite`, body: { roles: [] } }),
    );
  });
});

describe('bad input', () => {
  let sa: CreatedAccount;
  let theirs: CreatedAccount;
  let listBody: string;
  before(async () => {
    sa = await create({ ...NEW_ACCOUNT, name: 'bad-input' });
    theirs = createdOf(
      await saApi(w.as(keys.otherOrgOwner))({
        method: 'POST',
        url: `/api/atlas/v2/orgs/${otherOrgId}/serviceAccounts`,
        body: { ...NEW_ACCOUNT, roles: ['ORG_MEMBER'] },
      }),
    );
    listBody = (await api({ url: base })).body;
  });

  test('project roles are Atlas’s eleven; org roles and Cloud Manager roles are refused', async () => {
    for (const role of ['ORG_OWNER', 'GROUP_USER_ADMIN', 'GROUP_WIZARD']) {
      const detail = `Role ${role} is invalid for group ${w.groupId}.`;
      expectAtlasError(
        await api({ method: 'POST', url: base, body: { ...NEW_ACCOUNT, roles: [role] } }),
        400,
        'INVALID_ROLE_FOR_GROUP',
        detail,
        [role, w.groupId],
      );
      expectAtlasError(
        await api({ method: 'PATCH', url: `${base}/${sa.clientId}`, body: { roles: [role] } }),
        400,
        'INVALID_ROLE_FOR_GROUP',
        detail,
        [role, w.groupId],
      );
      expectAtlasError(
        await api({ method: 'POST', url: `${base}/${sa.clientId}:invite`, body: { roles: [role] } }),
        400,
        'INVALID_ROLE_FOR_GROUP',
        detail,
        [role, w.groupId],
      );
    }
    const msg = 'roles must not contain duplicates';
    expectAtlasError(
      await api({
        method: 'POST',
        url: `${base}/${sa.clientId}:invite`,
        body: { roles: ['GROUP_OWNER', 'GROUP_OWNER'] },
      }),
      400,
      'VALIDATION_ERROR',
      `The request content produced the validation error: ${msg}.`,
      [msg],
    );
    const empty = 'roles must contain at least one role';
    expectAtlasError(
      await api({ method: 'POST', url: `${base}/${sa.clientId}:invite`, body: { roles: [] } }),
      400,
      'VALIDATION_ERROR',
      `The request content produced the validation error: ${empty}.`,
      [empty],
    );
    expectAtlasError(
      await api({ method: 'POST', url: `${base}/${sa.clientId}:invite`, body: {} }),
      400,
      'MISSING_ATTRIBUTE',
      'The required attribute roles was not specified.',
      ['roles'],
    );
    expectAtlasError(
      await api({ method: 'PATCH', url: `${base}/${sa.clientId}`, body: { name: 'ok name', roles: [] } }),
      400,
      'VALIDATION_ERROR',
      `The request content produced the validation error: ${empty}.`,
      [empty],
    );
    assert.equal((await api({ url: base })).body, listBody);
  });

  test('create bodies, and a failed create writes nothing', async () => {
    const before_ = (await api({ url: orgBase })).body;
    expectAtlasError(
      await api({ method: 'POST', url: base, body: { ...NEW_ACCOUNT, groupId: w.groupId } }),
      400,
      'INVALID_ATTRIBUTE',
      'Invalid attribute groupId specified.',
      ['groupId'],
    );
    expectAtlasError(
      await api({ method: 'POST', url: base, body: { ...NEW_ACCOUNT, secretExpiresAfterHours: null } }),
      400,
      'MISSING_ATTRIBUTE',
      'The required attribute secretExpiresAfterHours was not specified.',
      ['secretExpiresAfterHours'],
    );
    expectAtlasError(
      await api({ method: 'POST', url: base, body: { ...NEW_ACCOUNT, name: 'a/b' } }),
      400,
      'VALIDATION_ERROR',
      "The request content produced the validation error: name must be 1 to 64 letters, digits, spaces or -_.,' characters.",
      ["name must be 1 to 64 letters, digits, spaces or -_.,' characters"],
    );
    expectAtlasError(
      await api({ method: 'POST', url: base, body: { ...NEW_ACCOUNT, roles: [] } }),
      400,
      'VALIDATION_ERROR',
      'The request content produced the validation error: roles must contain at least one role.',
      ['roles must contain at least one role'],
    );
    assert.equal((await api({ url: orgBase })).body, before_);
    assert.equal((await api({ url: base })).body, listBody);
  });

  test('unknown and malformed projects, accounts of other orgs, unassigned accounts', async () => {
    expectAtlasError(
      await api({ url: base.replace(w.groupId, 'nope') }),
      404,
      'INVALID_GROUP_ID',
      'An invalid group ID nope was specified.',
      ['nope'],
    );
    const ghost = 'e'.repeat(24);
    expectAtlasError(
      await api({ url: base.replace(w.groupId, ghost) }),
      404,
      'GROUP_NOT_FOUND',
      `No group with ID ${ghost} exists.`,
      [ghost],
    );
    const notFound = (id: string): [string, string[]] => [
      `Cannot find resource Service Account with client ID ${id}.`,
      [`Service Account with client ID ${id}`],
    ];
    expectAtlasError(
      await api({ method: 'POST', url: `${base}/${theirs.clientId}:invite`, body: { roles: ['GROUP_OWNER'] } }),
      404,
      'RESOURCE_NOT_FOUND',
      ...notFound(theirs.clientId),
    );
    expectAtlasError(
      await api({ url: `${base}/${theirs.clientId}` }),
      404,
      'RESOURCE_NOT_FOUND',
      ...notFound(theirs.clientId),
    );
    const unassigned = `/api/atlas/v2/groups/${otherProject}/serviceAccounts/${sa.clientId}`;
    for (const req of [
      { url: unassigned },
      { method: 'PATCH', url: unassigned, body: { name: 'x' } },
      { method: 'DELETE', url: unassigned },
      { method: 'POST', url: `${unassigned}/secrets`, body: { secretExpiresAfterHours: 1 } },
      { url: `${unassigned}/accessList` },
    ]) {
      expectAtlasError(await api(req), 404, 'RESOURCE_NOT_FOUND', ...notFound(sa.clientId));
    }
    for (const path of [`${base}/not-a-client`, `${base}/not-a-client:invite`]) {
      const res = await api({
        method: path.endsWith(':invite') ? 'POST' : 'GET',
        url: path,
        body: path.endsWith(':invite') ? { roles: ['GROUP_OWNER'] } : undefined,
      });
      expectAtlasError(
        res,
        400,
        'PATH_PARAM_PARSE_ERROR',
        `One or more path parameter in the request URI ${path} is malformed.`,
        [path],
      );
    }
    expectAtlasError(
      await api({ method: 'POST', url: `${base}/${sa.clientId}:promote`, body: {} }),
      404,
      'RESOURCE_NOT_FOUND',
      `Cannot find resource ${base}/${sa.clientId}:promote.`,
      [`${base}/${sa.clientId}:promote`],
    );
    expectAtlasError(
      await api({ url: base, headers: { accept: 'application/vnd.atlas.2024-08-04+json' } }),
      406,
      'INVALID_VERSION_DATE',
      'Invalid accept header or version date.',
    );
  });
});
