import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergeDeep } from './derive';

test('mergeDeep merges objects key by key and replaces arrays and scalars whole', () => {
  const base = { a: { b: 1, c: 2 }, list: [1, 2, 3], flag: false };
  const merged = mergeDeep(base, { a: { c: 5 }, list: [9], flag: true });
  assert.deepEqual(merged, { a: { b: 1, c: 5 }, list: [9], flag: true });
  assert.deepEqual(base, { a: { b: 1, c: 2 }, list: [1, 2, 3], flag: false }, 'the base is not mutated');
});

test('mergeDeep keeps the base where the delta says nothing', () => {
  const base = { a: { b: 1 } };
  assert.equal(mergeDeep(base, undefined), base);
  assert.deepEqual(mergeDeep(base, { a: {} }), { a: { b: 1 } });
});
