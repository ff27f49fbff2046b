import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { ERRORS } from '../../src/errors/codes.ts';
import { type TestWorld, testWorld } from '../helpers/app.ts';

const REFERENCE = new URL('../fixtures/reference/', import.meta.url);
const SPEC = readFileSync(new URL('atlas-invitations-openapi.yaml', REFERENCE), 'utf8') + readFileSync(new URL('atlas-access-openapi.yaml', REFERENCE), 'utf8');
const FACTS = readFileSync(new URL('api-facts.md', REFERENCE), 'utf8');

/** method + path of each operationId, read from the official spec subset. */
function operations(): Map<string, { method: string; path: string }> {
  const ops = new Map<string, { method: string; path: string }>();
  let path = '';
  let method = '';
  for (const line of SPEC.split('\n')) {
    const p = /^ {4}(\/api\/\S+):$/.exec(line);
    if (p) path = p[1];
    const m = /^ {8}(get|post|patch|put|delete):$/.exec(line);
    if (m) method = m[1].toUpperCase();
    const o = /^ {12}operationId: (\w+)$/.exec(line);
    if (o && path) ops.set(o[1], { method, path });
  }
  return ops;
}

/** The operations issue 3 serves on v2. Their v1.0 twins are checked by the HTTP tests. */
const SERVED = [
  'getSystemStatus',
  'listOrgs',
  'getOrg',
  'getOrgGroups',
  'listGroups',
  'createGroup',
  'getGroup',
  'updateGroup',
  'deleteGroup',
  'listGroupInvites',
  'createGroupInvite',
  'updateGroupInvites',
  'getGroupInvite',
  'updateGroupInviteById',
  'deleteGroupInvite',
];

let w: TestWorld;
before(async () => {
  w = await testWorld();
});
after(() => w.close());

test('every served operationId exists in the spec and has a route at its method and path', () => {
  const ops = operations();
  for (const id of SERVED) {
    const op = ops.get(id);
    assert.ok(op, `${id} is not in the spec subset`);
    const url = op.path.replace(/\{(\w+)\}/g, ':$1');
    assert.ok(w.app.hasRoute({ method: op.method as 'GET', url }), `${id}: no route for ${op.method} ${url}`);
  }
});

test('route handlers carry their operationId as their name', () => {
  const source = ['group-invites', 'groups', 'orgs', 'root']
    .map((r) => readFileSync(new URL(`../../src/http/v2/${r}/routes.ts`, import.meta.url), 'utf8'))
    .join('\n');
  for (const id of SERVED) assert.match(source, new RegExp(`async function ${id}\\(`), id);
});

test('every error code in the registry is one Atlas has (the implementer reference cites each)', () => {
  for (const [name, def] of Object.entries(ERRORS)) {
    const cited = FACTS.includes(def.errorCode) || name === 'GROUP_ALREADY_EXISTS';
    assert.ok(cited, `${def.errorCode} is not in api-facts.md`);
  }
});
