import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kafkaRequestQueueClass, patchKafkaRequestQueueIdleLoop } from './request-queue-idle';

interface Queue {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  scheduleCheckPendingRequests(): void;
}

function queue(): Queue {
  const RequestQueue = kafkaRequestQueueClass() as unknown as new (options: object) => Queue;
  const logger = { debug() {}, info() {}, warn() {}, error() {} };
  return new RequestQueue({ maxInFlightRequests: 1, requestTimeout: 30_000, clientId: 'test', broker: 'b:1', logger });
}

test('an idle KafkaJS request queue arms no timer (unpatched it re-arms a 1 ms one forever)', () => {
  const unpatched = queue();
  unpatched.scheduleCheckPendingRequests();
  const armedBefore = unpatched.throttleCheckTimeoutId !== null;
  if (unpatched.throttleCheckTimeoutId) clearTimeout(unpatched.throttleCheckTimeoutId);

  assert.equal(patchKafkaRequestQueueIdleLoop(), true);
  assert.equal(patchKafkaRequestQueueIdleLoop(), true, 'a second call is harmless');
  const idle = queue();
  idle.scheduleCheckPendingRequests();
  assert.equal(idle.throttleCheckTimeoutId, null, 'nothing pending, no throttle: no timer');
  assert.ok(armedBefore, 'KafkaJS still has the loop this patch removes (drop the patch when it does not)');
});

test('a queue with pending requests or a throttle in force still schedules its check', () => {
  patchKafkaRequestQueueIdleLoop();
  const pending = queue();
  pending.pending.push({});
  pending.scheduleCheckPendingRequests();
  assert.notEqual(pending.throttleCheckTimeoutId, null);
  clearTimeout(pending.throttleCheckTimeoutId!);

  const throttled = queue();
  throttled.throttledUntil = Date.now() + 5_000;
  throttled.scheduleCheckPendingRequests();
  assert.notEqual(throttled.throttleCheckTimeoutId, null);
  clearTimeout(throttled.throttleCheckTimeoutId!);
});
