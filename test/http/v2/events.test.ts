import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { acceptInvitation } from '../../../src/domain/invitations/lifecycle.service.ts';
import { type TestWorld, testWorld } from '../../helpers/app.ts';
import { expectAtlasError, expectUserUnauthorized, expectV2, HOST } from '../expect.ts';
import { apiKeyIdOf, idOf } from '../org-invites.fixtures.ts';

/** listGroupEvents, getGroupEvent, listOrgEvents, getOrgEvent over the events the invitation services write. */
let w: TestWorld;
let keyId: string;
let groupEvents: string;
let orgEvents: string;
let groupInvites: string;
let orgInvites: string;
beforeEach(async () => {
  w = await testWorld();
  keyId = await apiKeyIdOf(w);
  groupEvents = `/api/atlas/v2/groups/${w.groupId}/events`;
  orgEvents = `/api/atlas/v2/orgs/${w.orgId}/events`;
  groupInvites = `/api/atlas/v2/groups/${w.groupId}/invites`;
  orgInvites = `/api/atlas/v2/orgs/${w.orgId}/invites`;
});
afterEach(() => w.close());

const UNKNOWN = '0123456789abcdef01234567';
const T0 = '2026-08-10T03:04:53Z';

interface EventFields {
  id: string;
  type: string;
  created?: string;
  groupId?: string;
  targetUsername?: string;
  userId?: string;
  username?: string;
  /** false: not triggered by an API key (joins); default: the owner's key from 127.0.0.1. */
  byKey?: boolean;
}

/** A user event as Atlas sends it: alphabetical keys; groupId (project events) or orgId and a groups/null self link (org events). */
function event(f: EventFields): Record<string, unknown> {
  const byKey = f.byKey ?? true;
  const out: Record<string, unknown> = {};
  if (byKey) out.apiKeyId = keyId;
  out.created = f.created ?? T0;
  out.eventTypeName = f.type;
  if (f.groupId) out.groupId = f.groupId;
  out.id = f.id;
  out.isGlobalAdmin = false;
  out.links = [{ href: `${HOST}/api/atlas/v2/groups/${f.groupId ?? 'null'}/events/${f.id}`, rel: 'self' }];
  if (!f.groupId) out.orgId = w.orgId;
  if (byKey) out.publicKey = w.owner.publicKey;
  if (byKey) out.remoteAddress = '127.0.0.1';
  if (f.targetUsername) out.targetUsername = f.targetUsername;
  if (f.userId) out.userId = f.userId;
  if (f.username) out.username = f.username;
  return out;
}

function expectEvents(res: LightMyRequestResponse, body: unknown, limit: '300' | '500'): void {
  expectV2(res, 200, body);
  assert.equal(res.headers['ratelimit-limit'], limit);
  assert.match(String(res.headers['ratelimit-remaining']), /^\d+$/);
}

interface Listed {
  links: Array<{ href: string; rel: string }>;
  results: Array<{ id: string; eventTypeName: string; created: string }>;
  totalCount: number;
}
const list = async (url: string) => JSON.parse((await w.api({ url })).body) as Listed;
const types = async (url: string) => (await list(url)).results.map((e) => e.eventTypeName);
const self = (path: string, query = 'includeCount=true&includeRaw=false', page = 'pageNum=1&itemsPerPage=100') => [
  { href: `${HOST}${path}?${query}&${page}`, rel: 'self' },
];
const inviteToProject = (username: string) =>
  w.api({ method: 'POST', url: groupInvites, body: { roles: ['GROUP_READ_ONLY'], username } });
const inviteToOrg = (username: string) =>
  w.api({ method: 'POST', url: orgInvites, body: { roles: ['ORG_MEMBER'], username } });

describe('events written by invitations', () => {
  test('a project invitation: INVITED_TO_GROUP in the project, INVITED_TO_ORG in the organization (with its groups/null self link)', async () => {
    expectEvents(await w.api({ url: groupEvents }), { links: self(groupEvents), results: [], totalCount: 0 }, '300');
    expectEvents(await w.api({ url: orgEvents }), { links: self(orgEvents), results: [], totalCount: 0 }, '500');
    assert.equal((await inviteToProject('test-738@mongodb.com')).statusCode, 200);
    const [g] = (await list(groupEvents)).results;
    const [o] = (await list(orgEvents)).results;
    const invited = event({
      id: g.id,
      type: 'INVITED_TO_GROUP',
      groupId: w.groupId,
      targetUsername: 'test-738@mongodb.com',
    });
    const invitedToOrg = event({ id: o.id, type: 'INVITED_TO_ORG', targetUsername: 'test-738@mongodb.com' });
    expectEvents(
      await w.api({ url: groupEvents }),
      { links: self(groupEvents), results: [invited], totalCount: 1 },
      '300',
    );
    expectEvents(
      await w.api({ url: orgEvents }),
      { links: self(orgEvents), results: [invitedToOrg], totalCount: 1 },
      '500',
    );
    // the recorded org event, key for key
    assert.equal(
      JSON.stringify(invitedToOrg),
      `{"apiKeyId":"${keyId}","created":"${T0}","eventTypeName":"INVITED_TO_ORG","id":"${o.id}","isGlobalAdmin":false,"links":[{"href":"${HOST}/api/atlas/v2/groups/null/events/${o.id}","rel":"self"}],"orgId":"${w.orgId}","publicKey":"${w.owner.publicKey}","remoteAddress":"127.0.0.1","targetUsername":"test-738@mongodb.com"}`,
    );
    expectEvents(await w.api({ url: `${groupEvents}/${g.id}` }), invited, '300');
    expectEvents(await w.api({ url: `${orgEvents}/${o.id}` }), invitedToOrg, '500');
  });

  test('deletes, org invitations and acceptance: newest first in each feed', async () => {
    const p = idOf(await inviteToProject('p@example.com'));
    w.clock.advance(1_000);
    const o = idOf(await inviteToOrg('o@example.com'));
    w.clock.advance(1_000);
    assert.equal((await w.api({ method: 'DELETE', url: `${groupInvites}/${p}` })).statusCode, 204);
    w.clock.advance(1_000);
    assert.equal((await w.api({ method: 'DELETE', url: `${orgInvites}/${o}` })).statusCode, 204);
    w.clock.advance(1_000);
    const accepted = idOf(await inviteToProject('joiner@example.com'));
    w.clock.advance(1_000);
    const { user } = await acceptInvitation(w.deps.ctx, { invitationId: accepted });

    const g = (await list(groupEvents)).results;
    assert.deepEqual(
      g.map((e) => e.eventTypeName),
      ['JOINED_GROUP', 'INVITED_TO_GROUP', 'GROUP_INVITATION_DELETED', 'INVITED_TO_GROUP'],
    );
    assert.deepEqual(
      g.map((e) => e.created),
      ['2026-08-10T03:04:58Z', '2026-08-10T03:04:57Z', '2026-08-10T03:04:55Z', T0],
    );
    expectEvents(
      await w.api({ url: groupEvents }),
      {
        links: self(groupEvents),
        results: [
          event({
            id: g[0].id,
            type: 'JOINED_GROUP',
            groupId: w.groupId,
            created: '2026-08-10T03:04:58Z',
            byKey: false,
            targetUsername: 'joiner@example.com',
            userId: user.id,
            username: 'joiner@example.com',
          }),
          event({
            id: g[1].id,
            type: 'INVITED_TO_GROUP',
            groupId: w.groupId,
            created: '2026-08-10T03:04:57Z',
            targetUsername: 'joiner@example.com',
          }),
          event({
            id: g[2].id,
            type: 'GROUP_INVITATION_DELETED',
            groupId: w.groupId,
            created: '2026-08-10T03:04:55Z',
            targetUsername: 'p@example.com',
          }),
          event({ id: g[3].id, type: 'INVITED_TO_GROUP', groupId: w.groupId, targetUsername: 'p@example.com' }),
        ],
        totalCount: 4,
      },
      '300',
    );
    const o2 = (await list(orgEvents)).results;
    assert.deepEqual(
      o2.map((e) => e.eventTypeName),
      ['JOINED_ORG', 'INVITED_TO_ORG', 'ORG_INVITATION_DELETED', 'INVITED_TO_ORG', 'INVITED_TO_ORG'],
    );
    expectEvents(
      await w.api({ url: `${orgEvents}/${o2[0].id}` }),
      event({
        id: o2[0].id,
        type: 'JOINED_ORG',
        created: '2026-08-10T03:04:58Z',
        byKey: false,
        targetUsername: 'joiner@example.com',
        userId: user.id,
        username: 'joiner@example.com',
      }),
      '500',
    );
    expectEvents(
      await w.api({ url: `${orgEvents}/${o2[2].id}` }),
      event({
        id: o2[2].id,
        type: 'ORG_INVITATION_DELETED',
        created: '2026-08-10T03:04:56Z',
        targetUsername: 'o@example.com',
      }),
      '500',
    );
    expectEvents(
      await w.api({ url: `${orgEvents}/${o2[3].id}` }),
      event({ id: o2[3].id, type: 'INVITED_TO_ORG', created: '2026-08-10T03:04:54Z', targetUsername: 'o@example.com' }),
      '500',
    );
  });

  test('failed operations write nothing', async () => {
    await w.api({ method: 'POST', url: orgInvites, body: { roles: ['NOPE'], username: 'x@example.com' } });
    await w.api({ method: 'DELETE', url: `${orgInvites}/${UNKNOWN}` });
    await w.as(await w.key(['ORG_MEMBER']))({
      method: 'POST',
      url: groupInvites,
      body: { roles: ['GROUP_OWNER'], username: 'x@example.com' },
    });
    assert.equal((await list(orgEvents)).totalCount, 0);
    assert.equal((await list(groupEvents)).totalCount, 0);
  });
});

describe('getGroupEvent / getOrgEvent', () => {
  test("unknown → 404 RESOURCE_NOT_FOUND; each feed's events only through its own endpoint; malformed → 400 PATH_PARAM_PARSE_ERROR", async () => {
    await inviteToProject('x@example.com');
    const [g] = (await list(groupEvents)).results;
    const [o] = (await list(orgEvents)).results;
    const missing = (id: string): [number, string, string, string[]] => [
      404,
      'RESOURCE_NOT_FOUND',
      `Cannot find resource event ${id}.`,
      [`event ${id}`],
    ];
    expectAtlasError(await w.api({ url: `${groupEvents}/${UNKNOWN}` }), ...missing(UNKNOWN));
    expectAtlasError(await w.api({ url: `${orgEvents}/${UNKNOWN}` }), ...missing(UNKNOWN));
    expectAtlasError(await w.api({ url: `${groupEvents}/${o.id}` }), ...missing(o.id));
    expectAtlasError(await w.api({ url: `${orgEvents}/${g.id}` }), ...missing(g.id));
    const other = await w.newProject(w.orgId, 'other');
    expectAtlasError(await w.api({ url: `/api/atlas/v2/groups/${other}/events/${g.id}` }), ...missing(g.id));
    const path = `${groupEvents}/not-an-id`;
    expectAtlasError(
      await w.api({ url: path }),
      400,
      'PATH_PARAM_PARSE_ERROR',
      `One or more path parameter in the request URI ${path} is malformed.`,
      [path],
    );
  });
});

describe('filters', () => {
  async function seed() {
    await inviteToProject('a@example.com'); // T0: INVITED_TO_GROUP + INVITED_TO_ORG
    w.clock.advance(60_000);
    const o = idOf(await inviteToOrg('b@example.com')); // T0+60s: INVITED_TO_ORG
    w.clock.advance(60_000);
    assert.equal((await w.api({ method: 'DELETE', url: `${orgInvites}/${o}` })).statusCode, 204); // T0+120s: ORG_INVITATION_DELETED
    const p = (JSON.parse((await w.api({ url: groupInvites })).body) as Array<{ id: string }>)[0].id;
    w.clock.advance(60_000);
    assert.equal((await w.api({ method: 'DELETE', url: `${groupInvites}/${p}` })).statusCode, 204); // T0+180s: GROUP_INVITATION_DELETED
  }

  test('eventType: one, repeated, or comma-separated; an unknown type matches nothing', async () => {
    await seed();
    assert.deepEqual(await types(orgEvents), ['ORG_INVITATION_DELETED', 'INVITED_TO_ORG', 'INVITED_TO_ORG']);
    assert.deepEqual(await types(`${orgEvents}?eventType=INVITED_TO_ORG`), ['INVITED_TO_ORG', 'INVITED_TO_ORG']);
    assert.deepEqual(await types(`${orgEvents}?eventType=INVITED_TO_ORG&eventType=ORG_INVITATION_DELETED`), [
      'ORG_INVITATION_DELETED',
      'INVITED_TO_ORG',
      'INVITED_TO_ORG',
    ]);
    assert.deepEqual(await types(`${orgEvents}?eventType=ORG_INVITATION_DELETED,INVITED_TO_ORG`), [
      'ORG_INVITATION_DELETED',
      'INVITED_TO_ORG',
      'INVITED_TO_ORG',
    ]);
    assert.deepEqual(await types(`${orgEvents}?eventType=CLUSTER_CREATED`), []);
    assert.deepEqual(await types(`${groupEvents}?eventType=GROUP_INVITATION_DELETED`), ['GROUP_INVITATION_DELETED']);
    assert.deepEqual(await types(`${groupEvents}?excludedEventType=GROUP_INVITATION_DELETED`), ['INVITED_TO_GROUP']);
    const filtered = await list(`${orgEvents}?eventType=INVITED_TO_ORG&eventType=ORG_INVITATION_DELETED`);
    assert.deepEqual(
      filtered.links,
      self(orgEvents, 'eventType=INVITED_TO_ORG&eventType=ORG_INVITATION_DELETED&includeCount=true&includeRaw=false'),
    );
    assert.equal(filtered.totalCount, 3);
  });

  test('minDate / maxDate: inclusive, ISO 8601 with or without an offset, echoed in UTC in the self link', async () => {
    await seed();
    assert.deepEqual(await types(`${orgEvents}?minDate=2026-08-10T03:05:53Z`), [
      'ORG_INVITATION_DELETED',
      'INVITED_TO_ORG',
    ]);
    assert.deepEqual(await types(`${orgEvents}?maxDate=2026-08-10T03:05:53Z`), ['INVITED_TO_ORG', 'INVITED_TO_ORG']);
    assert.deepEqual(await types(`${orgEvents}?minDate=2026-08-10T03:05:00Z&maxDate=2026-08-10T03:06:00Z`), [
      'INVITED_TO_ORG',
    ]);
    assert.deepEqual(await types(`${groupEvents}?minDate=2026-08-10T03:04:54Z`), ['GROUP_INVITATION_DELETED']);
    // the Atlas CLI's format (-0700 style), an explicit +00:00, a fraction, a bare date
    assert.deepEqual(await types(`${orgEvents}?minDate=${encodeURIComponent('2026-08-10T05:05:53+0200')}`), [
      'ORG_INVITATION_DELETED',
      'INVITED_TO_ORG',
    ]);
    assert.deepEqual(await types(`${orgEvents}?minDate=${encodeURIComponent('2026-08-09T23:05:53-04:00')}`), [
      'ORG_INVITATION_DELETED',
      'INVITED_TO_ORG',
    ]);
    assert.deepEqual(await types(`${orgEvents}?maxDate=2026-08-10T03:04:52.999Z`), []);
    assert.deepEqual(await types(`${orgEvents}?minDate=2026-08-11`), []);
    assert.deepEqual(await types(`${orgEvents}?maxDate=2026-08-11`), [
      'ORG_INVITATION_DELETED',
      'INVITED_TO_ORG',
      'INVITED_TO_ORG',
    ]);
    // as recorded: `…?includeCount=false&includeRaw=false&minDate=2026-05-31T03%3A32%3A03Z&pageNum=1&itemsPerPage=100`
    const page = await list(
      `${orgEvents}?includeCount=false&minDate=${encodeURIComponent('2026-08-10T05:05:53+0200')}`,
    );
    assert.deepEqual(
      page.links,
      self(orgEvents, 'includeCount=false&includeRaw=false&minDate=2026-08-10T03%3A05%3A53Z'),
    );
    assert.equal(page.totalCount, 0);
    assert.equal(page.results.length, 2);
    const both = await list(
      `${groupEvents}?maxDate=2026-08-10T03:10:00.500Z&minDate=2026-08-10T03:00:00Z&includeRaw=TRUE`,
    );
    assert.deepEqual(
      both.links,
      self(
        groupEvents,
        'includeCount=true&includeRaw=true&maxDate=2026-08-10T03%3A10%3A00.500Z&minDate=2026-08-10T03%3A00%3A00Z',
      ),
    );
  });

  test('malformed dates and cluster names → 400 INVALID_QUERY_PARAMETER', async () => {
    for (const bad of [
      'yesterday',
      '2026-13-01T00:00:00Z',
      '2026-02-30',
      '2026-08-10T25:00:00Z',
      '1722222222',
      '2026-08-10T03:04:53+25:00',
    ]) {
      for (const name of ['minDate', 'maxDate']) {
        const res = await w.api({ url: `${orgEvents}?${name}=${encodeURIComponent(bad)}` });
        expectAtlasError(res, 400, 'INVALID_QUERY_PARAMETER', `Invalid query parameter ${name} specified.`, [name]);
      }
    }
    expectAtlasError(
      await w.api({ url: `${groupEvents}?clusterNames=-bad` }),
      400,
      'INVALID_QUERY_PARAMETER',
      'Invalid query parameter clusterNames specified.',
      ['clusterNames'],
    );
    // a valid cluster name: no event here concerns a cluster
    await inviteToProject('a@example.com');
    assert.deepEqual(await types(`${groupEvents}?clusterNames=Cluster0`), []);
    assert.deepEqual(await types(groupEvents), ['INVITED_TO_GROUP']);
  });
});

describe('pagination', () => {
  test('itemsPerPage / pageNum with previous and next links; includeCount=false → totalCount 0', async () => {
    for (let i = 1; i <= 5; i++) {
      await inviteToOrg(`u${i}@example.com`);
      w.clock.advance(1_000);
    }
    const all = (await list(orgEvents)).results.map((e) => e.id);
    assert.equal(all.length, 5);
    const at = (q: string) => `${HOST}${orgEvents}?includeCount=true&includeRaw=false&${q}`;
    const first = await list(`${orgEvents}?itemsPerPage=2`);
    assert.deepEqual(
      first.results.map((e) => e.id),
      all.slice(0, 2),
    );
    assert.deepEqual(first.links, [
      { href: at('pageNum=1&itemsPerPage=2'), rel: 'self' },
      { href: at('itemsPerPage=2&pageNum=2'), rel: 'next' },
    ]);
    assert.equal(first.totalCount, 5);
    const second = await list(`${orgEvents}?itemsPerPage=2&pageNum=2`);
    assert.deepEqual(
      second.results.map((e) => e.id),
      all.slice(2, 4),
    );
    assert.deepEqual(second.links, [
      { href: at('itemsPerPage=2&pageNum=1'), rel: 'previous' },
      { href: at('pageNum=2&itemsPerPage=2'), rel: 'self' },
      { href: at('itemsPerPage=2&pageNum=3'), rel: 'next' },
    ]);
    const last = await list(`${orgEvents}?itemsPerPage=2&pageNum=3&includeCount=false`);
    assert.deepEqual(
      last.results.map((e) => e.id),
      all.slice(4),
    );
    assert.equal(last.totalCount, 0);
    assert.deepEqual(
      last.links.map((l) => l.rel),
      ['previous', 'self'],
    );
    assert.equal(
      last.links[1].href,
      `${HOST}${orgEvents}?includeCount=false&includeRaw=false&pageNum=3&itemsPerPage=2`,
    );
    const beyond = await list(`${orgEvents}?itemsPerPage=2&pageNum=9`);
    assert.deepEqual(beyond.results, []);
    assert.equal(beyond.totalCount, 5);
    for (const q of ['itemsPerPage=0', 'itemsPerPage=501', 'pageNum=0', 'pageNum=x']) {
      const name = q.split('=')[0];
      expectAtlasError(
        await w.api({ url: `${orgEvents}?${q}` }),
        400,
        'INVALID_QUERY_PARAMETER',
        `Invalid query parameter ${name} specified.`,
        [name],
      );
    }
  });

  test('envelope=true adds status among the page keys', async () => {
    const res = await w.api({ url: `${groupEvents}?envelope=true` });
    expectEvents(res, { links: self(groupEvents), results: [], status: 200, totalCount: 0 }, '300');
  });
});

describe('who may read', () => {
  test('project events: any project role (Project Read Only and up); org members without one and other orgs → 401', async () => {
    await inviteToProject('a@example.com');
    const [g] = (await list(groupEvents)).results;
    for (const creds of [
      await w.key(['ORG_MEMBER'], { [w.groupId]: ['GROUP_READ_ONLY'] }),
      await w.key(['ORG_READ_ONLY']),
    ]) {
      assert.equal((await w.as(creds)({ url: groupEvents })).statusCode, 200);
      assert.equal((await w.as(creds)({ url: `${groupEvents}/${g.id}` })).statusCode, 200);
    }
    for (const creds of [
      await w.key(['ORG_MEMBER']),
      await w.key(['ORG_GROUP_CREATOR']),
      await w.key(['ORG_OWNER'], {}, await w.newOrg('Elsewhere')),
    ]) {
      expectUserUnauthorized(await w.as(creds)({ url: groupEvents }));
      expectUserUnauthorized(await w.as(creds)({ url: `${groupEvents}/${g.id}` }));
    }
    expectAtlasError(
      await w.api({ url: `/api/atlas/v2/groups/${UNKNOWN}/events` }),
      404,
      'GROUP_NOT_FOUND',
      `No group with ID ${UNKNOWN} exists.`,
      [UNKNOWN],
    );
    expectAtlasError(
      await w.api({ url: '/api/atlas/v2/groups/xyz/events' }),
      404,
      'INVALID_GROUP_ID',
      'An invalid group ID xyz was specified.',
      ['xyz'],
    );
  });

  test('org events: any organization member; another organization’s owner → 401', async () => {
    await inviteToOrg('a@example.com');
    const [o] = (await list(orgEvents)).results;
    for (const creds of [await w.key(['ORG_MEMBER']), await w.key(['ORG_BILLING_READ_ONLY'])]) {
      assert.equal((await w.as(creds)({ url: orgEvents })).statusCode, 200);
      assert.equal((await w.as(creds)({ url: `${orgEvents}/${o.id}` })).statusCode, 200);
    }
    const outsider = await w.key(['ORG_OWNER'], {}, await w.newOrg('Elsewhere'));
    expectUserUnauthorized(await w.as(outsider)({ url: orgEvents }));
    expectUserUnauthorized(await w.as(outsider)({ url: `${orgEvents}/${o.id}` }));
    expectAtlasError(
      await w.api({ url: `/api/atlas/v2/orgs/${UNKNOWN}/events` }),
      404,
      'ORG_NOT_FOUND',
      `No organization with ID ${UNKNOWN} exists.`,
      [UNKNOWN],
    );
  });

  test('an event triggered by another key names that key', async () => {
    const owner2 = await w.key(['ORG_OWNER']);
    const res = await w.as(owner2)({
      method: 'POST',
      url: orgInvites,
      body: { roles: ['ORG_MEMBER'], username: 'by2@example.com' },
    });
    assert.equal(res.statusCode, 200);
    const [o] = (await list(orgEvents)).results;
    const body = JSON.parse((await w.api({ url: `${orgEvents}/${o.id}` })).body) as Record<string, unknown>;
    assert.equal(body.publicKey, owner2.publicKey);
    assert.equal(body.apiKeyId, await apiKeyIdOf(w, owner2));
  });

  test('the events API is v2 only and versioned', async () => {
    expectAtlasError(
      await w.api({ url: groupEvents, headers: { accept: 'application/json' } }),
      406,
      'INVALID_VERSION_DATE',
      'Invalid accept header or version date.',
    );
    expectAtlasError(
      await w.api({ url: `/api/public/v1.0/orgs/${w.orgId}/events` }),
      404,
      'RESOURCE_NOT_FOUND',
      `Cannot find resource /api/public/v1.0/orgs/${w.orgId}/events.`,
      [`/api/public/v1.0/orgs/${w.orgId}/events`],
    );
  });
});
