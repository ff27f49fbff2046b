import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prettyJson } from './json.ts';

test('pretty output follows Jackson DefaultPrettyPrinter, as Atlas prints it', () => {
  assert.equal(
    prettyJson({ detail: 'x', error: 404, parameters: ['/a'], empty: [], obj: {} }),
    '{\n  "detail" : "x",\n  "error" : 404,\n  "parameters" : [ "/a" ],\n  "empty" : [ ],\n  "obj" : { }\n}',
  );
  assert.equal(prettyJson([{ a: 1 }, { b: [true, null] }]), '[ {\n  "a" : 1\n}, {\n  "b" : [ true, null ]\n} ]');
  assert.equal(prettyJson({ o: { p: { q: 'r' } } }), '{\n  "o" : {\n    "p" : {\n      "q" : "r"\n    }\n  }\n}');
  assert.equal(prettyJson('a"b'), '"a\\"b"');
});
