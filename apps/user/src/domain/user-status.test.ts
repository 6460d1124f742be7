import assert from 'node:assert/strict';
import { test } from 'node:test';
import { onConfirmationSent } from './user-status';

test('a confirmation moves a CREATED user to CONFIRMED', () => {
  assert.deepEqual(onConfirmationSent('CREATED'), { change: true, to: 'CONFIRMED' });
});

test('a second confirmation of a CONFIRMED user changes nothing', () => {
  assert.deepEqual(onConfirmationSent('CONFIRMED'), { change: false });
});
