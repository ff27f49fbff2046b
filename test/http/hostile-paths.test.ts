import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testWorld } from '../helpers/app.ts';

/** A NUL in a path id is answered alike on both stores (PostgreSQL text cannot hold it: it once answered 500). */
for (const dialect of ['sqlite', 'postgres'] as const) {
  test(`NUL in a path id: the same Atlas error on ${dialect}, never a 500`, async () => {
    const w = await testWorld({ dialect });
    try {
      const cases: Array<[string, string, number, string]> = [
        ['GET', '/api/atlas/v2/groups/%00', 404, 'INVALID_GROUP_ID'],
        ['GET', '/api/atlas/v2/groups/%00/invites', 404, 'INVALID_GROUP_ID'],
        ['GET', '/api/atlas/v2/orgs/a%00b/apiKeys/x', 404, 'INVALID_ORG_ID'],
        ['DELETE', `/api/atlas/v2/orgs/%00/users/${w.orgId}`, 404, 'INVALID_ORG_ID'],
        ['DELETE', `/api/atlas/v2/orgs/${w.orgId}/invites/%00`, 400, 'INVALID_INVITATION_ID'],
        ['DELETE', `/api/public/v1.0/orgs/${w.orgId}/invites/a%00b`, 400, 'INVALID_INVITATION_ID'],
        ['DELETE', `/api/atlas/v2/groups/${w.groupId}/invites/a%00b`, 404, 'INVALID_INVITATION_ID'],
        ['GET', `/api/atlas/v2/orgs/${w.orgId}/invites/a%00b`, 404, 'INVALID_INVITATION_ID'],
      ];
      for (const [method, url, status, code] of cases) {
        const res = await w.api({
          method,
          url,
          headers: url.includes('/public/') ? { accept: 'application/json' } : {},
        });
        assert.equal(res.statusCode, status, `${method} ${url}: ${res.body}`);
        assert.equal(JSON.parse(res.body).errorCode, code, `${method} ${url}`);
      }
      const head = await w.api({ method: 'HEAD', url: '/api/atlas/v2/orgs/a%00b/events/x' });
      assert.equal(head.statusCode, 404);
    } finally {
      await w.close();
    }
  });
}

test('a client that half-closes after its request still gets the answer (PostgreSQL: the answer needs the network)', async () => {
  const w = await testWorld({ dialect: 'postgres' });
  try {
    const address = await w.app.listen({ port: 0, host: '127.0.0.1' });
    const { connect } = await import('node:net');
    for (const request of [
      `GET /api/atlas/v2/groups/${w.groupId}/invites HTTP/1.1\r\nHost: x\r\nAccept: application/vnd.atlas.2023-01-01+json\r\n\r\n`,
      `GET /api/atlas/v2/groups/${w.groupId}/invites HTTP/1.0\r\nAccept: application/vnd.atlas.2023-01-01+json\r\n\r\n`,
    ]) {
      const raw = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(new URL(address).port), '127.0.0.1', () => socket.end(request));
        let data = '';
        socket.setEncoding('latin1');
        socket.on('data', (c) => {
          data += c;
        });
        socket.on('close', () => resolve(data));
        socket.on('error', reject);
      });
      assert.match(raw, /^HTTP\/1\.[01] 401 Unauthorized\r\n/, JSON.stringify(raw));
      assert.match(raw, /www-authenticate: Digest realm="MMS Public API"/);
    }
  } finally {
    await w.close();
  }
});
