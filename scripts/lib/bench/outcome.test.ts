import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { v7 as uuidv7 } from 'uuid';
import { quantile } from './open-load';
import { drainRate, stageLatencies, uuidV7Millis } from './outcome';

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

  it('takes the drain rate of a soak-sized run (500,000 ids) without overflowing the stack', () => {
    const start = Date.UTC(2026, 11, 6, 23, 0, 0);
    const ids = Array.from({ length: 500_000 }, (_, i) => uuidv7({ msecs: start + Math.floor(i / 250) }));
    const confirmedMs = Array.from({ length: 500_000 }, (_, i) => start + 1000 + Math.floor(i / 250));
    // Accepts spread over 2 s, each confirmed 1 s later: 500,000 confirmations in 2,999 ms.
    assert.equal(drainRate(ids, confirmedMs), (500_000 * 1000) / (1000 + 1999));
    assert.equal(drainRate(ids, []), 0);
  });

  it('gives each stage its p50 and p95, NaN for a stage no registration reached', () => {
    const ms = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
    const stages = stageLatencies({
      endToEnd: ms(40),
      acceptToStored: ms(20),
      storedToPublished: ms(100),
      publishedToMailed: ms(60),
      mailedToConfirmed: [],
    });
    assert.deepEqual(stages.acceptToStored, { p50Ms: 10, p95Ms: 19 });
    assert.deepEqual(stages.storedToPublished, { p50Ms: 50, p95Ms: 95 });
    assert.deepEqual(stages.publishedToMailed, { p50Ms: 30, p95Ms: 57 });
    assert.ok(Number.isNaN(stages.mailedToConfirmed.p50Ms) && Number.isNaN(stages.mailedToConfirmed.p95Ms));
  });
});
