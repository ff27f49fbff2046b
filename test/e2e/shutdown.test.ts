import assert from 'node:assert/strict';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import DigestClient from 'digest-fetch';
import { type RunningServer, startServer, V2 } from './server.ts';

/** SIGTERM as an orchestrator sends it: requests under way finish, new connections are refused, the bound holds. */

async function control(server: RunningServer, method: string, path: string, body?: unknown) {
  const res = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${server.creds?.controlToken}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as any };
}

/** Polls the fault list until the rule has been applied to `n` calls (each poll is a request: no fixed sleep). */
async function untilApplied(server: RunningServer, n: number): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    const { json } = await control(server, 'GET', '/_cloud-invites/faults');
    if (json.results[0]?.applied === n) return;
  }
  throw new Error(`the fault was not applied to ${n} calls`);
}

async function untilLogged(server: RunningServer, text: string): Promise<void> {
  for (let i = 0; i < 1000 && !server.stdout().includes(text); i++)
    await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(server.stdout().includes(text), `no "${text}" in the log:\n${server.stdout()}`);
}

/** The structured log line with this message. */
function logLine(server: RunningServer, msg: string): Record<string, unknown> {
  const line = server
    .stdout()
    .split('\n')
    .find((l) => l.includes(`"msg":"${msg}`));
  assert.ok(line, `no log line "${msg}" in:\n${server.stdout()}`);
  return JSON.parse(line);
}

const refused = (port: number) =>
  new Promise<string>((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? String(err)));
  });

function get(server: RunningServer, url: string) {
  const creds = server.creds;
  assert.ok(creds);
  const client = new DigestClient(creds.publicKey, creds.privateKey);
  return (client.fetch(url, { headers: { Accept: V2 } }) as Promise<Response>).then(async (res) => ({
    status: res.status,
    text: await res.text(),
  }));
}

test('SIGTERM under load: 20 requests under way all get their 200, new connections are refused, exit 0', async () => {
  const server = await startServer({ args: ['--control-plane', '--log-level', 'info', '--shutdown-timeout', '30'] });
  try {
    const creds = server.creds;
    assert.ok(creds);
    const invites = `${server.baseUrl}/api/atlas/v2/groups/${creds.groupId}/invites`;
    // Long enough to be under way while the signal lands (the polls below take milliseconds).
    assert.equal(
      (await control(server, 'POST', '/_cloud-invites/faults', { operationId: 'listGroupInvites', latencyMs: 4000 }))
        .status,
      201,
    );
    let finished = 0;
    const calls = Array.from({ length: 20 }, () =>
      get(server, invites).then((r) => {
        finished++;
        return r;
      }),
    );
    await untilApplied(server, 20);
    assert.equal(finished, 0, 'all 20 are still under way when the signal is sent');
    server.kill('SIGTERM');
    await untilLogged(server, 'shutting down');
    assert.equal(await refused(server.port), 'ECONNREFUSED');
    assert.equal(finished, 0, 'the refusal was seen while the 20 were still under way');
    const answers = await Promise.all(calls);
    for (const a of answers) {
      assert.equal(a.status, 200);
      assert.deepEqual(JSON.parse(a.text), []);
    }
    assert.deepEqual(await server.exited, { code: 0, signal: null });
    const done = logLine(server, 'shut down cleanly');
    assert.equal(done.signal, 'SIGTERM');
    assert.equal(done.cutConnections, 0);
    assert.equal(done.mailClaimsReleased, 0);
    assert.equal(done.storeClosed, true);
    assert.ok((logLine(server, 'shutting down').connections as number) >= 20);
  } finally {
    await server.stop();
  }
});

test('past --shutdown-timeout: a stuck request is cut, a stuck mail claim is released for the next start, exit 1', async () => {
  // An SMTP server that accepts and then says nothing: the outbox's send hangs with its claim held.
  const sockets = new Set<Socket>();
  let smtpConnected: () => void = () => {};
  const connected = new Promise<void>((resolve) => {
    smtpConnected = resolve;
  });
  const smtp: Server = createServer((socket) => {
    sockets.add(socket);
    smtpConnected();
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const smtpPort = (smtp.address() as { port: number }).port;
  const server = await startServer({
    args: [
      '--control-plane',
      '--log-level',
      'info',
      '--shutdown-timeout',
      '1',
      '--smtp-url',
      `smtp://127.0.0.1:${smtpPort}`,
    ],
  });
  try {
    const creds = server.creds;
    assert.ok(creds);
    const group = `${server.baseUrl}/api/atlas/v2/groups/${creds.groupId}`;
    const client = new DigestClient(creds.publicKey, creds.privateKey);
    const invited = (await client.fetch(`${group}/invites`, {
      method: 'POST',
      headers: { Accept: V2, 'Content-Type': V2 },
      body: JSON.stringify({ username: 'stuck@example.com', roles: ['GROUP_READ_ONLY'] }),
    })) as Response;
    assert.equal(invited.status, 200);
    await connected; // the worker claimed the mail and is sending it

    assert.equal(
      (await control(server, 'POST', '/_cloud-invites/faults', { operationId: 'getGroup', latencyMs: 600_000 })).status,
      201,
    );
    const stuck = get(server, group);
    await untilApplied(server, 1);
    server.kill('SIGTERM');
    await assert.rejects(stuck, /fetch failed/);
    assert.deepEqual(await server.exited, { code: 1, signal: null });
    const forced = logLine(server, 'shutdown did not finish within 1000 ms: forced');
    assert.equal(forced.mailClaimsReleased, 1);
    assert.ok((forced.cutConnections as number) >= 1);

    const db = new DatabaseSync(join(server.dataDir, 'cloud-invites.sqlite'));
    const rows = db.prepare('select recipient, attempts, next_attempt_at, sent_at from mail_outbox').all() as Array<
      Record<string, unknown>
    >;
    db.close();
    assert.equal(rows.length, 1);
    assert.equal(rows[0].recipient, 'stuck@example.com');
    assert.equal(rows[0].sent_at, null);
    assert.equal(rows[0].attempts, 0, 'the interrupted attempt is not counted');
    assert.ok(
      String(rows[0].next_attempt_at) <= new Date().toISOString(),
      'due again now, not after the 5-minute lease',
    );
  } finally {
    await server.stop();
    for (const s of sockets) s.destroy();
    smtp.close();
  }
});
