import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { listAccessList } from '../../../src/storage/repositories/access-lists.repository.ts';
import { type TestWorld, testWorld, V2_CONTENT_TYPE } from '../../helpers/app.ts';
import { expectAtlasError, expectChallenge, expectUserUnauthorized, expectV2, HOST, idOf, orgBody } from '../expect.ts';
import { DIALECTS, idOfKey, keyBody, keyWithId, redacted, UUID } from './api-keys-fixtures.ts';

/** Organization API keys and their project assignments (Atlas v2 "Programmatic API Keys"). */
for (const dialect of DIALECTS) {
  describe(`API keys (${dialect})`, () => {
    let w: TestWorld;
    beforeEach(async () => {
      w = await testWorld({ dialect });
    });
    afterEach(() => w.close());

    const orgKeys = () => `/api/atlas/v2/orgs/${w.orgId}/apiKeys`;
    const groupKeys = () => `/api/atlas/v2/groups/${w.groupId}/apiKeys`;
    const ownerBody = async () =>
      keyBody({
        id: await idOfKey(w, w.owner.publicKey),
        orgId: w.orgId,
        publicKey: w.owner.publicKey,
        desc: 'Created by cloud-invites init',
        privateKey: redacted(w.owner.privateKey),
        orgRoles: ['ORG_OWNER'],
      });
    const listOf = (base: string, results: unknown[], total = results.length) => ({
      links: [{ href: `${HOST}${base}?includeCount=true&pageNum=1&itemsPerPage=100`, rel: 'self' }],
      results,
      totalCount: total,
    });
    const orgKeysBody = async () => (await w.api({ url: orgKeys() })).body;

    test('createOrgApiKey: 200, the private key once; then getOrgApiKey and listOrgApiKeys show it redacted', async () => {
      const res = await w.api({
        method: 'POST',
        url: orgKeys(),
        body: { desc: 'ci key', roles: ['ORG_READ_ONLY', 'ORG_BILLING_ADMIN', 'ORG_READ_ONLY'] },
      });
      const id = idOf(res);
      const created = JSON.parse(res.body);
      assert.match(created.privateKey, UUID);
      assert.match(created.publicKey, /^[a-z]{8}$/);
      const fields = {
        id,
        orgId: w.orgId,
        publicKey: created.publicKey,
        desc: 'ci key',
        orgRoles: ['ORG_READ_ONLY', 'ORG_BILLING_ADMIN'],
      };
      expectV2(res, 200, keyBody({ ...fields, privateKey: created.privateKey }));
      assert.equal(res.headers['ratelimit-limit'], '500');
      assert.match(String(res.headers['ratelimit-remaining']), /^\d+$/);

      const shown = keyBody({ ...fields, privateKey: redacted(created.privateKey) });
      expectV2(await w.api({ url: `${orgKeys()}/${id}` }), 200, shown);
      const all = [await ownerBody(), shown].sort((a, b) => a.publicKey.localeCompare(b.publicKey));
      expectV2(await w.api({ url: orgKeys() }), 200, listOf(orgKeys(), all));
      // The new key works with the private key it was shown once.
      const asNew = w.as({ publicKey: created.publicKey, privateKey: created.privateKey });
      expectV2(await asNew({ url: `/api/atlas/v2/orgs/${w.orgId}` }), 200, orgBody(w.orgId, 'Atlas CLI E2E', true));
    });

    test('listOrgApiKeys: ordered by public key, paginated with Atlas links, includeCount=false → totalCount 0', async () => {
      for (let i = 0; i < 3; i++) await w.key(['ORG_MEMBER']);
      const body = JSON.parse(await orgKeysBody());
      const publicKeys = body.results.map((k: { publicKey: string }) => k.publicKey);
      assert.deepEqual(publicKeys, [...publicKeys].sort());
      assert.equal(body.totalCount, 4);
      const page = await w.api({ url: `${orgKeys()}?itemsPerPage=1&pageNum=2` });
      const at = (n: number) => `${HOST}${orgKeys()}?includeCount=true&itemsPerPage=1&pageNum=${n}`;
      expectV2(page, 200, {
        links: [
          { href: at(1), rel: 'previous' },
          { href: `${HOST}${orgKeys()}?includeCount=true&pageNum=2&itemsPerPage=1`, rel: 'self' },
          { href: at(3), rel: 'next' },
        ],
        results: [body.results[1]],
        totalCount: 4,
      });
      assert.equal(JSON.parse((await w.api({ url: `${orgKeys()}?includeCount=false` })).body).totalCount, 0);
      expectAtlasError(
        await w.api({ url: `${orgKeys()}?itemsPerPage=501` }),
        400,
        'INVALID_QUERY_PARAMETER',
        'Invalid query parameter itemsPerPage specified.',
        ['itemsPerPage'],
      );
    });

    test('updateOrgApiKey: desc and/or roles; roles replace the org roles and keep project assignments', async () => {
      const k = await keyWithId(w, ['ORG_MEMBER'], { [w.groupId]: ['GROUP_READ_ONLY'] });
      const fields = {
        id: k.id,
        orgId: w.orgId,
        publicKey: k.publicKey,
        privateKey: redacted(k.privateKey),
        projectRoles: [[w.groupId, ['GROUP_READ_ONLY']]] as Array<[string, string[]]>,
      };
      const url = `${orgKeys()}/${k.id}`;
      expectV2(
        await w.api({ method: 'PATCH', url, body: { desc: 'renamed' } }),
        200,
        keyBody({ ...fields, desc: 'renamed', orgRoles: ['ORG_MEMBER'] }),
      );
      expectV2(
        await w.api({ method: 'PATCH', url, body: { roles: ['ORG_GROUP_CREATOR', 'ORG_READ_ONLY'] } }),
        200,
        keyBody({ ...fields, desc: 'renamed', orgRoles: ['ORG_GROUP_CREATOR', 'ORG_READ_ONLY'] }),
      );
      const both = keyBody({ ...fields, desc: 'x'.repeat(250), orgRoles: ['ORG_OWNER'] });
      expectV2(await w.api({ method: 'PATCH', url, body: { desc: 'x'.repeat(250), roles: ['ORG_OWNER'] } }), 200, both);
      expectV2(await w.api({ url }), 200, both);
      // The key acts with its new roles at once.
      assert.equal(
        (await w.as(k)({ method: 'POST', url: orgKeys(), body: { desc: 'made by k', roles: ['ORG_MEMBER'] } }))
          .statusCode,
        200,
      );
    });

    test('deleteOrgApiKey: 204; the key, its assignments and its access list go; it can no longer sign in', async () => {
      const k = await keyWithId(w, ['ORG_MEMBER'], { [w.groupId]: ['GROUP_OWNER'] });
      assert.equal(
        (await w.api({ method: 'POST', url: `${orgKeys()}/${k.id}/accessList`, body: [{ cidrBlock: '0.0.0.0/0' }] }))
          .statusCode,
        200,
      );
      assert.equal((await w.as(k)({ url: groupKeys() })).statusCode, 200);
      const res = await w.api({ method: 'DELETE', url: `${orgKeys()}/${k.id}` });
      assert.equal(res.statusCode, 204);
      assert.equal(res.body, '');
      assert.equal(res.headers['content-type'], V2_CONTENT_TYPE);
      assert.equal(res.headers['ratelimit-limit'], '500');
      const gone = `No API key with ID ${k.id} exists.`;
      expectAtlasError(await w.api({ url: `${orgKeys()}/${k.id}` }), 400, 'API_KEY_NOT_FOUND', gone, [k.id]);
      expectAtlasError(await w.api({ method: 'DELETE', url: `${orgKeys()}/${k.id}` }), 400, 'API_KEY_NOT_FOUND', gone, [
        k.id,
      ]);
      expectV2(await w.api({ url: groupKeys() }), 200, listOf(groupKeys(), []));
      assert.deepEqual(await listAccessList(w.deps.ctx.db, { kind: 'apiKey', id: k.id }), []);
      expectChallenge(await w.as(k)({ url: groupKeys() }));
    });

    test('a key may delete itself (Atlas publishes no rule against it); its next call is challenged', async () => {
      const k = await keyWithId(w, ['ORG_OWNER']);
      const api = w.as(k);
      assert.equal((await api({ method: 'DELETE', url: `${orgKeys()}/${k.id}` })).statusCode, 204);
      expectChallenge(await api({ url: orgKeys() }));
    });

    test('organization key roles: list/get for members, create/update/delete for Organization Owners only', async () => {
      const target = await keyWithId(w, ['ORG_MEMBER']);
      const otherOrg = await w.newOrg('Other Org');
      const callers = {
        orgMember: await w.key(['ORG_MEMBER']),
        orgReadOnly: await w.key(['ORG_READ_ONLY']),
        groupCreator: await w.key(['ORG_GROUP_CREATOR']),
        billingAdmin: await w.key(['ORG_BILLING_ADMIN']),
        projectOwner: await w.key(['ORG_MEMBER'], { [w.groupId]: ['GROUP_OWNER'] }),
        otherOrgOwner: await w.key(['ORG_OWNER'], {}, otherOrg),
      };
      const before = await orgKeysBody();
      for (const [who, creds] of Object.entries(callers)) {
        const api = w.as(creds);
        if (who === 'otherOrgOwner') {
          expectUserUnauthorized(await api({ url: orgKeys() }));
          expectUserUnauthorized(await api({ url: `${orgKeys()}/${target.id}` }));
        } else {
          assert.equal((await api({ url: orgKeys() })).statusCode, 200, who);
          assert.equal((await api({ url: `${orgKeys()}/${target.id}` })).statusCode, 200, who);
        }
        expectUserUnauthorized(
          await api({ method: 'POST', url: orgKeys(), body: { desc: 'nope', roles: ['ORG_OWNER'] } }),
        );
        // Who may act is checked before what they sent.
        expectUserUnauthorized(
          await api({ method: 'POST', url: orgKeys(), body: { desc: '', roles: ['ORG_WIZARD'] } }),
        );
        expectUserUnauthorized(
          await api({ method: 'PATCH', url: `${orgKeys()}/${target.id}`, body: { roles: ['ORG_OWNER'] } }),
        );
        expectUserUnauthorized(await api({ method: 'PATCH', url: `${orgKeys()}/ffffffffffffffffffffffff`, body: {} }));
        expectUserUnauthorized(await api({ method: 'DELETE', url: `${orgKeys()}/${target.id}` }));
      }
      assert.equal(await orgKeysBody(), before, 'nothing written');
      expectUserUnauthorized(await w.api({ url: `/api/atlas/v2/orgs/${otherOrg}/apiKeys` }));
    });

    test('bad input → the catalogue 400s, nothing written', async () => {
      const k = await keyWithId(w, ['ORG_MEMBER']);
      const before = await orgKeysBody();
      const post = (body: unknown) => w.api({ method: 'POST', url: orgKeys(), body });
      const patch = (body: unknown) => w.api({ method: 'PATCH', url: `${orgKeys()}/${k.id}`, body });
      expectAtlasError(
        await post({ desc: 'x', roles: ['ORG_MEMBER'], publicKey: 'abcdefgh' }),
        400,
        'INVALID_ATTRIBUTE',
        'Invalid attribute publicKey specified.',
        ['publicKey'],
      );
      expectAtlasError(
        await post({ desc: 5, roles: ['ORG_MEMBER'] }),
        400,
        'INVALID_JSON_ATTRIBUTE',
        'Received JSON for the desc attribute does not match expected format.',
        ['desc'],
      );
      expectAtlasError(
        await post({ desc: 'x', roles: 'ORG_MEMBER' }),
        400,
        'INVALID_JSON_ATTRIBUTE',
        'Received JSON for the roles attribute does not match expected format.',
        ['roles'],
      );
      expectAtlasError(
        await post({ roles: ['ORG_MEMBER'] }),
        400,
        'MISSING_ATTRIBUTE',
        'The required attribute desc was not specified.',
        ['desc'],
      );
      expectAtlasError(
        await post({ desc: 'x' }),
        400,
        'MISSING_ATTRIBUTE',
        'The required attribute roles was not specified.',
        ['roles'],
      );
      expectAtlasError(
        await post({ desc: 'x'.repeat(251), roles: ['ORG_MEMBER'] }),
        400,
        'INVALID_API_KEY_DESC',
        'API key descriptions are required and must be less than 250 characters.',
        [250],
      );
      expectAtlasError(
        await post({ desc: ' ', roles: ['ORG_MEMBER'] }),
        400,
        'API_KEY_REQUIRES_DESCRIPTION',
        'All API keys require a non-empty description.',
      );
      expectAtlasError(
        await post({ desc: 'x', roles: [] }),
        400,
        'MISSING_API_KEY_ROLES',
        'API keys must have at least one role.',
      );
      expectAtlasError(
        await post({ desc: 'x', roles: ['ORG_MEMBER', 'GROUP_OWNER'] }),
        400,
        'INVALID_ROLE_FOR_ORG',
        `Role GROUP_OWNER invalid for organization ${w.orgId}.`,
        ['GROUP_OWNER', w.orgId],
      );
      expectAtlasError(
        await post({ desc: 'x', roles: ['ORG_WIZARD'] }),
        400,
        'INVALID_ROLE_FOR_ORG',
        `Role ORG_WIZARD invalid for organization ${w.orgId}.`,
        ['ORG_WIZARD', w.orgId],
      );
      expectAtlasError(
        await post([{ desc: 'x', roles: ['ORG_MEMBER'] }]),
        400,
        'INVALID_JSON',
        'Received JSON does not match expected format.',
      );
      expectAtlasError(
        await w.api({ method: 'POST', url: orgKeys(), rawBody: '{"desc":' }),
        400,
        'MALFORMED_JSON',
        'Received JSON is malformed.',
      );
      expectAtlasError(
        await patch({}),
        400,
        'MISSING_ONE_OF_ATTRIBUTES',
        'Either the desc attribute or the roles attribute must be specified.',
        ['desc', 'roles'],
      );
      expectAtlasError(
        await patch({ roles: ['GROUP_READ_ONLY'] }),
        400,
        'INVALID_ROLE_FOR_ORG',
        `Role GROUP_READ_ONLY invalid for organization ${w.orgId}.`,
        ['GROUP_READ_ONLY', w.orgId],
      );
      expectAtlasError(
        await patch({ desc: 'ok', roles: [] }),
        400,
        'MISSING_API_KEY_ROLES',
        'API keys must have at least one role.',
      );
      expectAtlasError(await patch({ id: k.id }), 400, 'INVALID_ATTRIBUTE', 'Invalid attribute id specified.', ['id']);
      assert.equal(await orgKeysBody(), before, 'nothing written');
    });

    test('unknown, malformed and foreign ids', async () => {
      const unknown = 'a0a0a0a0a0a0a0a0a0a0a0a0';
      const missing = `No API key with ID ${unknown} exists.`;
      expectAtlasError(await w.api({ url: `${orgKeys()}/${unknown}` }), 400, 'API_KEY_NOT_FOUND', missing, [unknown]);
      expectAtlasError(
        await w.api({ method: 'PATCH', url: `${orgKeys()}/${unknown}`, body: { desc: 'x' } }),
        400,
        'API_KEY_NOT_FOUND',
        missing,
        [unknown],
      );
      const path = `${orgKeys()}/abcdefgh`;
      expectAtlasError(
        await w.api({ url: path }),
        400,
        'PATH_PARAM_PARSE_ERROR',
        `One or more path parameter in the request URI ${path} is malformed.`,
        [path],
      );
      const otherOrg = await w.newOrg('Other Org');
      const foreign = await keyWithId(w, ['ORG_MEMBER'], {}, otherOrg);
      expectAtlasError(
        await w.api({ url: `${orgKeys()}/${foreign.id}` }),
        400,
        'API_KEY_NOT_FOUND',
        `No API key with ID ${foreign.id} exists.`,
        [foreign.id],
      );
      expectAtlasError(
        await w.api({ method: 'POST', url: `${groupKeys()}/${foreign.id}`, body: [{ roles: ['GROUP_READ_ONLY'] }] }),
        400,
        'API_KEY_NOT_FOUND',
        `No API key with ID ${foreign.id} exists.`,
        [foreign.id],
      );
      expectAtlasError(
        await w.api({ url: `/api/atlas/v2/orgs/${unknown}/apiKeys` }),
        404,
        'ORG_NOT_FOUND',
        `No organization with ID ${unknown} exists.`,
        [unknown],
      );
      expectAtlasError(
        await w.api({ url: '/api/atlas/v2/orgs/nope/apiKeys' }),
        404,
        'INVALID_ORG_ID',
        'An invalid organization ID nope was specified.',
        ['nope'],
      );
      expectAtlasError(
        await w.api({ url: `/api/atlas/v2/groups/${unknown}/apiKeys` }),
        404,
        'GROUP_NOT_FOUND',
        `No group with ID ${unknown} exists.`,
        [unknown],
      );
    });

    test('createGroupApiKey: an org key with ORG_MEMBER, assigned to the project; the private key once', async () => {
      const res = await w.api({
        method: 'POST',
        url: groupKeys(),
        body: { desc: 'e2e-test', roles: ['GROUP_READ_ONLY'] },
      });
      const created = JSON.parse(res.body);
      assert.match(created.privateKey, UUID);
      const fields = {
        id: idOf(res),
        orgId: w.orgId,
        publicKey: created.publicKey,
        desc: 'e2e-test',
        orgRoles: ['ORG_MEMBER'],
        projectRoles: [[w.groupId, ['GROUP_READ_ONLY']]] as Array<[string, string[]]>,
      };
      expectV2(res, 200, keyBody({ ...fields, privateKey: created.privateKey }));
      assert.equal(res.headers['ratelimit-limit'], '1200');
      const shown = keyBody({ ...fields, privateKey: redacted(created.privateKey) });
      expectV2(await w.api({ url: groupKeys() }), 200, listOf(groupKeys(), [shown]));
      expectV2(await w.api({ url: `${orgKeys()}/${fields.id}` }), 200, shown);
      // It reads the project it was made for.
      assert.equal((await w.as(created)({ url: `/api/atlas/v2/groups/${w.groupId}` })).statusCode, 200);
    });

    test('addGroupApiKey, updateGroupApiKeyRoles, removeGroupApiKey', async () => {
      const a = await keyWithId(w, ['ORG_MEMBER']);
      const b = await keyWithId(w, ['ORG_READ_ONLY']);
      const other = await w.newProject(w.orgId, 'other');
      const body = (k: typeof a, orgRoles: string[], projectRoles: Array<[string, string[]]>, desc = 'test') =>
        keyBody({
          id: k.id,
          orgId: w.orgId,
          publicKey: k.publicKey,
          desc,
          privateKey: redacted(k.privateKey),
          orgRoles,
          projectRoles,
        });

      const added = await w.api({
        method: 'POST',
        url: `${groupKeys()}/${a.id}`,
        body: [{ roles: ['GROUP_READ_ONLY', 'GROUP_CLUSTER_MANAGER'] }],
      });
      assert.equal(added.statusCode, 204, added.body);
      assert.equal(added.body, '');
      assert.equal(added.headers['content-type'], V2_CONTENT_TYPE);
      assert.equal(added.headers['ratelimit-limit'], '1200');
      // Adding again replaces the roles; the read-only userId is accepted and ignored.
      assert.equal(
        (
          await w.api({
            method: 'POST',
            url: `${groupKeys()}/${a.id}`,
            body: [{ roles: ['GROUP_OWNER'], userId: a.id }],
          })
        ).statusCode,
        204,
      );
      assert.equal(
        (
          await w.api({
            method: 'POST',
            url: `/api/atlas/v2/groups/${other}/apiKeys/${a.id}`,
            body: [{ roles: ['GROUP_READ_ONLY'] }],
          })
        ).statusCode,
        204,
      );
      const sortedRoles = [
        [w.groupId, ['GROUP_OWNER']],
        [other, ['GROUP_READ_ONLY']],
      ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))) as Array<[string, string[]]>;
      expectV2(await w.api({ url: `${orgKeys()}/${a.id}` }), 200, body(a, ['ORG_MEMBER'], sortedRoles));

      // PATCH assigns a key that was not in the project (how the Atlas CLI assigns), and renames.
      const patched = await w.api({
        method: 'PATCH',
        url: `${groupKeys()}/${b.id}`,
        body: { roles: ['GROUP_DATA_ACCESS_READ_ONLY'], desc: 'assigned' },
      });
      expectV2(patched, 200, body(b, ['ORG_READ_ONLY'], [[w.groupId, ['GROUP_DATA_ACCESS_READ_ONLY']]], 'assigned'));
      const listed = [
        body(a, ['ORG_MEMBER'], sortedRoles),
        body(b, ['ORG_READ_ONLY'], [[w.groupId, ['GROUP_DATA_ACCESS_READ_ONLY']]], 'assigned'),
      ];
      listed.sort((x, y) => x.publicKey.localeCompare(y.publicKey));
      expectV2(await w.api({ url: groupKeys() }), 200, listOf(groupKeys(), listed));

      const removed = await w.api({ method: 'DELETE', url: `${groupKeys()}/${a.id}` });
      assert.equal(removed.statusCode, 204);
      expectV2(
        await w.api({ url: `${orgKeys()}/${a.id}` }),
        200,
        body(a, ['ORG_MEMBER'], [[other, ['GROUP_READ_ONLY']]]),
      );
      const notIn = `User ${a.id} is not in group ${w.groupId}.`;
      expectAtlasError(
        await w.api({ method: 'DELETE', url: `${groupKeys()}/${a.id}` }),
        404,
        'USER_NOT_IN_GROUP',
        notIn,
        [a.id, w.groupId],
      );
      expectAtlasError(
        await w.api({ method: 'PATCH', url: `${groupKeys()}/${a.id}`, body: { desc: 'only desc' } }),
        404,
        'USER_NOT_IN_GROUP',
        notIn,
        [a.id, w.groupId],
      );
    });

    test('project key roles: list for Project Read Only, writes for Project Owners', async () => {
      const target = await keyWithId(w, ['ORG_MEMBER'], { [w.groupId]: ['GROUP_READ_ONLY'] });
      const otherOrg = await w.newOrg('Other Org');
      const readers = {
        groupReadOnly: await w.key(['ORG_MEMBER'], { [w.groupId]: ['GROUP_READ_ONLY'] }),
        orgReadOnly: await w.key(['ORG_READ_ONLY']),
      };
      const outsiders = {
        orgMember: await w.key(['ORG_MEMBER']),
        groupCreator: await w.key(['ORG_GROUP_CREATOR']),
        otherOrgOwner: await w.key(['ORG_OWNER'], {}, otherOrg),
      };
      const before = (await w.api({ url: groupKeys() })).body;
      for (const creds of Object.values(readers)) assert.equal((await w.as(creds)({ url: groupKeys() })).body, before);
      for (const creds of Object.values(outsiders)) expectUserUnauthorized(await w.as(creds)({ url: groupKeys() }));
      for (const creds of [...Object.values(readers), ...Object.values(outsiders)]) {
        const api = w.as(creds);
        expectUserUnauthorized(
          await api({ method: 'POST', url: groupKeys(), body: { desc: 'x', roles: ['GROUP_OWNER'] } }),
        );
        expectUserUnauthorized(
          await api({ method: 'POST', url: `${groupKeys()}/${target.id}`, body: [{ roles: ['GROUP_OWNER'] }] }),
        );
        expectUserUnauthorized(
          await api({ method: 'PATCH', url: `${groupKeys()}/${target.id}`, body: { roles: ['GROUP_WIZARD'] } }),
        );
        expectUserUnauthorized(await api({ method: 'DELETE', url: `${groupKeys()}/${target.id}` }));
      }
      assert.equal((await w.api({ url: groupKeys() })).body, before, 'nothing written');
      const projectOwner = w.as(await w.key(['ORG_MEMBER'], { [w.groupId]: ['GROUP_OWNER'] }));
      assert.equal(
        (
          await projectOwner({
            method: 'PATCH',
            url: `${groupKeys()}/${target.id}`,
            body: { roles: ['GROUP_CLUSTER_MANAGER'] },
          })
        ).statusCode,
        200,
      );
      assert.equal(
        (
          await projectOwner({
            method: 'POST',
            url: groupKeys(),
            body: { desc: 'by project owner', roles: ['GROUP_READ_ONLY'] },
          })
        ).statusCode,
        200,
      );
      assert.equal((await projectOwner({ method: 'DELETE', url: `${groupKeys()}/${target.id}` })).statusCode, 204);
      assert.equal(
        (
          await projectOwner({
            method: 'POST',
            url: `${groupKeys()}/${target.id}`,
            body: [{ roles: ['GROUP_READ_ONLY'] }],
          })
        ).statusCode,
        204,
      );
    });

    test('project bad input → 400s, nothing written', async () => {
      const k = await keyWithId(w, ['ORG_MEMBER']);
      const before = (await w.api({ url: groupKeys() })).body;
      const add = (body: unknown) => w.api({ method: 'POST', url: `${groupKeys()}/${k.id}`, body });
      const forGroup = (role: string): [string, string[]] => [
        `Role ${role} is invalid for group ${w.groupId}.`,
        [role, w.groupId],
      ];
      expectAtlasError(
        await add({ roles: ['GROUP_OWNER'] }),
        400,
        'INVALID_JSON',
        'Received JSON does not match expected format.',
      );
      expectAtlasError(
        await add([{ roles: ['GROUP_OWNER'], groupId: w.groupId }]),
        400,
        'INVALID_ATTRIBUTE',
        'Invalid attribute groupId specified.',
        ['groupId'],
      );
      expectAtlasError(
        await add([{ roles: 'GROUP_OWNER' }]),
        400,
        'INVALID_JSON_ATTRIBUTE',
        'Received JSON for the roles attribute does not match expected format.',
        ['roles'],
      );
      expectAtlasError(await add([]), 400, 'MISSING_API_KEY_ROLES', 'API keys must have at least one role.');
      expectAtlasError(await add([{ roles: ['ORG_OWNER'] }]), 400, 'INVALID_ROLE_FOR_GROUP', ...forGroup('ORG_OWNER'));
      // Cloud Manager's roles are not Atlas's.
      expectAtlasError(
        await add([{ roles: ['GROUP_USER_ADMIN'] }]),
        400,
        'INVALID_ROLE_FOR_GROUP',
        ...forGroup('GROUP_USER_ADMIN'),
      );
      const create = (body: unknown) => w.api({ method: 'POST', url: groupKeys(), body });
      expectAtlasError(
        await create({ desc: 'x', roles: ['ORG_MEMBER'] }),
        400,
        'INVALID_ROLE_FOR_GROUP',
        ...forGroup('ORG_MEMBER'),
      );
      expectAtlasError(
        await create({ desc: 'x', roles: [] }),
        400,
        'MISSING_API_KEY_ROLES',
        'API keys must have at least one role.',
      );
      expectAtlasError(
        await create({ roles: ['GROUP_OWNER'] }),
        400,
        'MISSING_ATTRIBUTE',
        'The required attribute desc was not specified.',
        ['desc'],
      );
      expectAtlasError(
        await create({ desc: '', roles: ['GROUP_OWNER'] }),
        400,
        'API_KEY_REQUIRES_DESCRIPTION',
        'All API keys require a non-empty description.',
      );
      const patch = (body: unknown) => w.api({ method: 'PATCH', url: `${groupKeys()}/${k.id}`, body });
      expectAtlasError(
        await patch({}),
        400,
        'MISSING_ONE_OF_ATTRIBUTES',
        'Either the desc attribute or the roles attribute must be specified.',
        ['desc', 'roles'],
      );
      expectAtlasError(
        await patch({ roles: ['GROUP_WIZARD'] }),
        400,
        'INVALID_ROLE_FOR_GROUP',
        ...forGroup('GROUP_WIZARD'),
      );
      expectAtlasError(
        await patch({ roles: [] }),
        400,
        'MISSING_API_KEY_ROLES',
        'API keys must have at least one role.',
      );
      const path = `${groupKeys()}/${k.publicKey}`;
      expectAtlasError(
        await w.api({ method: 'DELETE', url: path }),
        400,
        'PATH_PARAM_PARSE_ERROR',
        `One or more path parameter in the request URI ${path} is malformed.`,
        [path],
      );
      assert.equal((await w.api({ url: groupKeys() })).body, before, 'nothing written');
      assert.equal(JSON.parse(await orgKeysBody()).totalCount, 2, 'no key created');
    });
  });
}
