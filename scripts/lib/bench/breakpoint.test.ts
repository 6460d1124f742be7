import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BREAKPOINT_RESOLUTION, refinedRate } from './breakpoint';

test('the breakpoint search halves the gap between the rate that held and the one that failed, in steps of 25/s', () => {
  assert.equal(refinedRate(500, 750), 625);
  assert.equal(refinedRate(625, 750), 700); // 687.5 rounds to the nearest 25
  assert.equal(refinedRate(500, 625), 575); // 562.5
  assert.equal(refinedRate(0, 50), undefined);
  assert.equal(refinedRate(0, 100), 50);
});

test('the breakpoint search stops once the gap is the resolution or less', () => {
  assert.equal(refinedRate(700, 700 + BREAKPOINT_RESOLUTION), undefined);
  assert.equal(refinedRate(650, 700), undefined);
  // From 500 held and 750 failed, it never takes more than three more steps.
  let [held, failed, probes] = [500, 750, 0];
  for (let next = refinedRate(held, failed); next; next = refinedRate(held, failed), probes++) {
    assert.ok(next > held && next < failed, `${next} lies between ${held} and ${failed}`);
    if (next <= 600) held = next;
    else failed = next;
  }
  assert.ok(probes <= 3, `${probes} probes`);
  assert.ok(failed - held <= BREAKPOINT_RESOLUTION);
});
