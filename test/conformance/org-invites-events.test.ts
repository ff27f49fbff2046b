import assert from 'node:assert/strict';
import { specOperations } from '../helpers/spec.ts';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { type TestWorld, testWorld } from '../helpers/app.ts';

/** The organization-invitation and Events operations: each is in the official spec, routed at its method and path, named after its operationId. */


const SERVED: Record<string, string> = {
  listOrgInvites: 'org-invites',
  createOrgInvite: 'org-invites',
  updateOrgInvites: 'org-invites',
  getOrgInvite: 'org-invites',
  updateOrgInviteById: 'org-invites',
  deleteOrgInvite: 'org-invites',
  listGroupEvents: 'events',
  getGroupEvent: 'events',
  listOrgEvents: 'events',
  getOrgEvent: 'events',
};

let w: TestWorld;
before(async () => {
  w = await testWorld();
});
after(() => w.close());

test('each operation is in the spec and routed on v2 (and the invitations on v1.0 too)', () => {
  const ops = specOperations();
  for (const [id, dir] of Object.entries(SERVED)) {
    const op = ops.get(id);
    assert.ok(op, `${id} is not in the spec subset`);
    const url = op.path.replace(/\{(\w+)\}/g, ':$1');
    assert.ok(w.app.hasRoute({ method: op.method as 'GET', url }), `${id}: no route for ${op.method} ${url}`);
    if (dir === 'org-invites') {
      const v1 = url.replace('/api/atlas/v2/', '/api/public/v1.0/');
      assert.ok(w.app.hasRoute({ method: op.method as 'GET', url: v1 }), `${id}: no v1.0 route for ${op.method} ${v1}`);
    }
    const source = readFileSync(new URL(`../../src/http/v2/${dir}/routes.ts`, import.meta.url), 'utf8');
    assert.match(source, new RegExp(`async function ${id}\\(`), id);
  }
});
