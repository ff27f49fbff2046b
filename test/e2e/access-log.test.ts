import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { type RunningServer, startServer, V2 } from './server.ts';

let server: RunningServer | null = null;
after(() => server?.stop());

test('at info level, one log line per request: method, redacted URL, status; never a header', async () => {
  server = await startServer({ args: ['--log-level', 'info'] });
  const token = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcde';
  await (await fetch(`${server.baseUrl}/console/invitations/${token}`)).arrayBuffer();
  await (
    await fetch(`${server.baseUrl}/api/atlas/v2`, {
      headers: { accept: V2, authorization: 'Digest username="secret-user", response="00"' },
    })
  ).arrayBuffer();
  await (await fetch(`${server.baseUrl}/api/atlas/v2/groups`, { headers: { accept: V2 } })).arrayBuffer();
  await new Promise((r) => setTimeout(r, 200));
  const lines = server
    .stdout()
    .split('\n')
    .filter((l) => l.startsWith('{"level"'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => l.msg === 'request');
  assert.deepEqual(
    lines.map((l) => [l.method, l.url, l.statusCode]),
    [
      ['GET', '/console/invitations/[redacted]', 404],
      ['GET', '/api/atlas/v2', 401],
      ['GET', '/api/atlas/v2/groups', 401],
    ],
  );
  assert.ok(!server.stdout().includes(token), 'no link secret in the log');
  assert.ok(!/secret-user|authorization/i.test(server.stdout()), 'no Authorization in the log');
});
