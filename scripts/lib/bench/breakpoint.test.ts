import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BREAKPOINT_RESOLUTION, BREAKPOINT_STEPS, refinedRate, searchBreakpoint } from './breakpoint';

test('the breakpoint search halves the gap between the rate that held and the one that failed, in steps of 25/s', () => {
  assert.equal(refinedRate(500, 750), 625);
  assert.equal(refinedRate(625, 750), 700); // 687.5 rounds to the nearest 25
  assert.equal(refinedRate(500, 625), 575); // 562.5
  assert.equal(refinedRate(0, 100), 50);
  assert.equal(refinedRate(0, 50), undefined);
  assert.equal(refinedRate(700, 700 + BREAKPOINT_RESOLUTION), undefined);
});

/** A box that holds every rate up to `limit`, recording what the search asked and when it settled. */
function boxHolding(limit: number) {
  const asked: (number | 'settle')[] = [];
  return {
    asked,
    holds: async (rate: number) => (asked.push(rate), rate <= limit),
    settle: async () => void asked.push('settle'),
  };
}

test('the breakpoint search finds every threshold to within the resolution, in at most three narrowing probes', async () => {
  for (let limit = 500; limit < 1000; limit += 25) {
    const box = boxHolding(limit);
    const found = await searchBreakpoint(box.holds, box.settle);
    const probes = box.asked.filter((a) => a === 'settle').length;
    assert.ok(found <= limit && limit - found < BREAKPOINT_RESOLUTION, `limit ${limit}: found ${found}`);
    assert.ok(probes <= 3, `limit ${limit}: ${probes} narrowing probes`);
    // Each narrowing probe comes right after a pause.
    box.asked.forEach((a, i) => {
      if (a === 'settle') assert.equal(typeof box.asked[i + 1], 'number');
    });
  }
});

test('the breakpoint search narrows nothing when every step holds or the first fails', async () => {
  const strong = boxHolding(5000);
  assert.equal(await searchBreakpoint(strong.holds, strong.settle), 1000);
  assert.deepEqual(strong.asked, [...BREAKPOINT_STEPS]);
  const weak = boxHolding(10);
  assert.equal(await searchBreakpoint(weak.holds, weak.settle), 0);
  assert.deepEqual(weak.asked, [50]);
});
