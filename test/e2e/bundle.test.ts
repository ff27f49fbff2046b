import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildBundle } from '../../scripts/build.ts';
import {
  CHALLENGE,
  type Credentials,
  HEX24,
  parseInclude,
  ROOT,
  type RunningServer,
  runCurl,
  startServer,
  V2,
  V2_CONTENT_TYPE,
} from './server.ts';

/**
 * `npm start` runs dist/cloud-invites.mjs, the bundle scripts/build.ts makes: built here afresh
 * (beside the real one, so `../package.json` resolves the same) and driven with curl --digest.
 */
const bundle = join(ROOT, `dist/cloud-invites.test-${process.pid}.mjs`);
let server: RunningServer;
let creds: Credentials;

before(async () => {
  await buildBundle(bundle);
  server = await startServer({ entry: bundle });
  creds = server.creds as Credentials;
});
after(async () => {
  await server?.stop();
  rmSync(bundle, { force: true });
  rmSync(bundle.replace(/\.mjs$/, '.program.mjs'), { force: true });
});

const digest = (...args: string[]) => [
  '--silent',
  '--user',
  `${creds.publicKey}:${creds.privateKey}`,
  '--digest',
  '--include',
  '--header',
  `Accept: ${V2}`,
  ...args,
];

test('the bundle serves the API: curl --digest creates an invitation and lists it', async () => {
  const url = `${server.baseUrl}/api/atlas/v2/groups/${creds.groupId}/invites`;
  const created = await runCurl(
    digest(
      '--header',
      `Content-Type: ${V2}`,
      '-X',
      'POST',
      url,
      '--data',
      '{"roles":["GROUP_READ_ONLY"],"username":"bundle@example.com"}',
    ),
  );
  assert.equal(created.code, 0, created.stderr);
  const [challenge, answer] = parseInclude(created.stdout);
  assert.match(challenge.headers['www-authenticate'], CHALLENGE);
  assert.equal(answer.status, 200, answer.body);
  assert.equal(answer.headers['content-type'], V2_CONTENT_TYPE);
  const invitation = JSON.parse(answer.body) as { id: string; username: string };
  assert.match(invitation.id, HEX24);

  const listed = await runCurl(digest(url));
  const list = JSON.parse(parseInclude(listed.stdout)[1].body) as Array<{ id: string }>;
  assert.deepEqual(
    list.map((i) => i.id),
    [invitation.id],
  );
});

test('the bundle speaks the same errors (one registry, bundled with the rest)', async () => {
  const r = await runCurl(digest(`${server.baseUrl}/api/atlas/v2/groups/${'ab'.repeat(12)}/invites`));
  const res = parseInclude(r.stdout)[1];
  assert.equal(res.status, 404);
  assert.equal(JSON.parse(res.body).errorCode, 'GROUP_NOT_FOUND');
});

test('the bundle serves the console with its assets (copied beside it by the build)', async () => {
  for (const path of ['/console/sign-in', '/console/assets/console.css', '/console/assets/console.js']) {
    const res = await fetch(`${server.baseUrl}${path}`);
    assert.equal(res.status, 200, path);
    assert.ok((await res.text()).length > 100, path);
  }
});
