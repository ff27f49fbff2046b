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
        const res = await w.api({ method, url, headers: url.includes('/public/') ? { accept: 'application/json' } : {} });
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
