import assert from 'node:assert/strict';
import { test } from 'node:test';
import { freshDatabase, parseInclude, runCurl, startServer } from './server.ts';
import { MIGRATION_NAMES } from '../../src/storage/migrations/index.ts';

/** An operator's probes against a real `serve` on PostgreSQL, without credentials and without the control plane. */

test('health and ready over curl; ready turns 503 when the PostgreSQL database is dropped, health stays 200', async () => {
  const database = await freshDatabase();
  const server = await startServer({ args: ['--database-url', database.url] });
  try {
    const probe = async (path: string) =>
      parseInclude((await runCurl(['-sS', '--include', `${server.baseUrl}${path}`])).stdout)[0];
    const health = await probe('/_cloud-invites/health');
    assert.equal(health.status, 200);
    assert.equal(health.body, '{"status":"ok"}');
    const ready = await probe('/_cloud-invites/ready');
    assert.equal(ready.status, 200);
    assert.equal(ready.body, `{"status":"ok","migration":"${MIGRATION_NAMES[MIGRATION_NAMES.length - 1]}"}`);

    await database.drop(); // WITH (FORCE): the server's connections are cut, and reconnecting finds no database
    const gone = await probe('/_cloud-invites/ready').catch((e) => {
      throw new Error(`${e}\nserver stderr:\n${server.stderr()}`);
    });
    assert.equal(gone.status, 503);
    assert.equal(gone.headers['x-error-code'], 'UNEXPECTED_ERROR');
    const body = JSON.parse(gone.body);
    assert.equal(body.reason, 'Service Unavailable');
    assert.match(body.parameters[0], /^the store does not answer: /);
    assert.equal((await probe('/_cloud-invites/health')).status, 200);
  } finally {
    await server.stop();
    await database.drop();
  }
});
