import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { createDeps, type Deps } from '../../src/deps.ts';
import { movableClock } from '../../src/lib/clock.ts';
import { RECORDED_NOW, type TestWorld, testWorld, V2 } from '../helpers/app.ts';
import { TEST_DATABASE_URL } from '../helpers/database.ts';

/**
 * Issue 9: three nodes (each its own connection pool, access cache and nonce store) on one
 * PostgreSQL schema. Creates, updates, accepts and deletes spread across them end with no
 * duplicate pending invitation, no lost update, and one events feed that every node reads alike.
 */

let w: TestWorld;
const nodes: FastifyInstance[] = [];
const extra: Deps[] = [];
let token = '';

before(async () => {
  w = await testWorld({ dialect: 'postgres', controlPlane: true, rateLimits: 'off' });
  nodes.push(w.app);
  for (let i = 0; i < 2; i++) {
    const config = loadConfig({
      data: ':memory:',
      databaseUrl: TEST_DATABASE_URL,
      secretKey: '11'.repeat(32),
      rateLimits: 'off',
      controlPlane: true,
    });
    const deps = await createDeps(config, { clock: movableClock(RECORDED_NOW), pgSchema: w.pgSchema });
    extra.push(deps);
    const app = buildApp(deps);
    await app.ready();
    nodes.push(app);
  }
  const res = await nodes[1].inject({
    method: 'POST',
    url: '/api/oauth/token',
    headers: {
      authorization: `Basic ${Buffer.from(`${w.serviceAccount?.clientId}:${w.serviceAccount?.clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    payload: 'grant_type=client_credentials',
  });
  token = JSON.parse(res.body).access_token;
});
after(async () => {
  for (const app of nodes.slice(1)) await app.close();
  for (const d of extra) await d.close();
  await w.close();
});

const invites = () => `/api/atlas/v2/groups/${w.groupId}/invites`;
function call(node: number, method: string, url: string, body?: unknown) {
  return nodes[node % nodes.length].inject({
    method: method as 'GET',
    url,
    headers: {
      accept: V2,
      'content-type': V2,
      authorization: url.startsWith('/_cloud-invites') ? `Bearer ${w.controlToken}` : `Bearer ${token}`,
    },
    payload: body === undefined ? undefined : JSON.stringify(body),
  });
}

test('the same address invited on three nodes at once: one pending invitation, every answer names it', async () => {
  for (let round = 0; round < 8; round++) {
    const username = `same${round}@example.com`;
    const answers = await Promise.all(
      [0, 1, 2].map((n) => call(n, 'POST', invites(), { username, roles: ['GROUP_READ_ONLY'] })),
    );
    for (const a of answers) assert.equal(a.statusCode, 200, a.body);
    assert.equal(new Set(answers.map((a) => JSON.parse(a.body).id)).size, 1, 'one invitation id across the nodes');
    const listed = JSON.parse(
      (await call(round, 'GET', `${invites()}?username=${encodeURIComponent(username)}`)).body,
    ) as unknown[];
    assert.equal(listed.length, 1);
  }
});

test('chains of create → update → update → read hop across nodes and never lose an update; accepts and deletes land once', async () => {
  const chain = async (i: number) => {
    const username = `chain${i}@example.com`;
    const created = await call(i, 'POST', invites(), { username, roles: ['GROUP_READ_ONLY'] });
    assert.equal(created.statusCode, 200, created.body);
    const id = JSON.parse(created.body).id as string;
    assert.equal(
      (await call(i + 1, 'PATCH', `${invites()}/${id}`, { roles: ['GROUP_DATA_ACCESS_READ_ONLY'] })).statusCode,
      200,
    );
    assert.equal(
      (await call(i + 2, 'PATCH', invites(), { username, roles: ['GROUP_OWNER', 'GROUP_READ_ONLY'] })).statusCode,
      200,
    );
    const read = JSON.parse((await call(i + 3, 'GET', `${invites()}/${id}`)).body);
    assert.deepEqual(
      read.roles.sort(),
      ['GROUP_OWNER', 'GROUP_READ_ONLY'],
      `chain ${i}: the last update, read on another node`,
    );
    if (i % 3 === 0) {
      const [a, b] = await Promise.all([
        call(i, 'POST', `/_cloud-invites/invitations/${id}/accept`),
        call(i + 1, 'DELETE', `${invites()}/${id}`),
      ]);
      assert.equal(
        [a.statusCode, b.statusCode].filter((s) => s === 200 || s === 204).length,
        1,
        `chain ${i}: accept or delete, not both: ${a.body} ${b.body}`,
      );
    } else if (i % 3 === 1) {
      assert.equal((await call(i + 2, 'DELETE', `${invites()}/${id}`)).statusCode, 204);
    }
    return i % 3 === 2 ? username : null;
  };
  const pending = (await Promise.all(Array.from({ length: 24 }, (_, i) => chain(i)))).filter(
    (u): u is string => u !== null,
  );
  for (const n of [0, 1, 2]) {
    const list = JSON.parse((await call(n, 'GET', invites())).body) as Array<{ username: string }>;
    const names = list.map((i) => i.username);
    assert.equal(names.length, new Set(names).size, 'no duplicate pending invitation');
    for (const u of pending) assert.ok(names.includes(u), `${u} is still pending on node ${n}`);
    assert.ok(
      !names.some((u) => /^chain\d+@/.test(u) && !pending.includes(u)),
      'accepted and deleted ones are gone everywhere',
    );
  }
  const feeds = await Promise.all(
    [0, 1, 2].map(
      async (n) => (await call(n, 'GET', `/api/atlas/v2/groups/${w.groupId}/events?itemsPerPage=500`)).body,
    ),
  );
  const ids = feeds.map((f) => (JSON.parse(f).results as Array<{ id: string }>).map((e) => e.id));
  assert.ok(ids[0].length > 0);
  assert.deepEqual(ids[1], ids[0], 'node 2 reads the same events feed');
  assert.deepEqual(ids[2], ids[0], 'node 3 reads the same events feed');
  assert.equal(new Set(ids[0]).size, ids[0].length, 'no event twice');
});

test('a project renamed on one node reads renamed on the others at once (their access caches drop it)', async () => {
  for (const n of [0, 1, 2]) assert.equal((await call(n, 'GET', `/api/atlas/v2/groups/${w.groupId}`)).statusCode, 200);
  for (let round = 0; round < 3; round++) {
    const name = `renamed-${round}`;
    const res = await call(round, 'PATCH', `/api/atlas/v2/groups/${w.groupId}`, { name });
    assert.equal(res.statusCode, 200, res.body);
    for (const n of [0, 1, 2])
      assert.equal(
        JSON.parse((await call(n, 'GET', `/api/atlas/v2/groups/${w.groupId}`)).body).name,
        name,
        `node ${n}`,
      );
  }
});
