import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { v7 as uuidv7 } from 'uuid';
import { quantile } from './open-load';
import { uuidV7Millis } from './outcome';

describe('bench arithmetic', () => {
  it('reads the accept time a UUIDv7 carries to the millisecond', () => {
    const msecs = Date.UTC(2026, 10, 29, 20, 0, 0, 123);
    assert.equal(uuidV7Millis(uuidv7({ msecs })), msecs);
  });

  it('takes quantiles by nearest rank, NaN for no values', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    assert.equal(quantile(values, 0.5), 50);
    assert.equal(quantile(values, 0.99), 99);
    assert.equal(quantile(values, 1), 100);
    assert.ok(Number.isNaN(quantile([], 0.5)));
  });
});
