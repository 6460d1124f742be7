import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pendingDeadLetters } from './dlq-depth';

test('counts dead letters past the replayed offset, or past the low watermark when none were replayed', () => {
  const ends = [
    { partition: 0, low: '0', high: '5' },
    { partition: 1, low: '2', high: '4' },
    { partition: 2, low: '0', high: '0' },
  ];
  assert.equal(pendingDeadLetters(ends, []), 7);
  assert.equal(pendingDeadLetters(ends, [{ partition: 0, offset: '5' }]), 2);
  // A replay mark behind retention (-1 or below low) does not count deleted records.
  assert.equal(pendingDeadLetters(ends, [{ partition: 1, offset: '-1' }]), 7);
});
