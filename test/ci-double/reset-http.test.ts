import assert from 'node:assert/strict';
import { test } from 'node:test';
import { digestClient, testWorld } from '../helpers/app.ts';
import { control } from '../lifecycle/control-plane.ts';
import { DIALECTS } from './store.ts';

for (const dialect of DIALECTS) {
  test(`${dialect}: POST /_cloud-invites/reset without fixtures empties the store and bootstraps it as a first start, answering init --json's object`, async () => {
    const w = await testWorld({ dialect, controlPlane: true });
    try {
      const before = await w.api({ url: `/api/atlas/v2/groups/${w.groupId}/invites` });
      assert.equal(before.statusCode, 200);
      const saved = await control(w, 'POST', '/_cloud-invites/snapshots');
      assert.equal(saved.statusCode, 201);

      const denied = await w.app.inject({ method: 'POST', url: '/_cloud-invites/reset' });
      assert.equal(denied.statusCode, 401, 'behind the control token');
      const res = await control(w, 'POST', '/_cloud-invites/reset');
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers['content-type'], 'application/json');
      const created = JSON.parse(res.body);
      assert.deepEqual(Object.keys(created), [
        'orgId',
        'groupId',
        'publicKey',
        'privateKey',
        'clientId',
        'clientSecret',
        'controlToken',
      ]);
      assert.equal(created.controlToken, w.controlToken);
      assert.notEqual(created.orgId, w.orgId);

      // The old key is gone at once (the access cache forgot it); the new one works.
      const old = await digestClient(w.app, w.owner)({ url: `/api/atlas/v2/groups/${w.groupId}/invites` });
      assert.equal(old.statusCode, 401);
      const fresh = await digestClient(w.app, created)({ url: `/api/atlas/v2/groups/${created.groupId}/invites` });
      assert.equal(fresh.statusCode, 200, fresh.body);
      assert.equal(fresh.body, '[]');
      // Snapshots survive a reset; restoring one brings the old key back.
      const list = await control(w, 'GET', '/_cloud-invites/snapshots');
      assert.deepEqual(JSON.parse(list.body), [JSON.parse(saved.body)]);
      assert.equal(
        (await control(w, 'POST', `/_cloud-invites/snapshots/${JSON.parse(saved.body).id}/restore`)).statusCode,
        200,
      );
      assert.equal(
        (await digestClient(w.app, w.owner)({ url: `/api/atlas/v2/groups/${w.groupId}/invites` })).statusCode,
        200,
      );
      assert.equal(
        (await digestClient(w.app, created)({ url: `/api/atlas/v2/groups/${created.groupId}/invites` })).statusCode,
        401,
      );
    } finally {
      await w.close();
    }
  });
}
