import type { FastifyReply, FastifyRequest } from 'fastify';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { EVENT_LOOP_MONITORING_MS } from '../metrics';

export interface LoadSheddingOptions {
  /** Mean event-loop delay (ms) over the last sample above which requests are answered 503. */
  readonly maxEventLoopDelayMs: number;
  /** How often (ms) the delay is sampled. @default 1000 */
  readonly sampleIntervalMs?: number;
  /** Answers a shed request (status, `Retry-After`, body). */
  readonly shed: (reply: FastifyReply, delayMs: number) => FastifyReply;
}

/**
 * Sheds requests with 503 while the event loop lags, as `@fastify/under-pressure` did — but its delay monitor is a
 * libuv timer hard-wired to 10 ms, which woke every idle service 100 times a second (~0.5 % of a core each, a third of
 * the idle stack's budget). This one samples at the resolution the metrics already use (100 ms): a lag of a second
 * still shows within one sample.
 */
export interface EventLoopLagShedder {
  /** The lag of the last sample (ms). */
  delayMs(): number;
  /** `onRequest` hook: answers 503 while the last sample's lag is above the limit. */
  onRequest(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined>;
  /** `onClose` hook: stops the monitor. */
  onClose(): Promise<void>;
}

export function eventLoopLagShedder(options: LoadSheddingOptions): EventLoopLagShedder {
  if (!(options.maxEventLoopDelayMs > 0)) throw new Error('maxEventLoopDelayMs must be a positive number of ms');
  const histogram = monitorEventLoopDelay({ resolution: EVENT_LOOP_MONITORING_MS });
  histogram.enable();
  let delayMs = 0;
  let seen = { count: 0, sumNs: 0 };
  const timer = setInterval(() => {
    // Never reset: a reset also forgets the monitor's last tick, so a stall that ends just before this callback runs
    // would never be recorded. The interval's samples are the difference of the running count and sum instead.
    const now = { count: histogram.count, sumNs: histogram.count > 0 ? histogram.mean * histogram.count : 0 };
    if (now.count === seen.count) return; // no tick since the last sample: the stall, if any, is recorded next time
    const meanMs = (now.sumNs - seen.sumNs) / (now.count - seen.count) / 1e6;
    // Each sample is the time between two ticks: the resolution plus the lag.
    delayMs = Math.max(0, meanMs - EVENT_LOOP_MONITORING_MS);
    seen = now;
  }, options.sampleIntervalMs ?? 1000);
  timer.unref();
  return {
    delayMs: () => delayMs,
    onRequest: async (_request, reply) => {
      if (delayMs > options.maxEventLoopDelayMs) return options.shed(reply, delayMs);
      return undefined;
    },
    onClose: async () => {
      clearInterval(timer);
      histogram.disable();
    },
  };
}
