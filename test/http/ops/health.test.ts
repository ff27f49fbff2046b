import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { pgAdmin } from '../../helpers/database.ts';
import { type TestWorld, testWorld } from '../../helpers/app.ts';
import { MIGRATION_NAMES } from '../../../src/storage/migrations/index.ts';

const LATEST = MIGRATION_NAMES[MIGRATION_NAMES.length - 1];
const PREVIOUS = MIGRATION_NAMES[MIGRATION_NAMES.length - 2];

/** Health and readiness: no credentials, with or without the control plane, on both dialects. */

const get = (w: TestWorld, url: string) => w.app.inject({ url });

async function expectReady(w: TestWorld): Promise<void> {
  const res = await get(w, '/_cloud-invites/ready');
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.headers['content-type'], 'application/json');
  assert.equal(res.body, `{"status":"ok","migration":"${LATEST}"}`);
}

function expectNotReady(res: Awaited<ReturnType<typeof get>>, reason: RegExp): void {
  assert.equal(res.statusCode, 503, res.body);
  assert.equal(res.headers['content-type'], 'application/json');
  assert.equal(res.headers['x-error-code'], 'UNEXPECTED_ERROR');
  const body = JSON.parse(res.body);
  assert.deepEqual(Object.keys(body), ['detail', 'error', 'errorCode', 'parameters', 'reason']);
  assert.equal(body.error, 503);
  assert.equal(body.reason, 'Service Unavailable');
  assert.equal(body.detail, 'Unexpected error.');
  assert.match(body.parameters[0], reason);
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  for (const controlPlane of [false, true]) {
    test(`${dialect}, control plane ${controlPlane ? 'on' : 'off'}: health and ready answer without credentials`, async () => {
      const w = await testWorld({ dialect, controlPlane });
      try {
        const health = await get(w, '/_cloud-invites/health');
        assert.equal(health.statusCode, 200);
        assert.equal(health.body, '{"status":"ok"}');
        await expectReady(w);
        // Metrics are off unless asked for; with the control plane on, the token guards what is not open.
        assert.equal((await get(w, '/_cloud-invites/metrics')).statusCode, controlPlane ? 401 : 404);
      } finally {
        await w.close();
      }
    });
  }

  test(`${dialect}: ready is 503 while migrations are pending, 200 again once run`, async () => {
    const w = await testWorld({ dialect });
    try {
      const latest = await sql<{ name: string }>`select name from kysely_migration order by name desc limit 1`.execute(
        w.deps.ctx.db,
      );
      await sql`delete from kysely_migration where name = ${latest.rows[0].name}`.execute(w.deps.ctx.db);
      expectNotReady(
        await get(w, '/_cloud-invites/ready'),
        new RegExp(`^migrations pending: the store is at ${PREVIOUS}, this build needs ${LATEST}$`),
      );
      await sql`insert into kysely_migration (name, timestamp) values (${latest.rows[0].name}, ${new Date().toISOString()})`.execute(
        w.deps.ctx.db,
      );
      await expectReady(w);
      assert.equal((await get(w, '/_cloud-invites/health')).statusCode, 200);
    } finally {
      await w.close();
    }
  });
}

test('postgres: ready is 503 once the store is gone, while health still answers', async () => {
  const w = await testWorld({ dialect: 'postgres' });
  try {
    await expectReady(w);
    await pgAdmin(`DROP SCHEMA ${w.pgSchema} CASCADE`);
    expectNotReady(
      await get(w, '/_cloud-invites/ready'),
      /^the store does not answer: relation "kysely_migration" does not exist$/,
    );
    assert.equal((await get(w, '/_cloud-invites/health')).statusCode, 200);
  } finally {
    await w.close();
  }
});

test('sqlite: ready is 503 once the store is closed', async () => {
  const w = await testWorld();
  await expectReady(w);
  await w.deps.database.close();
  expectNotReady(await get(w, '/_cloud-invites/ready'), /^the store does not answer: /);
  assert.equal((await get(w, '/_cloud-invites/health')).statusCode, 200);
  await w.app.close();
});
