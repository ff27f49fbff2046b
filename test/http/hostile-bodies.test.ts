import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { jsonProblem, MAX_JSON_DEPTH } from '../../src/http/plugins/body.ts';
import { json, type TestWorld, testWorld } from '../helpers/app.ts';

let w: TestWorld;
before(async () => {
  w = await testWorld();
});
after(() => w.close());

const invites = () => `/api/atlas/v2/groups/${w.groupId}/invites`;
const nestedArrays = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const nestedObjects = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

test('deeply nested JSON of any depth answers 400 MALFORMED_JSON, never a 500', async () => {
  // 10,000 arrays is the 20 KB body that overflowed the stack; 500,000 is 1 MB, the body limit.
  for (const body of [
    nestedArrays(10_000),
    nestedObjects(20_000),
    nestedArrays(499_000),
    `{"roles":${nestedArrays(5_000)}}`,
  ]) {
    const res = await w.api({ method: 'POST', url: invites(), rawBody: body });
    assert.equal(res.statusCode, 400, `${body.length} bytes: ${res.body}`);
    assert.equal((json(res) as { errorCode: string }).errorCode, 'MALFORMED_JSON');
  }
});

test('nesting up to the limit is parsed and judged by the body rules (INVALID_JSON_ATTRIBUTE, not MALFORMED_JSON)', async () => {
  const res = await w.api({
    method: 'POST',
    url: invites(),
    rawBody: `{"roles":${nestedArrays(MAX_JSON_DEPTH - 2)},"username":"a@b.co"}`,
  });
  assert.equal(res.statusCode, 400, res.body);
  assert.notEqual((json(res) as { errorCode: string }).errorCode, 'MALFORMED_JSON');
});

test('jsonProblem walks any depth without recursion, and finds NUL in keys and strings at depth', () => {
  assert.equal(jsonProblem(JSON.parse(nestedArrays(1_000_000))), 'too-deep');
  assert.equal(jsonProblem(JSON.parse(nestedArrays(MAX_JSON_DEPTH))), null);
  assert.equal(jsonProblem(JSON.parse(nestedArrays(MAX_JSON_DEPTH + 1))), 'too-deep');
  assert.equal(jsonProblem({ a: [[{ b: 'x\u0000' }]] }), 'nul');
  assert.equal(jsonProblem({ a: [[{ 'b\u0000': 1 }]] }), 'nul');
  assert.equal(jsonProblem({ a: [1, true, null, 'ok'] }), null);
});

test('a NUL anywhere in a body is refused with INVALID_JSON and nothing is written', async () => {
  const res = await w.api({
    method: 'POST',
    url: invites(),
    rawBody: '{"roles":["GROUP_READ_ONLY"],"username":"nul\\u0000@example.com"}',
  });
  assert.equal(res.statusCode, 400);
  assert.equal((json(res) as { errorCode: string }).errorCode, 'INVALID_JSON');
  const list = await w.api({ url: invites() });
  assert.deepEqual(json(list), []);
});
