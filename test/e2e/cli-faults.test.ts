import assert from 'node:assert/strict';
import { type AddressInfo, createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import {
  cliFails,
  cliJson,
  type Credentials,
  curlDigest,
  parseInclude,
  type RunningServer,
  runCli,
  startServer,
} from './server.ts';

/**
 * `cloud-invites faults …` against a real `serve --control-plane` process, the rules it adds seen by
 * curl --digest (a client we did not write).
 */

interface Rule {
  id: string;
  remaining: number | null;
  matched: number;
  applied: number;
  error: { errorCode: string; status: number; parameters: unknown[]; retryAfterSeconds: number | null } | null;
}

describe('cloud-invites faults (against a running server)', () => {
  let server: RunningServer;
  let creds: Credentials;
  let conn: string[];
  let invites: string;
  before(async () => {
    server = await startServer({ args: ['--control-plane'] });
    assert.ok(server.creds?.controlToken);
    creds = server.creds;
    conn = ['--url', server.baseUrl, '--control-token', creds.controlToken as string];
    invites = `${server.baseUrl}/api/atlas/v2/groups/${creds.groupId}/invites`;
  });
  after(() => server?.stop());

  /** The last response curl --digest shows (after the Digest challenge). */
  const lastAnswer = async (url: string) => {
    const r = await curlDigest(creds, url);
    assert.equal(r.code, 0, r.stderr);
    return parseInclude(r.stdout).at(-1) as ReturnType<typeof parseInclude>[number];
  };

  test('add (an Atlas 503, a 429 with Retry-After) is what curl sees; list, remove, clear', async () => {
    const failing = await cliJson<Rule>([
      'faults',
      'add',
      ...conn,
      '--operation-id',
      'listGroupInvites',
      '--method',
      'GET',
      '--error-code',
      'UNEXPECTED_ERROR',
      '--status',
      '503',
      '--times',
      '1',
    ]);
    assert.deepEqual(failing.error, {
      errorCode: 'UNEXPECTED_ERROR',
      status: 503,
      parameters: [],
      retryAfterSeconds: null,
    });
    assert.equal(failing.remaining, 1);
    const failed = await lastAnswer(invites);
    assert.equal(failed.status, 503);
    assert.equal(failed.headers['x-error-code'], 'UNEXPECTED_ERROR');
    assert.match(failed.body, /"errorCode":"UNEXPECTED_ERROR"/);
    assert.equal((await lastAnswer(invites)).status, 200, 'used up after one call');

    const human = await runCli([
      'faults',
      'add',
      ...conn,
      '--operation-id',
      'listGroupInvites',
      '--error-code',
      'RATE_LIMITED',
      '--parameters',
      '["{resource}",100,1]',
      '--retry-after',
      '2',
      '--times',
      '2',
      '--seed',
      '7',
    ]);
    assert.equal(human.code, 0, human.stderr);
    assert.match(
      human.stdout,
      /^added (\d+) {2}\* listGroupInvites {2}error 429 RATE_LIMITED retry-after 2s {2}p=1 seed=7 {2}remaining 2 matched 0 applied 0\n$/,
    );
    const limitedId = /^added (\d+)/.exec(human.stdout)?.[1] as string;
    const limited = await lastAnswer(invites);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers['retry-after'], '2');
    assert.match(limited.body, /"errorCode":"RATE_LIMITED"/);

    const slow = await cliJson<Rule>([
      'faults',
      'add',
      ...conn,
      '--path',
      '/api/atlas/v2/groups/*',
      '--latency-ms',
      '1',
    ]);
    const listed = await cliJson<{ results: Rule[]; totalCount: number }>(['faults', 'list', ...conn]);
    assert.equal(listed.totalCount, 2);
    assert.deepEqual(
      listed.results.map((r) => [r.id, r.remaining, r.matched, r.applied]),
      [
        [limitedId, 1, 1, 1],
        [slow.id, null, 0, 0],
      ],
    );
    const lines = await runCli(['faults', 'list', ...conn]);
    assert.equal(lines.code, 0, lines.stderr);
    assert.match(
      lines.stdout,
      new RegExp(
        `^${limitedId} .* remaining 1 matched 1 applied 1\n${slow.id}  \\* /api/atlas/v2/groups/\\*  latency 1ms .* remaining unlimited matched 0 applied 0\n$`,
      ),
    );

    const removed = await runCli(['faults', 'remove', limitedId, ...conn]);
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal(removed.stdout, `removed fault ${limitedId}\n`);
    assert.equal((await lastAnswer(invites)).status, 200, 'the removed rule no longer applies');
    await cliFails(
      ['faults', 'remove', limitedId, ...conn],
      new RegExp(`answered 404 RESOURCE_NOT_FOUND: .*/_cloud-invites/faults/${limitedId}`),
    );

    assert.deepEqual(await cliJson(['faults', 'clear', ...conn]), { removed: 1 });
    const empty = await runCli(['faults', 'list', ...conn]);
    assert.equal(empty.stdout, 'no fault rules\n');
    const clearedAgain = await runCli(['faults', 'clear', ...conn]);
    assert.equal(clearedAgain.stdout, 'removed 0 fault rules\n');
  });

  test('validation errors: the Atlas error from the server, or the flag at fault; nothing is added', async () => {
    await cliFails(
      ['faults', 'add', ...conn, '--operation-id', 'getGroup'],
      /answered 400 VALIDATION_ERROR: .*a rule needs latencyMs, error or drop/,
    );
    await cliFails(
      ['faults', 'add', ...conn, '--operation-id', 'getGroup', '--error-code', 'RATE_LIMITED'],
      /answered 400 VALIDATION_ERROR: .*error\.parameters must have 3 entries for RATE_LIMITED/,
    );
    await cliFails(['faults', 'add', ...conn, '--latency-ms', '10'], /answered 400 MISSING_ONE_OF_ATTRIBUTES: /);
    await cliFails(['faults', 'add', ...conn, '--path', '/x', '--drop', '--times', 'twice'], /--times takes a number/);
    await cliFails(
      ['faults', 'add', ...conn, '--path', '/x', '--error-code', 'RATE_LIMITED', '--parameters', '[1,'],
      /--parameters takes a JSON array/,
    );
    assert.deepEqual(await cliJson(['faults', 'list', ...conn]), { results: [], totalCount: 0 });
  });

  test('wrong token, no token, nobody listening', async () => {
    await cliFails(
      ['faults', 'list', '--url', server.baseUrl, '--control-token', 'wrong'],
      /faults answered 401: wrong control token/,
    );
    await cliFails(['faults', 'clear', '--url', server.baseUrl], /--control-token .* is required/);
    const dead = createServer();
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', () => resolve()));
    const { port } = dead.address() as AddressInfo;
    await new Promise<void>((resolve) => dead.close(() => resolve()));
    await cliFails(
      ['faults', 'list', '--url', `http://127.0.0.1:${port}`, '--control-token', 'x'],
      new RegExp(`cannot reach http://127\\.0\\.0\\.1:${port}/_cloud-invites/faults: ECONNREFUSED`),
    );
  });
});

describe('cloud-invites faults against a server without --control-plane', () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server?.stop());

  test('says the control plane is off, for every subcommand', async () => {
    const conn = ['--url', server.baseUrl, '--control-token', 'x'];
    for (const args of [['add', '--operation-id', 'getGroup', '--drop'], ['list'], ['remove', '1'], ['clear']]) {
      await cliFails(['faults', ...args, ...conn], /answered 404: is the server running with --control-plane\?/);
    }
  });
});
