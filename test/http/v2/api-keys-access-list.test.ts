import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { type TestWorld, testWorld, V2_CONTENT_TYPE } from '../../helpers/app.ts';
import { expectAtlasError, expectUserUnauthorized, expectV2, HOST } from '../expect.ts';
import { clientAt, DIALECTS, keyWithId, notOnAccessList } from './api-keys-fixtures.ts';

/** The access lists of organization API keys, and their enforcement on the key's next request. */
for (const dialect of DIALECTS) {
  describe(`API key access lists (${dialect})`, () => {
    let w: TestWorld;
    beforeEach(async () => {
      w = await testWorld({ dialect });
    });
    afterEach(() => w.close());

    const date = () => `${w.clock.now().toISOString().slice(0, 19)}Z`;
    const listUrl = (keyId: string) => `/api/atlas/v2/orgs/${w.orgId}/apiKeys/${keyId}/accessList`;
    const page = (keyId: string, results: unknown[]) => ({
      links: [{ href: `${HOST}${listUrl(keyId)}?includeCount=true&pageNum=1&itemsPerPage=100`, rel: 'self' }],
      results,
      totalCount: results.length,
    });
    /** UserAccessListResponse as Atlas sends it (recorded: `count` 0 and no lastUsed* before any use). */
    const entry = (
      keyId: string,
      e: {
        cidrBlock: string;
        created: string;
        segment: string;
        ipAddress?: string;
        count?: number;
        lastUsed?: string;
        lastUsedAddress?: string;
      },
    ) => ({
      cidrBlock: e.cidrBlock,
      count: e.count ?? 0,
      created: e.created,
      ...(e.ipAddress ? { ipAddress: e.ipAddress } : {}),
      ...(e.lastUsed ? { lastUsed: e.lastUsed } : {}),
      ...(e.lastUsedAddress ? { lastUsedAddress: e.lastUsedAddress } : {}),
      links: [{ href: `${HOST}${listUrl(keyId)}/${e.segment}`, rel: 'self' }],
    });
    function expectForbidden(res: LightMyRequestResponse, ip: string): void {
      assert.equal(res.statusCode, 403, res.body);
      assert.equal(res.headers['content-type'], 'application/json');
      assert.equal(res.headers['x-error-code'], 'IP_ADDRESS_NOT_ON_ACCESS_LIST');
      assert.equal(res.body, notOnAccessList(ip));
    }

    test('enforced end to end: 10.0.0.0/8 shuts 127.0.0.1 out, adding 127.0.0.1 lets it in and counts its use', async () => {
      const k = await keyWithId(w, ['ORG_MEMBER']);
      const api = w.as(k);
      const orgUrl = `/api/atlas/v2/orgs/${w.orgId}`;
      assert.equal((await api({ url: orgUrl })).statusCode, 200, 'no list: open');
      expectV2(await w.api({ url: listUrl(k.id) }), 200, page(k.id, []));

      const created1 = date();
      const cidr = entry(k.id, { cidrBlock: '10.0.0.0/8', created: created1, segment: '10.0.0.0%2F8' });
      const added = await w.api({ method: 'POST', url: listUrl(k.id), body: [{ cidrBlock: '10.0.0.0/8' }] });
      expectV2(added, 200, page(k.id, [cidr]));
      assert.equal(added.headers['ratelimit-limit'], '500');
      expectForbidden(await api({ url: orgUrl }), '127.0.0.1');

      w.clock.advance(5000);
      const created2 = date();
      const local = { cidrBlock: '127.0.0.1/32', created: created2, segment: '127.0.0.1', ipAddress: '127.0.0.1' };
      expectV2(
        await w.api({ method: 'POST', url: listUrl(k.id), body: [{ ipAddress: '127.0.0.1' }] }),
        200,
        page(k.id, [cidr, entry(k.id, local)]),
      );
      w.clock.advance(5000);
      assert.equal((await api({ url: orgUrl })).statusCode, 200);
      const used1 = date();
      w.clock.advance(7000);
      assert.equal((await api({ url: orgUrl })).statusCode, 200);
      const used2 = date();
      const counted = entry(k.id, { ...local, count: 2, lastUsed: used2, lastUsedAddress: '127.0.0.1' });
      assert.notEqual(used1, used2);
      expectV2(await w.api({ url: `${listUrl(k.id)}/127.0.0.1` }), 200, counted);
      expectV2(await w.api({ url: `${listUrl(k.id)}/10.0.0.0%2F8` }), 200, cidr);
      expectV2(await w.api({ url: listUrl(k.id) }), 200, page(k.id, [cidr, counted]));

      // Re-adding an entry keeps it as it is.
      expectV2(
        await w.api({ method: 'POST', url: listUrl(k.id), body: [{ cidrBlock: '127.0.0.1/32' }] }),
        200,
        page(k.id, [cidr, counted]),
      );

      const removed = await w.api({ method: 'DELETE', url: `${listUrl(k.id)}/127.0.0.1` });
      assert.equal(removed.statusCode, 204);
      assert.equal(removed.body, '');
      assert.equal(removed.headers['content-type'], V2_CONTENT_TYPE);
      expectForbidden(await api({ url: orgUrl }), '127.0.0.1');
      assert.equal((await w.api({ method: 'DELETE', url: `${listUrl(k.id)}/10.0.0.0%2F8` })).statusCode, 204);
      assert.equal((await api({ url: orgUrl })).statusCode, 200, 'empty list: open again');
      expectAtlasError(
        await w.api({ url: `${listUrl(k.id)}/10.0.0.0%2F8` }),
        404,
        'RESOURCE_NOT_FOUND',
        `Cannot find resource access list entry 10.0.0.0/8 of API key ${k.id}.`,
        [`access list entry 10.0.0.0/8 of API key ${k.id}`],
      );
    });

    test('IPv6: ::1/128 admits ::1 and not 127.0.0.1; addresses are kept in canonical form', async () => {
      const k = await keyWithId(w, ['ORG_MEMBER']);
      const orgUrl = `/api/atlas/v2/orgs/${w.orgId}`;
      const created = date();
      const v6 = { cidrBlock: '::1/128', created, segment: '::1', ipAddress: '::1' };
      expectV2(
        await w.api({ method: 'POST', url: listUrl(k.id), body: [{ ipAddress: '0:0:0:0:0:0:0:1' }] }),
        200,
        page(k.id, [entry(k.id, v6)]),
      );
      expectForbidden(await clientAt(w.app, k, '127.0.0.1')({ url: orgUrl }), '127.0.0.1');
      w.clock.advance(3000);
      assert.equal((await clientAt(w.app, k, '::1')({ url: orgUrl })).statusCode, 200);
      const used = entry(k.id, { ...v6, count: 1, lastUsed: date(), lastUsedAddress: '::1' });
      expectV2(await w.api({ url: `${listUrl(k.id)}/::1` }), 200, used);
      expectV2(await w.api({ url: `${listUrl(k.id)}/0:0:0:0:0:0:0:1` }), 200, used);

      const v4only = await keyWithId(w, ['ORG_MEMBER']);
      assert.equal(
        (await w.api({ method: 'POST', url: listUrl(v4only.id), body: [{ cidrBlock: '10.0.0.0/8' }] })).statusCode,
        200,
      );
      expectForbidden(await clientAt(w.app, v4only, '::1')({ url: orgUrl }), '::1');
      const ranged = await keyWithId(w, ['ORG_MEMBER']);
      const block = { cidrBlock: '2001:db8::/32', created: date(), segment: '2001%3Adb8%3A%3A%2F32' };
      expectV2(
        await w.api({ method: 'POST', url: listUrl(ranged.id), body: [{ cidrBlock: '2001:DB8:0::/32' }] }),
        200,
        page(ranged.id, [entry(ranged.id, block)]),
      );
      assert.equal((await clientAt(w.app, ranged, '2001:db8::42')({ url: orgUrl })).statusCode, 200);
      expectForbidden(await clientAt(w.app, ranged, '2001:db9::1')({ url: orgUrl }), '2001:db9::1');
    });

    test('who may manage a key access list: its Organization Owner or the key itself', async () => {
      const target = await keyWithId(w, ['ORG_MEMBER']);
      assert.equal(
        (await w.api({ method: 'POST', url: listUrl(target.id), body: [{ cidrBlock: '127.0.0.0/8' }] })).statusCode,
        200,
      );
      const before = (await w.api({ url: listUrl(target.id) })).body;
      const otherOrg = await w.newOrg('Other Org');
      const denied = 'API key access lists are only accessible by the API key or by a user administrator.';
      const ops = [
        { url: listUrl(target.id) },
        { method: 'POST', url: listUrl(target.id), body: [{ ipAddress: '10.1.1.1' }] },
        { url: `${listUrl(target.id)}/127.0.0.0%2F8` },
        { method: 'DELETE', url: `${listUrl(target.id)}/127.0.0.0%2F8` },
      ];
      for (const roles of [['ORG_READ_ONLY'], ['ORG_MEMBER'], ['ORG_GROUP_CREATOR', 'ORG_BILLING_ADMIN']]) {
        const api = w.as(await w.key(roles, { [w.groupId]: ['GROUP_OWNER'] }));
        for (const op of ops) expectAtlasError(await api(op), 401, 'API_KEY_ACCESS_LIST_ACCESS_DENIED', denied);
      }
      const stranger = w.as(await w.key(['ORG_OWNER'], {}, otherOrg));
      for (const op of ops) expectUserUnauthorized(await stranger(op));
      assert.equal((await w.api({ url: listUrl(target.id) })).body, before, 'nothing written');

      // The key itself manages its own list (it calls from 127.0.0.1, inside 127.0.0.0/8)…
      const self = w.as(target);
      const own = await self({ url: listUrl(target.id) });
      assert.equal(own.statusCode, 200);
      assert.deepEqual(
        JSON.parse(own.body).results.map((e: { cidrBlock: string; count: number }) => [e.cidrBlock, e.count]),
        [['127.0.0.0/8', 1]],
      );
      assert.equal(
        (await self({ method: 'POST', url: listUrl(target.id), body: [{ ipAddress: '10.1.1.1' }] })).statusCode,
        200,
      );
      assert.equal((await self({ url: `${listUrl(target.id)}/10.1.1.1` })).statusCode, 200);
      assert.equal((await self({ method: 'DELETE', url: `${listUrl(target.id)}/10.1.1.1` })).statusCode, 204);
      // …but cannot remove the entry it is calling through.
      expectAtlasError(
        await self({ method: 'DELETE', url: `${listUrl(target.id)}/127.0.0.0%2F8` }),
        400,
        'CANNOT_REMOVE_CALLER_FROM_ACCESS_LIST',
        "Cannot remove caller's IP address 127.0.0.1 from access list.",
        ['127.0.0.1'],
      );
      assert.equal(
        (await w.api({ method: 'DELETE', url: `${listUrl(target.id)}/127.0.0.0%2F8` })).statusCode,
        204,
        'the owner can',
      );
    });

    test('bad input → 400, nothing written', async () => {
      const k = await keyWithId(w, ['ORG_MEMBER']);
      const post = (body: unknown) => w.api({ method: 'POST', url: listUrl(k.id), body });
      const badAddress = (a: string): [string, string[]] => [
        `The address ${a} must be in valid IP address or CIDR notation.`,
        [a],
      ];
      expectAtlasError(
        await post({ cidrBlock: '10.0.0.0/8' }),
        400,
        'INVALID_JSON',
        'Received JSON does not match expected format.',
      );
      expectAtlasError(
        await post(['10.0.0.0/8']),
        400,
        'INVALID_JSON',
        'Received JSON does not match expected format.',
      );
      expectAtlasError(
        await post([{}]),
        400,
        'MISSING_ONE_OF_ATTRIBUTES',
        'Either the cidrBlock attribute or the ipAddress attribute must be specified.',
        ['cidrBlock', 'ipAddress'],
      );
      expectAtlasError(
        await post([{ cidrBlock: '10.0.0.0/8', ipAddress: '10.0.0.1' }]),
        400,
        'VALIDATION_ERROR',
        'The request content produced the validation error: specify either cidrBlock or ipAddress, not both.',
        ['specify either cidrBlock or ipAddress, not both'],
      );
      expectAtlasError(
        await post([{ cidrBlock: '10.0.0.0/8', comment: 'x' }]),
        400,
        'INVALID_ATTRIBUTE',
        'Invalid attribute comment specified.',
        ['comment'],
      );
      expectAtlasError(
        await post([{ ipAddress: 10 }]),
        400,
        'INVALID_JSON_ATTRIBUTE',
        'Received JSON for the ipAddress attribute does not match expected format.',
        ['ipAddress'],
      );
      expectAtlasError(
        await post([{ cidrBlock: '10.0.0.0/33' }]),
        400,
        'INVALID_IP_ADDRESS_OR_CIDR_NOTATION',
        ...badAddress('10.0.0.0/33'),
      );
      expectAtlasError(
        await post([{ cidrBlock: '10.0.0.1' }]),
        400,
        'INVALID_IP_ADDRESS_OR_CIDR_NOTATION',
        ...badAddress('10.0.0.1'),
      );
      expectAtlasError(
        await post([{ ipAddress: '10.0.0.0/8' }]),
        400,
        'INVALID_IP_ADDRESS_OR_CIDR_NOTATION',
        ...badAddress('10.0.0.0/8'),
      );
      expectAtlasError(
        await post([{ ipAddress: '999.1.1.1' }]),
        400,
        'INVALID_IP_ADDRESS_OR_CIDR_NOTATION',
        ...badAddress('999.1.1.1'),
      );
      // One bad item and nothing of the batch is written.
      expectAtlasError(
        await post([{ ipAddress: '10.0.0.1' }, { ipAddress: 'example.com' }]),
        400,
        'INVALID_IP_ADDRESS_OR_CIDR_NOTATION',
        ...badAddress('example.com'),
      );
      expectV2(await w.api({ url: listUrl(k.id) }), 200, page(k.id, []));
      assert.equal((await w.as(k)({ url: `/api/atlas/v2/orgs/${w.orgId}` })).statusCode, 200, 'still open');

      const unknown = 'a0a0a0a0a0a0a0a0a0a0a0a0';
      expectAtlasError(
        await w.api({ url: listUrl(unknown) }),
        400,
        'API_KEY_NOT_FOUND',
        `No API key with ID ${unknown} exists.`,
        [unknown],
      );
      const path = `${listUrl(k.id)}/not-an-address`;
      expectAtlasError(
        await w.api({ url: path }),
        400,
        'PATH_PARAM_PARSE_ERROR',
        `One or more path parameter in the request URI ${path} is malformed.`,
        [path],
      );
      const byPublicKey = `/api/atlas/v2/orgs/${w.orgId}/apiKeys/${k.publicKey}/accessList`;
      expectAtlasError(
        await w.api({ method: 'POST', url: byPublicKey, body: [{ ipAddress: '10.0.0.1' }] }),
        400,
        'PATH_PARAM_PARSE_ERROR',
        `One or more path parameter in the request URI ${byPublicKey} is malformed.`,
        [byPublicKey],
      );
      // An empty array adds nothing and answers the list.
      expectV2(await post([]), 200, page(k.id, []));
    });
  });
}
