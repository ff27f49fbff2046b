import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { freshDatabase, runCurl, type RunningServer, startServer, tempDir, V2 } from './server.ts';
import { rmSync } from 'node:fs';

/**
 * Issue 8 (1): a Digest request captured from curl on one node must not be accepted again, on that
 * node or on another node sharing the store. qop=auth does not cover the body, so a replay could
 * otherwise mint a second key or change an invitation's roles.
 */

const cleanups: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** Two `serve` processes on one store: the first bootstraps it, the second joins. */
async function twoNodes(dialect: 'sqlite' | 'postgres'): Promise<[RunningServer, RunningServer]> {
  let args: string[] = [];
  const dataDir = tempDir();
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  if (dialect === 'postgres') {
    const db = await freshDatabase();
    cleanups.push(db.drop);
    args = ['--database-url', db.url];
  }
  const one = await startServer({ dataDir, args });
  cleanups.push(one.stop);
  const two = await startServer({ dataDir, args, firstStart: false });
  cleanups.push(two.stop);
  return [one, two];
}

/** curl's own Digest: the answer, and the Authorization header curl sent (from its trace). */
async function curlDigest(base: string, user: string, method: string, path: string, body: string) {
  const r = await runCurl([
    '-sS',
    '-v',
    '--digest',
    '--user',
    user,
    '-X',
    method,
    '-H',
    `Accept: ${V2}`,
    '-H',
    `Content-Type: ${V2}`,
    '--data',
    body,
    '-w',
    '\n%{http_code}',
    `${base}${path}`,
  ]);
  const authorization = /^> Authorization: (Digest .*)\r?$/im.exec(r.stderr)?.[1];
  assert.ok(authorization, r.stderr);
  const lines = r.stdout.split('\n');
  return { status: Number(lines.pop()), body: lines.join('\n'), authorization };
}

const replay = (base: string, method: string, path: string, authorization: string, body: string) =>
  fetch(`${base}${path}`, { method, headers: { authorization, accept: V2, 'content-type': V2 }, body });

for (const dialect of ['sqlite', 'postgres'] as const) {
  test(`a captured Digest request replayed to the other node or the same one is refused (${dialect})`, async () => {
    const [one, two] = await twoNodes(dialect);
    const creds = one.creds;
    assert.ok(creds);
    const user = `${creds.publicKey}:${creds.privateKey}`;
    const keys = `/api/atlas/v2/orgs/${creds.orgId}/apiKeys`;
    const mint = JSON.stringify({ desc: 'captured', roles: ['ORG_OWNER'] });
    const first = await curlDigest(one.baseUrl, user, 'POST', keys, mint);
    assert.equal(first.status, 200, first.body);

    for (const node of [two, one]) {
      const res = await replay(
        node.baseUrl,
        'POST',
        keys,
        first.authorization,
        JSON.stringify({ desc: 'replayed', roles: ['ORG_OWNER'] }),
      );
      assert.equal(res.status, 401, `${node === one ? 'same' : 'other'} node: ${await res.text()}`);
      // Elsewhere the nonce is not that node's own: stale=true, so an honest client simply renews it.
      assert.match(res.headers.get('www-authenticate') ?? '', node === two ? /stale=true$/ : /stale=false$/);
    }
    const listed = await fetch(`${two.baseUrl}${keys}`, { headers: { accept: V2 } });
    assert.equal(listed.status, 401);
    const all = await runCurl(['-sS', '--digest', '--user', user, '-H', `Accept: ${V2}`, `${two.baseUrl}${keys}`]);
    const descs = (JSON.parse(all.stdout) as { results: Array<{ desc: string }> }).results.map((k) => k.desc).sort();
    assert.deepEqual(descs, ['Created by cloud-invites init', 'captured']);

    // A captured invitation replayed with other roles changes nothing.
    const invites = `/api/atlas/v2/groups/${creds.groupId}/invites`;
    const invited = await curlDigest(
      one.baseUrl,
      user,
      'POST',
      invites,
      JSON.stringify({ roles: ['GROUP_READ_ONLY'], username: 'eve@example.com' }),
    );
    assert.equal(invited.status, 200, invited.body);
    const escalated = await replay(
      two.baseUrl,
      'POST',
      invites,
      invited.authorization,
      JSON.stringify({ roles: ['GROUP_OWNER'], username: 'eve@example.com' }),
    );
    assert.equal(escalated.status, 401);
    const list = await runCurl(['-sS', '--digest', '--user', user, '-H', `Accept: ${V2}`, `${two.baseUrl}${invites}`]);
    assert.deepEqual(
      (JSON.parse(list.stdout) as Array<{ roles: string[] }>).map((i) => i.roles),
      [['GROUP_READ_ONLY']],
    );
  });
}
