import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildApp } from '../../../src/app.ts';
import { loadConfig } from '../../../src/config/config.ts';
import { createDeps } from '../../../src/deps.ts';

test('--metrics-token: a scrape needs the bearer token; the control token is neither needed nor enough', async () => {
  const config = loadConfig({
    data: ':memory:',
    secretKey: '33'.repeat(32),
    metrics: true,
    metricsToken: 'scrape-me',
    controlPlane: true,
    controlToken: 'control-me',
  });
  const deps = await createDeps(config);
  const app = buildApp(deps);
  try {
    const none = await app.inject({ url: '/_cloud-invites/metrics' });
    assert.equal(none.statusCode, 401);
    assert.equal(none.headers['www-authenticate'], 'Bearer realm="cloud-invites metrics"');
    assert.equal(
      none.body,
      '{"detail":"Current user is not authorized to perform this action.","error":401,"errorCode":"USER_UNAUTHORIZED","parameters":[],"reason":"Unauthorized"}',
    );
    assert.equal(
      (await app.inject({ url: '/_cloud-invites/metrics', headers: { authorization: 'Bearer control-me' } }))
        .statusCode,
      401,
    );
    const ok = await app.inject({ url: '/_cloud-invites/metrics', headers: { authorization: 'Bearer scrape-me' } });
    assert.equal(ok.statusCode, 200);
    assert.match(ok.body, /^# HELP cloud_invites_/m);
    assert.match(ok.body, /^cloud_invites_outbox_depth 0$/m);
  } finally {
    await app.close();
    await deps.close();
  }
});

test('metrics are off unless asked for, by flag or environment', () => {
  assert.equal(loadConfig({ data: ':memory:', secretKey: '33'.repeat(32) }).metrics, false);
  assert.equal(
    loadConfig({ data: ':memory:', secretKey: '33'.repeat(32) }, { CLOUD_INVITES_METRICS: 'true' }).metrics,
    true,
  );
  assert.equal(
    loadConfig({ data: ':memory:', secretKey: '33'.repeat(32) }, { CLOUD_INVITES_SHUTDOWN_TIMEOUT: '2.5' })
      .shutdownTimeoutMs,
    2500,
  );
  assert.throws(
    () => loadConfig({ data: ':memory:', secretKey: '33'.repeat(32), shutdownTimeout: 'soon' }),
    /--shutdown-timeout/,
  );
});
