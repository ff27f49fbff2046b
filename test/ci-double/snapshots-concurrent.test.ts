import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import DigestClient from 'digest-fetch';
import { openDatabase } from '../../src/storage/database.ts';
import { readDataTables, type StoreCopy } from '../../src/storage/repositories/snapshots.repository.ts';
import { freshDatabase, HEX24, type RunningServer, startServer, V2, V2_CONTENT_TYPE } from '../e2e/server.ts';
import { EXAMPLE } from './store.ts';

const TOKEN = 'cit_snapshots-test-token';
const OWNER = { publicKey: 'ciownera', privateKey: '6c1b1e57-3f0a-4f7e-9d5c-0a1b2c3d4e5f' };
const ORG = '65f1a0000000000000000001';
const GROUP = '65f1a0000000000000000002';
const CLIENTS = 8;
const ROUNDS = 8;

function controlPlane(server: RunningServer) {
  return async (method: string, path: string) => {
    const res = await fetch(`${server.baseUrl}/_cloud-invites${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type'), body: text ? JSON.parse(text) : null };
  };
}

/** A Digest client we did not write (digest-fetch), one per simulated suite. */
function atlas(server: RunningServer, creds = OWNER) {
  const c = new DigestClient(creds.publicKey, creds.privateKey);
  return async (method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = { Accept: V2, ...(body === undefined ? {} : { 'Content-Type': V2 }) };
    const res = (await c.fetch(`${server.baseUrl}/api/atlas/v2${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    })) as Response;
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`${dialect}: reset and snapshots while requests run`, () => {
    const cleanup: Array<() => Promise<void>> = [];
    after(async () => {
      for (const f of cleanup.reverse()) await f();
    });

    test('8 clients create invitations while the store is restored and reset in a loop: every answer is a whole Atlas answer, and a restore gives back the snapshot exactly', async () => {
      const pg = dialect === 'postgres' ? await freshDatabase() : null;
      if (pg) cleanup.push(pg.drop);
      const store = pg ? ['--database-url', pg.url] : [];
      const fixtures = fileURLToPath(EXAMPLE);
      const args = [
        ...store,
        '--fixtures',
        fixtures,
        '--control-plane',
        '--control-token',
        TOKEN,
        '--rate-limits',
        'off',
      ];
      const server = await startServer({ args, firstStart: false });
      cleanup.push(server.stop);
      const control = controlPlane(server);
      const opened = openDatabase({ databaseUrl: pg?.url, dataDir: server.dataDir });
      cleanup.push(opened.close);

      const saved = await control('POST', '/snapshots');
      assert.equal(saved.status, 201);
      assert.match(saved.type ?? '', /^application\/json/);
      assert.deepEqual(Object.keys(saved.body), ['id', 'createdAt']);
      assert.match(saved.body.id, HEX24);
      assert.deepEqual((await control('GET', '/snapshots')).body, [saved.body]);

      // A key made after the snapshot works until the restore, then not: every node's access cache forgot it.
      const owner = atlas(server);
      const made = await owner('POST', `/orgs/${ORG}/apiKeys`, {
        desc: 'made after the snapshot',
        roles: ['ORG_OWNER'],
      });
      assert.equal(made.status, 200, made.text);
      const later = JSON.parse(made.text) as { publicKey: string; privateKey: string };
      assert.equal((await atlas(server, later)('GET', `/groups/${GROUP}/invites`)).status, 200);

      let stop = false;
      let creates = 0;
      const answers: Array<{ status: number; type: string | null; text: string; kind: 'create' | 'list' }> = [];
      const clients = Array.from({ length: CLIENTS }, async (_, c) => {
        const api = atlas(server);
        for (let n = 0; !stop; n++) {
          const created = await api('POST', `/groups/${GROUP}/invites`, {
            username: `c${c}-${n}@example.com`,
            roles: ['GROUP_READ_ONLY'],
          });
          answers.push({ ...created, kind: 'create' });
          creates++;
          if (n % 4 === 0) answers.push({ ...(await api('GET', `/groups/${GROUP}/invites`)), kind: 'list' });
        }
      });
      // Each round waits for the clients to have written more, so restores and resets land among their requests.
      const progressed = async (since: number) => {
        while (creates < since + CLIENTS && answers.every((a) => a.status < 500))
          await new Promise((r) => setImmediate(r));
      };
      let midway: { id: string } | null = null;
      for (let round = 0; round < ROUNDS; round++) {
        await progressed(creates);
        if (round === ROUNDS / 2) {
          // Saved while the clients write: it must hold each invitation with its mail and event, or none of them.
          const taken = await control('POST', '/snapshots');
          assert.equal(taken.status, 201, JSON.stringify(taken.body));
          midway = taken.body;
          await progressed(creates);
        }
        const restored = await control('POST', `/snapshots/${saved.body.id}/restore`);
        assert.equal(restored.status, 200, JSON.stringify(restored.body));
        assert.deepEqual(restored.body, saved.body);
        if (round % 3 === 2) {
          const reset = await control('POST', '/reset');
          assert.equal(reset.status, 200, JSON.stringify(reset.body));
          assert.ok(reset.body.fixtures, 'with --fixtures, reset goes back to them');
        }
      }
      stop = true;
      await Promise.all(clients);

      assert.ok(creates >= ROUNDS * CLIENTS);
      for (const a of answers) {
        assert.equal(a.status, a.kind === 'create' ? 200 : 200, `${a.kind}: ${a.status} ${a.text}`);
        assert.equal(a.type, V2_CONTENT_TYPE);
        const body = JSON.parse(a.text);
        if (a.kind === 'create') assert.match(body.id, HEX24);
        else assert.ok(Array.isArray(body) && body.every((i: { groupId: string }) => i.groupId === GROUP), a.text);
      }

      // Quiet now: one more restore, and the store is the snapshot, table for table, row for row.
      assert.equal((await control('POST', `/snapshots/${saved.body.id}/restore`)).status, 200);
      const row = await opened.db
        .selectFrom('snapshots')
        .select('data')
        .where('id', '=', saved.body.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(JSON.parse(JSON.stringify(await readDataTables(opened.db))), JSON.parse(row.data) as StoreCopy);
      const invites = await owner('GET', `/groups/${GROUP}/invites`);
      assert.deepEqual(
        (JSON.parse(invites.text) as Array<{ username: string }>).map((i) => i.username),
        ['bob@example.com'],
      );
      assert.equal(
        (await atlas(server, later)('GET', `/groups/${GROUP}/invites`)).status,
        401,
        'the key invited after the snapshot is gone',
      );

      assert.ok(midway);
      assert.equal((await control('POST', `/snapshots/${midway.id}/restore`)).status, 200);
      const copy = await readDataTables(opened.db);
      const invited = copy.invitations.filter((i) => i.kind === 'project' && /^c\d+-/.test(String(i.username)));
      assert.ok(invited.length >= CLIENTS, `the midway snapshot holds the clients' invitations (${invited.length})`);
      for (const i of invited) {
        assert.equal(copy.mail_outbox.filter((m) => m.recipient === i.username).length, 1, `mail to ${i.username}`);
        assert.equal(
          copy.events.filter((e) => e.target_username === i.username && e.event_type === 'INVITED_TO_GROUP').length,
          1,
          `event for ${i.username}`,
        );
      }
      assert.equal(
        copy.mail_outbox.filter((m) => /^c\d+-/.test(String(m.recipient))).length,
        invited.length,
        'no mail without its invitation',
      );

      for (const s of [saved.body, midway]) assert.equal((await control('DELETE', `/snapshots/${s.id}`)).status, 204);
      assert.deepEqual((await control('GET', '/snapshots')).body, []);
      const gone = await control('POST', `/snapshots/${saved.body.id}/restore`);
      assert.equal(gone.status, 404);
      assert.equal(gone.body.errorCode, 'RESOURCE_NOT_FOUND');
      assert.equal(
        (await fetch(`${server.baseUrl}/_cloud-invites/snapshots`, { method: 'POST' })).status,
        401,
        'behind the control token',
      );
    });
  });
}
