import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newClusterId } from './kafka';

test('a KRaft cluster id is 22 base64url characters and never starts with a dash the storage tool would parse', () => {
  for (let i = 0; i < 5000; i++) {
    const id = newClusterId();
    assert.match(id, /^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
  }
});
