import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { v7 as uuidv7 } from 'uuid';
import { quantile } from './open-load';
import { drainRate, pipelineStages, uuidV7Millis } from './outcome';

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

  it('splits accept→CONFIRMED into stored, published and confirmed; a row whose outbox entry is gone counts only in the first stage', () => {
    const accept = Date.UTC(2026, 11, 7, 19, 0, 0);
    const rows = Array.from({ length: 20 }, (_, i) => ({
      userId: uuidv7({ msecs: accept + i }),
      storedMs: accept + i + 10 * (i + 1),
      publishedMs: i === 19 ? null : accept + i + 10 * (i + 1) + 5,
      confirmedMs: accept + i + 10 * (i + 1) + 5 + 100,
    }));
    const stages = pipelineStages(rows);
    assert.deepEqual(stages.acceptToStored, { p50Ms: 100, p95Ms: 190 });
    assert.deepEqual(stages.storedToPublished, { p50Ms: 5, p95Ms: 5 });
    assert.deepEqual(stages.publishedToConfirmed, { p50Ms: 100, p95Ms: 100 });
    const none = pipelineStages([{ ...rows[0]!, publishedMs: null }]);
    assert.ok(Number.isNaN(none.storedToPublished.p50Ms) && Number.isNaN(none.publishedToConfirmed.p95Ms));
  });
});
