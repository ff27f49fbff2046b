import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestWorld, testWorld } from '../../helpers/app.ts';
import { recording } from '../../helpers/recorded.ts';

/**
 * Replays the Atlas CLI's recorded session (create, list, describe, update by email and by id,
 * delete) and compares our answers with live Atlas's byte for byte, ids and names substituted.
 */
let w: TestWorld;
before(async () => {
  w = await testWorld();
});
after(() => w.close());

const HEADERS = [
  'content-type',
  'deprecation',
  'sunset',
  'ratelimit-limit',
  'referrer-policy',
  'strict-transport-security',
  'x-content-type-options',
  'x-frame-options',
  'x-permitted-cross-domain-policies',
];

function substitute(body: string, ids: { groupId: string; invitationId: string; inviter: string }): string {
  return body
    .replaceAll('6a793fd0c0eb9e7a177181d4', ids.groupId)
    .replaceAll('6a793fd52c88faeba59bd5d0', ids.invitationId)
    .replaceAll('"nmtxqlkl"', JSON.stringify(ids.inviter));
}

test('the recorded project-invitation session is reproduced byte for byte', async () => {
  const base = `/api/atlas/v2/groups/${w.groupId}/invites`;
  const create = await w.api({
    method: 'POST',
    url: base,
    body: { roles: ['GROUP_READ_ONLY'], username: 'test-738@mongodb.com' },
  });
  const invitationId = JSON.parse(create.body).id as string;
  const ids = { groupId: w.groupId, invitationId, inviter: w.owner.publicKey };
  const steps = [
    ['Invite__POST', create],
    ['List__GET', await w.api({ url: base })],
    ['Describe__GET', await w.api({ url: `${base}/${invitationId}` })],
  ] as const;
  w.clock.advance(12_000);
  const later = [
    [
      'Update_by_email__PATCH',
      await w.api({
        method: 'PATCH',
        url: base,
        body: { roles: ['GROUP_READ_ONLY', 'GROUP_DATA_ACCESS_READ_ONLY'], username: 'test-738@mongodb.com' },
      }),
    ],
    [
      'Update_by_ID__PATCH',
      await w.api({
        method: 'PATCH',
        url: `${base}/${invitationId}`,
        body: { roles: ['GROUP_READ_ONLY', 'GROUP_DATA_ACCESS_READ_ONLY'] },
      }),
    ],
    ['Delete__DELETE', await w.api({ method: 'DELETE', url: `${base}/${invitationId}` })],
  ] as const;
  for (const [prefix, res] of [...steps, ...later]) {
    const rec = recording(prefix);
    assert.equal(res.statusCode, rec.status, prefix);
    assert.equal(res.body, substitute(rec.body, ids), prefix);
    for (const h of HEADERS) assert.equal(res.headers[h], rec.headers[h], `${prefix} ${h}`);
    if (rec.headers['content-length'])
      assert.equal(res.headers['content-length'], String(Buffer.byteLength(res.body)), prefix);
  }
});

test('RateLimit-Remaining counts down one per call in the project bucket', async () => {
  const url = `/api/atlas/v2/groups/${w.groupId}/invites`;
  const a = Number((await w.api({ url })).headers['ratelimit-remaining']);
  const b = Number((await w.api({ url })).headers['ratelimit-remaining']);
  assert.equal(b, a - 1);
});
