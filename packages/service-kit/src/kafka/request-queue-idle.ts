/**
 * Stops KafkaJS 2.2.4's idle busy loop. Its per-connection `RequestQueue.scheduleCheckPendingRequests` arms a timer
 * even when nothing is pending and nothing is throttled; the delay is `throttledUntil - now` (hugely negative,
 * hence Node's `TimeoutNegativeWarning` at start), which Node runs after 1 ms, and the check re-arms it: every
 * connection that ever completed a request wakes its process ~1,000 times a second, forever. Measured on an idle
 * local stack: ~770 event-loop wake-ups/s and ~2.4 % of a core in the onboarder, which consumes nothing.
 *
 * Patched on the prototype (KafkaJS is unmaintained, so no upstream release will fix it): with nothing pending and
 * no throttle in force there is nothing to check later — a pushed request that has to wait arms the check itself,
 * and a finished one calls `checkPendingRequests` directly. Everything else runs KafkaJS' own code.
 */
// A static import (not createRequire) so esbuild bundles KafkaJS' own module into the service images, which carry no
// node_modules; it is the same module instance the bundled KafkaJS connections use.
import RequestQueue from 'kafkajs/src/network/requestQueue/index.js';

interface RequestQueueLike {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
}

type Schedule = (this: RequestQueueLike) => void;

const PATCHED = Symbol.for('scalefu.kafkajs.requestQueue.idlePatched');

/** KafkaJS' RequestQueue class (not part of its public API, hence the deep import). */
export function kafkaRequestQueueClass(): { prototype: Record<string | symbol, unknown> } {
  return RequestQueue;
}

/** Patch once per process; later calls do nothing. Returns false when KafkaJS' shape is not the expected one. */
export function patchKafkaRequestQueueIdleLoop(): boolean {
  const proto = kafkaRequestQueueClass().prototype;
  if (proto[PATCHED]) return true;
  const original = proto['scheduleCheckPendingRequests'] as Schedule | undefined;
  if (typeof original !== 'function') return false;
  proto['scheduleCheckPendingRequests'] = function (this: RequestQueueLike) {
    if (!this.throttleCheckTimeoutId && this.pending.length === 0 && this.throttledUntil <= Date.now()) return;
    original.call(this);
  } satisfies Schedule;
  proto[PATCHED] = true;
  return true;
}
