import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OnboarderMetrics } from './metrics';

test('maps each answer of the register endpoint to one outcome label', () => {
  assert.deepEqual(
    [201, 400, 413, 415, 409, 429, 503, 500].map((s) => OnboarderMetrics.outcomeOf(s)),
    ['accepted', 'invalid', 'invalid', 'invalid', 'duplicate', 'rate_limited', 'unavailable', 'error'],
  );
});
