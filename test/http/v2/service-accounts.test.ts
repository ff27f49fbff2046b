import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { listAllServiceAccounts } from '../../../src/domain/service-accounts/service-account-admin.service.ts';
import { type Credentials, type RequestOptions, type TestWorld, testWorld } from '../../helpers/app.ts';
import { expectAtlasError, expectChallenge, expectUserUnauthorized } from '../expect.ts';
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

/** Organization service accounts: every operation, role boundaries, bad input, tokens and access lists. */
let w: TestWorld;
let api: ReturnType<typeof saApi>;
let base: string;
const keys: Record<string, Credentials> = {};
let otherOrgId: string;
let init: { clientId: string; secretId: string; masked: string };

const EIGHT_HOURS = '2026-08-10T11:04:53Z';
const NEW_ACCOUNT = { description: 'CI pipeline', name: 'ci-bot', roles: ['ORG_MEMBER'], secretExpiresAfterHours: 8 };

before(async () => {
  w = await testWorld();
  api = saApi(w.api);
  base = `/api/atlas/v2/orgs/${w.orgId}/serviceAccounts`;
  otherOrgId = await w.newOrg('Other Org');
  keys.orgReadOnly = await w.key(['ORG_READ_ONLY']);
  keys.orgMember = await w.key(['ORG_MEMBER']);
  keys.groupCreator = await w.key(['ORG_GROUP_CREATOR']);
  keys.groupOwner = await w.key(['ORG_MEMBER'], { [w.groupId]: ['GROUP_OWNER'] });
  keys.otherOrgOwner = await w.key(['ORG_OWNER'], {}, otherOrgId);
  const [sa] = await listAllServiceAccounts(w.deps.ctx, w.orgId);
  init = { clientId: sa.clientId, secretId: sa.secrets[0].id, masked: sa.secrets[0].maskedSecretValue };
});
after(() => w.close());

const initBody = () =>
  accountBody({
    clientId: init.clientId,
    name: 'cloud-invites init',
    description: 'Created by cloud-invites init',
    roles: ['ORG_OWNER'],
    secrets: [{ id: init.secretId, masked: init.masked, expiresAt: '2027-08-10T03:04:53Z' }],
  });

async function create(body: unknown = NEW_ACCOUNT): Promise<CreatedAccount> {
  return createdOf(await api({ method: 'POST', url: base, body }));
}

describe('every operation as the Organization Owner', () => {
  let sa: CreatedAccount;
  let second: { id: string; secret: string };

  test('createOrgServiceAccount → 201, the secret shown once next to its mask', async () => {
    const res = await api({ method: 'POST', url: base, body: NEW_ACCOUNT });
    sa = createdOf(res);
    const body = accountBody({
      ...NEW_ACCOUNT,
      clientId: sa.clientId,
      secrets: [{ id: sa.secretId, masked: masked(sa.secret), expiresAt: EIGHT_HOURS, secret: sa.secret }],
    });
    expectSA(res, 201, body, 'org');
  });

  test('getOrgServiceAccount and listOrgServiceAccounts show only the mask', async () => {
    const body = accountBody({
      ...NEW_ACCOUNT,
      clientId: sa.clientId,
      secrets: [{ id: sa.secretId, masked: masked(sa.secret), expiresAt: EIGHT_HOURS }],
    });
    const got = await api({ url: `${base}/${sa.clientId}` });
    expectSA(got, 200, body, 'org');
    assert.ok(!got.body.includes(sa.secret));
    const list = await api({ url: base });
    expectSA(list, 200, page(base, [initBody(), body]), 'org');
    assert.ok(!list.body.includes(sa.secret));
    // client ids compare case-insensitively in their hex part
    expectSA(await api({ url: `${base}/mdb_sa_id_${sa.clientId.slice(10).toUpperCase()}` }), 200, body, 'org');
  });

  test('listOrgServiceAccounts pages: itemsPerPage, pageNum, includeCount', async () => {
    const res = await api({ url: `${base}?itemsPerPage=1&pageNum=2&includeCount=false` });
    const self = `http://localhost:80${base}`;
    expectSA(
      res,
      200,
      {
        links: [
          { href: `${self}?includeCount=false&itemsPerPage=1&pageNum=1`, rel: 'previous' },
          { href: `${self}?includeCount=false&pageNum=2&itemsPerPage=1`, rel: 'self' },
        ],
        results: [JSON.parse((await api({ url: `${base}/${sa.clientId}` })).body)],
        totalCount: 0,
      },
      'org',
    );
  });

  test('updateOrgServiceAccount replaces what it is given; nulls change nothing', async () => {
    const res = await api({
      method: 'PATCH',
      url: `${base}/${sa.clientId}`,
      body: { name: 'ci-bot 2', roles: ['ORG_READ_ONLY', 'ORG_BILLING_ADMIN'], description: null },
    });
    const body = accountBody({
      clientId: sa.clientId,
      name: 'ci-bot 2',
      description: 'CI pipeline',
      roles: ['ORG_READ_ONLY', 'ORG_BILLING_ADMIN'],
      secrets: [{ id: sa.secretId, masked: masked(sa.secret), expiresAt: EIGHT_HOURS }],
    });
    expectSA(res, 200, body, 'org');
    expectSA(await api({ method: 'PATCH', url: `${base}/${sa.clientId}`, body: {} }), 200, body, 'org');
    expectSA(await api({ url: `${base}/${sa.clientId}` }), 200, body, 'org');
  });

  test('getOrgServiceAccountGroups lists its project assignments', async () => {
    const url = `${base}/${sa.clientId}/groups`;
    expectSA(await api({ url }), 200, page(url, []), 'org');
    const invited = await api({
      method: 'POST',
      url: `/api/atlas/v2/groups/${w.groupId}/serviceAccounts/${sa.clientId}:invite`,
      body: { roles: ['GROUP_READ_ONLY'] },
    });
    assert.equal(invited.statusCode, 200, invited.body);
    expectSA(await api({ url }), 200, page(url, [{ groupId: w.groupId, roles: ['GROUP_READ_ONLY'] }]), 'org');
  });

  test('createOrgServiceAccountSecret → 201 with the secret; afterwards both are masked', async () => {
    const res = await api({
      method: 'POST',
      url: `${base}/${sa.clientId}/secrets`,
      body: { secretExpiresAfterHours: 48 },
    });
    const body = JSON.parse(res.body) as { id: string; secret: string };
    second = { id: body.id, secret: body.secret };
    expectSA(
      res,
      201,
      secretBody({
        id: second.id,
        masked: masked(second.secret),
        expiresAt: '2026-08-12T03:04:53Z',
        secret: second.secret,
      }),
      'org',
    );
    const got = JSON.parse((await api({ url: `${base}/${sa.clientId}` })).body);
    assert.deepEqual(got.secrets, [
      secretBody({ id: sa.secretId, masked: masked(sa.secret), expiresAt: EIGHT_HOURS }),
      secretBody({ id: second.id, masked: masked(second.secret), expiresAt: '2026-08-12T03:04:53Z' }),
    ]);
  });

  test('deleteOrgServiceAccountSecret → 204; the secret is gone and can no longer get tokens', async () => {
    expectSANoContent(await api({ method: 'DELETE', url: `${base}/${sa.clientId}/secrets/${sa.secretId}` }), 'org');
    const got = JSON.parse((await api({ url: `${base}/${sa.clientId}` })).body);
    assert.deepEqual(got.secrets, [
      secretBody({ id: second.id, masked: masked(second.secret), expiresAt: '2026-08-12T03:04:53Z' }),
    ]);
    assert.equal((await issueToken(w, sa.clientId, sa.secret)).statusCode, 401);
    expectAtlasError(
      await api({ method: 'DELETE', url: `${base}/${sa.clientId}/secrets/${sa.secretId}` }),
      404,
      'RESOURCE_NOT_FOUND',
      `Cannot find resource Service Account secret with ID ${sa.secretId}.`,
      [`Service Account secret with ID ${sa.secretId}`],
    );
  });

  test('access list: create → 200 with the whole list, list, delete → 204', async () => {
    const url = `${base}/${sa.clientId}/accessList`;
    expectSA(await api({ url }), 200, page(url, []), 'org');
    const added = await api({
      method: 'POST',
      url,
      body: [{ ipAddress: '203.0.113.10' }, { cidrBlock: '192.0.2.0/24' }, { ipAddress: '2001:db8::1' }],
    });
    const entries = [
      { cidrBlock: '203.0.113.10/32', createdAt: AT, ipAddress: '203.0.113.10', requestCount: 0 },
      { cidrBlock: '192.0.2.0/24', createdAt: AT, requestCount: 0 },
      { cidrBlock: '2001:db8::1/128', createdAt: AT, ipAddress: '2001:db8::1', requestCount: 0 },
    ];
    expectSA(added, 200, page(url, entries), 'org');
    // adding an entry it has already is not an error and adds nothing
    expectSA(
      await api({ method: 'POST', url, body: [{ cidrBlock: '203.0.113.10/32' }] }),
      200,
      page(url, entries),
      'org',
    );
    expectSA(await api({ url }), 200, page(url, entries), 'org');
    expectSANoContent(await api({ method: 'DELETE', url: `${url}/192.0.2.0%2F24` }), 'org');
    expectSANoContent(await api({ method: 'DELETE', url: `${url}/203.0.113.10` }), 'org');
    expectSA(await api({ url }), 200, page(url, [entries[2]]), 'org');
    const what = `access list entry 192.0.2.0/24 of Service Account ${sa.clientId}`;
    expectAtlasError(
      await api({ method: 'DELETE', url: `${url}/192.0.2.0%2F24` }),
      404,
      'RESOURCE_NOT_FOUND',
      `Cannot find resource ${what}.`,
      [what],
    );
  });

  test('deleteOrgServiceAccount → 204; then 404 everywhere', async () => {
    expectSANoContent(await api({ method: 'DELETE', url: `${base}/${sa.clientId}` }), 'org');
    const detail = `Cannot find resource Service Account with client ID ${sa.clientId}.`;
    const params = [`Service Account with client ID ${sa.clientId}`];
    for (const req of [
      { url: `${base}/${sa.clientId}` },
      { method: 'DELETE', url: `${base}/${sa.clientId}` },
      { url: `${base}/${sa.clientId}/accessList` },
      { method: 'POST', url: `${base}/${sa.clientId}/secrets`, body: { secretExpiresAfterHours: 1 } },
    ]) {
      expectAtlasError(await api(req), 404, 'RESOURCE_NOT_FOUND', detail, params);
    }
    expectSA(await api({ url: base }), 200, page(base, [initBody()]), 'org');
    expectSA(
      await api({ url: `/api/atlas/v2/groups/${w.groupId}/serviceAccounts` }),
      200,
      page(`/api/atlas/v2/groups/${w.groupId}/serviceAccounts`, []),
      'group',
    );
  });
});

describe('role boundaries (x-rolesRequirements)', () => {
  let victim: CreatedAccount;
  let listBody: string;
  const ops = (): Array<[string, RequestOptions, 'read' | 'write']> => [
    ['listOrgServiceAccounts', { url: base }, 'read'],
    ['getOrgServiceAccount', { url: `${base}/${victim.clientId}` }, 'read'],
    ['getOrgServiceAccountGroups', { url: `${base}/${victim.clientId}/groups` }, 'read'],
    ['listOrgServiceAccountAccessList', { url: `${base}/${victim.clientId}/accessList` }, 'read'],
    ['createOrgServiceAccount', { method: 'POST', url: base, body: NEW_ACCOUNT }, 'write'],
    [
      'updateOrgServiceAccount',
      { method: 'PATCH', url: `${base}/${victim.clientId}`, body: { name: 'renamed' } },
      'write',
    ],
    ['deleteOrgServiceAccount', { method: 'DELETE', url: `${base}/${victim.clientId}` }, 'write'],
    [
      'createOrgServiceAccountSecret',
      { method: 'POST', url: `${base}/${victim.clientId}/secrets`, body: { secretExpiresAfterHours: 8 } },
      'write',
    ],
    [
      'deleteOrgServiceAccountSecret',
      { method: 'DELETE', url: `${base}/${victim.clientId}/secrets/${victim.secretId}` },
      'write',
    ],
    [
      'createOrgServiceAccountAccessList',
      { method: 'POST', url: `${base}/${victim.clientId}/accessList`, body: [{ ipAddress: '198.51.100.1' }] },
      'write',
    ],
    [
      'deleteOrgServiceAccountAccessListEntry',
      { method: 'DELETE', url: `${base}/${victim.clientId}/accessList/203.0.113.7` },
      'write',
    ],
  ];

  before(async () => {
    victim = await create({ ...NEW_ACCOUNT, name: 'victim' });
    assert.equal(
      (
        await api({
          method: 'POST',
          url: `${base}/${victim.clientId}/accessList`,
          body: [{ ipAddress: '203.0.113.7' }],
        })
      ).statusCode,
      200,
    );
    listBody = (await api({ url: base })).body;
  });

  const unchanged = async () => {
    assert.equal((await api({ url: base })).body, listBody);
    const entries = JSON.parse((await api({ url: `${base}/${victim.clientId}/accessList` })).body);
    assert.deepEqual(
      entries.results.map((e: { cidrBlock: string }) => e.cidrBlock),
      ['203.0.113.7/32'],
    );
  };

  for (const who of ['orgMember', 'groupCreator', 'groupOwner', 'otherOrgOwner']) {
    test(`${who}: every operation → 401 USER_UNAUTHORIZED, nothing written`, async () => {
      const as = saApi(w.as(keys[who]));
      for (const [, req] of ops()) expectUserUnauthorized(await as(req));
      await unchanged();
    });
  }

  test('Organization Read Only reads everything and writes nothing', async () => {
    const as = saApi(w.as(keys.orgReadOnly));
    for (const [name, req, need] of ops()) {
      const res = await as(req);
      if (need === 'read') assert.equal(res.statusCode, 200, `${name}: ${res.body}`);
      else expectUserUnauthorized(res);
    }
    await unchanged();
  });

  test('the role is checked before the body: no validation answer for a caller without it', async () => {
    const as = saApi(w.as(keys.orgReadOnly));
    expectUserUnauthorized(await as({ method: 'POST', url: base, body: { name: 7 } }));
    expectUserUnauthorized(await as({ method: 'PATCH', url: `${base}/${victim.clientId}`, body: { roles: ['NOPE'] } }));
    expectUserUnauthorized(
      await as({ method: 'POST', url: `${base}/${victim.clientId}/secrets`, body: { secretExpiresAfterHours: -1 } }),
    );
    // an unknown client id is not revealed either
    expectUserUnauthorized(await saApi(w.as(keys.orgMember))({ url: `${base}/mdb_sa_id_${'0'.repeat(24)}` }));
    await unchanged();
  });

  test('another organization’s account is not found through this organization', async () => {
    const theirs = createdOf(
      await saApi(w.as(keys.otherOrgOwner))({
        method: 'POST',
        url: `/api/atlas/v2/orgs/${otherOrgId}/serviceAccounts`,
        body: NEW_ACCOUNT,
      }),
    );
    const detail = `Cannot find resource Service Account with client ID ${theirs.clientId}.`;
    expectAtlasError(await api({ url: `${base}/${theirs.clientId}` }), 404, 'RESOURCE_NOT_FOUND', detail, [
      `Service Account with client ID ${theirs.clientId}`,
    ]);
    expectAtlasError(
      await api({ method: 'DELETE', url: `${base}/${theirs.clientId}` }),
      404,
      'RESOURCE_NOT_FOUND',
      detail,
      [`Service Account with client ID ${theirs.clientId}`],
    );
    // and this org's owner cannot reach the other org at all
    expectUserUnauthorized(await api({ url: `/api/atlas/v2/orgs/${otherOrgId}/serviceAccounts/${theirs.clientId}` }));
  });
});

describe('bad input → 400/404/406, nothing half-written', () => {
  let sa: CreatedAccount;
  let before_: string;
  before(async () => {
    sa = await create({ ...NEW_ACCOUNT, name: 'bad-input' });
    before_ = (await api({ url: base })).body;
  });

  const bad = (status: number, code: string, detail: string, parameters: Array<string | number>) => ({
    status,
    code,
    detail,
    parameters,
  });
  const attr = (name: string) =>
    bad(400, 'INVALID_JSON_ATTRIBUTE', `Received JSON for the ${name} attribute does not match expected format.`, [
      name,
    ]);
  const validation = (msg: string) =>
    bad(400, 'VALIDATION_ERROR', `The request content produced the validation error: ${msg}.`, [msg]);
  const NAME_RULE = "name must be 1 to 64 letters, digits, spaces or -_.,' characters";

  test('createOrgServiceAccount bodies', async () => {
    const cases: Array<[unknown, ReturnType<typeof bad>]> = [
      [{ ...NEW_ACCOUNT, owner: 'me' }, bad(400, 'INVALID_ATTRIBUTE', 'Invalid attribute owner specified.', ['owner'])],
      [{ ...NEW_ACCOUNT, name: 5 }, attr('name')],
      [{ ...NEW_ACCOUNT, roles: 'ORG_MEMBER' }, attr('roles')],
      [
        { name: 'x', description: 'y', roles: ['ORG_MEMBER'] },
        bad(400, 'MISSING_ATTRIBUTE', 'The required attribute secretExpiresAfterHours was not specified.', [
          'secretExpiresAfterHours',
        ]),
      ],
      [
        { description: 'y', roles: ['ORG_MEMBER'], secretExpiresAfterHours: 8 },
        bad(400, 'MISSING_ATTRIBUTE', 'The required attribute name was not specified.', ['name']),
      ],
      [{ ...NEW_ACCOUNT, secretExpiresAfterHours: 0 }, attr('secretExpiresAfterHours')],
      [{ ...NEW_ACCOUNT, secretExpiresAfterHours: -3 }, attr('secretExpiresAfterHours')],
      [{ ...NEW_ACCOUNT, secretExpiresAfterHours: 1.5 }, attr('secretExpiresAfterHours')],
      [{ ...NEW_ACCOUNT, secretExpiresAfterHours: '8' }, attr('secretExpiresAfterHours')],
      [{ ...NEW_ACCOUNT, secretExpiresAfterHours: 2 ** 31 }, attr('secretExpiresAfterHours')],
      [{ ...NEW_ACCOUNT, name: 'bad<name>' }, validation(NAME_RULE)],
      [{ ...NEW_ACCOUNT, name: '' }, validation(NAME_RULE)],
      [{ ...NEW_ACCOUNT, name: 'x'.repeat(65) }, validation(NAME_RULE)],
      [
        { ...NEW_ACCOUNT, description: 'semi;colon' },
        validation("description must be 1 to 250 letters, digits, spaces or -_.,' characters"),
      ],
      [{ ...NEW_ACCOUNT, roles: [] }, validation('roles must contain at least one role')],
      [
        { ...NEW_ACCOUNT, roles: ['GROUP_OWNER'] },
        bad(400, 'INVALID_ROLE_FOR_ORG', `Role GROUP_OWNER invalid for organization ${w.orgId}.`, [
          'GROUP_OWNER',
          w.orgId,
        ]),
      ],
      [[NEW_ACCOUNT], bad(400, 'INVALID_JSON', 'Received JSON does not match expected format.', [])],
    ];
    for (const [body, e] of cases)
      expectAtlasError(await api({ method: 'POST', url: base, body }), e.status, e.code, e.detail, e.parameters);
    expectAtlasError(
      await api({ method: 'POST', url: base, rawBody: '{"name":' }),
      400,
      'MALFORMED_JSON',
      'Received JSON is malformed.',
    );
    expectAtlasError(
      await api({ method: 'POST', url: base }),
      400,
      'INVALID_JSON',
      'Received JSON does not match expected format.',
    );
    // a name of letters in any script, digits and -_.,' is fine
    expectSA(await api({ url: base }), 200, JSON.parse(before_), 'org');
    createdOf(await api({ method: 'POST', url: base, body: { ...NEW_ACCOUNT, name: "Équipe d'été_1.0, bot-7" } }));
  });

  test('updates, secrets and access lists', async () => {
    const one = `${base}/${sa.clientId}`;
    expectAtlasError(
      await api({ method: 'PATCH', url: one, body: { clientId: 'x' } }),
      400,
      'INVALID_ATTRIBUTE',
      'Invalid attribute clientId specified.',
      ['clientId'],
    );
    expectAtlasError(
      await api({ method: 'PATCH', url: one, body: { roles: [] } }),
      400,
      'VALIDATION_ERROR',
      'The request content produced the validation error: roles must contain at least one role.',
      ['roles must contain at least one role'],
    );
    expectAtlasError(
      await api({ method: 'PATCH', url: one, body: { name: 'ok', roles: ['ORG_WIZARD'] } }),
      400,
      'INVALID_ROLE_FOR_ORG',
      `Role ORG_WIZARD invalid for organization ${w.orgId}.`,
      ['ORG_WIZARD', w.orgId],
    );
    expectAtlasError(
      await api({ method: 'POST', url: `${one}/secrets`, body: {} }),
      400,
      'MISSING_ATTRIBUTE',
      'The required attribute secretExpiresAfterHours was not specified.',
      ['secretExpiresAfterHours'],
    );
    expectAtlasError(
      await api({ method: 'POST', url: `${one}/secrets`, body: { secretExpiresAfterHours: 8, note: 1 } }),
      400,
      'INVALID_ATTRIBUTE',
      'Invalid attribute note specified.',
      ['note'],
    );
    expectAtlasError(
      await api({ method: 'POST', url: `${one}/secrets`, body: { secretExpiresAfterHours: 0 } }),
      400,
      'INVALID_JSON_ATTRIBUTE',
      'Received JSON for the secretExpiresAfterHours attribute does not match expected format.',
      ['secretExpiresAfterHours'],
    );
    const al = `${one}/accessList`;
    const entryErrors: Array<[unknown, string, string]> = [
      [{ ipAddress: '10.0.0.1' }, 'INVALID_JSON', 'Received JSON does not match expected format.'],
      [
        [{ ipAddress: '10.0.0.1' }, { ipAddress: '10.0.0.0/8' }],
        'INVALID_IP_ADDRESS_OR_CIDR_NOTATION',
        'The address 10.0.0.0/8 must be in valid IP address or CIDR notation.',
      ],
      [
        [{ cidrBlock: '10.0.0.1' }],
        'INVALID_IP_ADDRESS_OR_CIDR_NOTATION',
        'The address 10.0.0.1 must be in valid IP address or CIDR notation.',
      ],
      [
        [{ cidrBlock: '10.0.0.0/33' }],
        'INVALID_IP_ADDRESS_OR_CIDR_NOTATION',
        'The address 10.0.0.0/33 must be in valid IP address or CIDR notation.',
      ],
      [
        [{ ipAddress: 'not-an-ip' }],
        'INVALID_IP_ADDRESS_OR_CIDR_NOTATION',
        'The address not-an-ip must be in valid IP address or CIDR notation.',
      ],
      [
        [{}],
        'MISSING_ONE_OF_ATTRIBUTES',
        'Either the cidrBlock attribute or the ipAddress attribute must be specified.',
      ],
      [
        [{ ipAddress: '10.0.0.1', cidrBlock: '10.0.0.0/8' }],
        'VALIDATION_ERROR',
        'The request content produced the validation error: specify either cidrBlock or ipAddress, not both.',
      ],
      [
        [{ ipAddress: 10 }],
        'INVALID_JSON_ATTRIBUTE',
        'Received JSON for the ipAddress attribute does not match expected format.',
      ],
      [[{ comment: 'x' }], 'INVALID_ATTRIBUTE', 'Invalid attribute comment specified.'],
      [
        Array.from({ length: 201 }, (_, i) => ({ ipAddress: `10.0.${i >> 8}.${i & 255}` })),
        'VALIDATION_ERROR',
        'The request content produced the validation error: at most 200 access list entries can be added at once.',
      ],
    ];
    for (const [body, code, detail] of entryErrors) {
      const res = await api({ method: 'POST', url: al, body });
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(JSON.parse(res.body).errorCode, code);
      assert.equal(JSON.parse(res.body).detail, detail);
    }
    expectSA(await api({ url: al }), 200, page(al, []), 'org');
    expectAtlasError(
      await api({ method: 'DELETE', url: `${al}/not-an-ip` }),
      400,
      'PATH_PARAM_PARSE_ERROR',
      `One or more path parameter in the request URI ${al}/not-an-ip is malformed.`,
      [`${al}/not-an-ip`],
    );
    expectAtlasError(
      await api({ url: base.replace(w.orgId, 'not-an-org') }),
      404,
      'INVALID_ORG_ID',
      'An invalid organization ID not-an-org was specified.',
      ['not-an-org'],
    );
    expectAtlasError(
      await api({ url: base.replace(w.orgId, 'f'.repeat(24)) }),
      404,
      'ORG_NOT_FOUND',
      `No organization with ID ${'f'.repeat(24)} exists.`,
      ['f'.repeat(24)],
    );
  });

  test('malformed client and secret ids → 400 PATH_PARAM_PARSE_ERROR; unknown ones → 404', async () => {
    const malformed = (path: string) =>
      [`One or more path parameter in the request URI ${path} is malformed.`, [path]] as [string, string[]];
    for (const id of ['abc', 'mdb_sa_id_123', `mdb_sa_sk_${'0'.repeat(24)}`, `mdb_sa_id_${'g'.repeat(24)}`]) {
      expectAtlasError(
        await api({ url: `${base}/${id}` }),
        400,
        'PATH_PARAM_PARSE_ERROR',
        ...malformed(`${base}/${id}`),
      );
    }
    // the path is checked before the role: a caller without it learns nothing from the answer
    expectAtlasError(
      await saApi(w.as(keys.orgMember))({ url: `${base}/abc/accessList` }),
      400,
      'PATH_PARAM_PARSE_ERROR',
      ...malformed(`${base}/abc/accessList`),
    );
    const bad = `${base}/${sa.clientId}/secrets/nope`;
    expectAtlasError(await api({ method: 'DELETE', url: bad }), 400, 'PATH_PARAM_PARSE_ERROR', ...malformed(bad));
    const unknown = `mdb_sa_id_${'0'.repeat(24)}`;
    expectAtlasError(
      await api({ method: 'PATCH', url: `${base}/${unknown}`, body: { name: 'x' } }),
      404,
      'RESOURCE_NOT_FOUND',
      `Cannot find resource Service Account with client ID ${unknown}.`,
      [`Service Account with client ID ${unknown}`],
    );
    expectAtlasError(
      await api({ method: 'DELETE', url: `${base}/${sa.clientId}/secrets/${'0'.repeat(24)}` }),
      404,
      'RESOURCE_NOT_FOUND',
      `Cannot find resource Service Account secret with ID ${'0'.repeat(24)}.`,
      [`Service Account secret with ID ${'0'.repeat(24)}`],
    );
  });

  test('only the 2024-08-05 version is served: 2023-01-01 → 406', async () => {
    expectAtlasError(
      await api({ url: base, headers: { accept: 'application/vnd.atlas.2023-01-01+json' } }),
      406,
      'INVALID_VERSION_DATE',
      'Invalid accept header or version date.',
    );
    // a later date is served by the newest version not after it
    expectSA(
      await api({ url: `${base}/${sa.clientId}`, headers: { accept: 'application/vnd.atlas.2025-03-12+json' } }),
      200,
      JSON.parse((await api({ url: `${base}/${sa.clientId}` })).body),
      'org',
    );
  });
});

describe('OAuth tokens of managed accounts', () => {
  const invites = () => `/api/atlas/v2/groups/${w.groupId}/invites`;

  test('a token from a curl-style form POST works as Bearer; deleting the secret keeps it, deleting the account ends it', async () => {
    const sa = await create({ ...NEW_ACCOUNT, name: 'token-user', roles: ['ORG_OWNER'] });
    const token = tokenOf(await issueToken(w, sa.clientId, sa.secret));
    const ok = await withBearer(w, token, { url: invites() });
    assert.equal(ok.statusCode, 200, ok.body);
    // the secret records its use
    const got = JSON.parse((await api({ url: `${base}/${sa.clientId}` })).body);
    assert.equal(got.secrets[0].lastUsedAt, AT);
    expectSANoContent(await api({ method: 'DELETE', url: `${base}/${sa.clientId}/secrets/${sa.secretId}` }), 'org');
    // decision: tokens already issued stay valid until they expire; the secret no longer gets new ones
    assert.equal((await withBearer(w, token, { url: invites() })).statusCode, 200);
    const refused = await issueToken(w, sa.clientId, sa.secret);
    assert.equal(refused.statusCode, 401);
    assert.equal(refused.body, '{"error_description":"Invalid credentials provided.","error":"invalid_client"}');
    // deleting the account ends its tokens at once: each request looks the account up
    expectSANoContent(await api({ method: 'DELETE', url: `${base}/${sa.clientId}` }), 'org');
    expectChallenge(await withBearer(w, token, { url: invites() }));
  });

  test('a managed account manages accounts with its Bearer token, by its own roles', async () => {
    const reader = await create({ ...NEW_ACCOUNT, name: 'reader', roles: ['ORG_READ_ONLY'] });
    const token = tokenOf(await issueToken(w, reader.clientId, reader.secret));
    const list = await withBearer(w, token, { url: base, accept: SA_ACCEPT });
    assert.equal(list.statusCode, 200, list.body);
    expectUserUnauthorized(
      await withBearer(w, token, { method: 'POST', url: base, accept: SA_ACCEPT, body: NEW_ACCOUNT }),
    );
  });

  test('an access list 10.0.0.0/8 refuses its Bearer calls from 127.0.0.1 (403) while tokens are issued from anywhere', async () => {
    const sa = await create({ ...NEW_ACCOUNT, name: 'listed', roles: ['ORG_OWNER'] });
    const al = `${base}/${sa.clientId}/accessList`;
    assert.equal((await api({ method: 'POST', url: al, body: [{ cidrBlock: '10.0.0.0/8' }] })).statusCode, 200);
    const token = tokenOf(await issueToken(w, sa.clientId, sa.secret, '127.0.0.1'));
    const refused = await withBearer(w, token, { url: invites(), remoteAddress: '127.0.0.1' });
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.headers['content-type'], 'application/json');
    assert.equal(refused.headers['x-error-code'], 'IP_ADDRESS_NOT_ON_ACCESS_LIST');
    assert.equal(
      refused.body,
      '{"detail":"IP address 127.0.0.1 is not allowed to access this resource.","error":403,"errorCode":"IP_ADDRESS_NOT_ON_ACCESS_LIST","parameters":["127.0.0.1"],"reason":"Forbidden"}',
    );
    tokenOf(await issueToken(w, sa.clientId, sa.secret, '192.0.2.99'));
    assert.equal((await withBearer(w, token, { url: invites(), remoteAddress: '10.1.2.3' })).statusCode, 200);
    expectSA(
      await api({ url: al }),
      200,
      page(al, [
        { cidrBlock: '10.0.0.0/8', createdAt: AT, lastUsedAddress: '10.1.2.3', lastUsedAt: AT, requestCount: 1 },
      ]),
      'org',
    );
  });

  test('an account cannot remove the entry that lets its own request in', async () => {
    const sa = await create({ ...NEW_ACCOUNT, name: 'self-guard', roles: ['ORG_OWNER'] });
    const al = `${base}/${sa.clientId}/accessList`;
    assert.equal(
      (await api({ method: 'POST', url: al, body: [{ cidrBlock: '10.0.0.0/8' }, { ipAddress: '192.0.2.1' }] }))
        .statusCode,
      200,
    );
    const token = tokenOf(await issueToken(w, sa.clientId, sa.secret));
    const own = await withBearer(w, token, {
      method: 'DELETE',
      url: `${al}/10.0.0.0%2F8`,
      accept: SA_ACCEPT,
      remoteAddress: '10.9.9.9',
    });
    assert.equal(own.statusCode, 400, own.body);
    assert.equal(own.headers['x-error-code'], 'CANNOT_REMOVE_CALLER_FROM_ACCESS_LIST');
    assert.equal(
      own.body,
      `{"detail":"Cannot remove caller's IP address 10.9.9.9 from access list.","error":400,"errorCode":"CANNOT_REMOVE_CALLER_FROM_ACCESS_LIST","parameters":["10.9.9.9"],"reason":"Bad Request"}`,
    );
    expectSANoContent(
      await withBearer(w, token, {
        method: 'DELETE',
        url: `${al}/192.0.2.1`,
        accept: SA_ACCEPT,
        remoteAddress: '10.9.9.9',
      }),
      'org',
    );
    // the Organization Owner's key may remove it
    expectSANoContent(await api({ method: 'DELETE', url: `${al}/10.0.0.0%2F8` }), 'org');
  });
});
