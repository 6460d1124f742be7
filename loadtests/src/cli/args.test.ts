import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDuration, parseLoadArgs } from './args';

test('durations read as seconds, minutes or hours; anything else is refused', () => {
  assert.equal(parseDuration('30'), 30);
  assert.equal(parseDuration('30s'), 30);
  assert.equal(parseDuration('2m'), 120);
  assert.equal(parseDuration('1h'), 3600);
  assert.throws(() => parseDuration('soon'), /--duration must look like/);
});

test('load arguments: scenario, rate, duration and target', () => {
  const args = parseLoadArgs(['load', '--rate', '100', '--duration', '30s', '--target', 'http://127.0.0.1:9']);
  assert.deepEqual(
    [args.positionals, args.rate, args.durationSeconds, args.target],
    [['load'], 100, 30, 'http://127.0.0.1:9'],
  );
  assert.throws(() => parseLoadArgs(['load', '--rate', 'lots']), /--rate must be a positive number/);
});
