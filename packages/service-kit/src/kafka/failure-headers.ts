/** Headers a record carries into a retry or DLQ topic, so a human (and `npm run dlq`) can see where it came from. */
export const FAILURE_HEADERS = {
  originalTopic: 'x-scalefu-original-topic',
  originalPartition: 'x-scalefu-original-partition',
  originalOffset: 'x-scalefu-original-offset',
  consumerGroup: 'x-scalefu-consumer-group',
  error: 'x-scalefu-error',
  failedAt: 'x-scalefu-failed-at',
  /** How many trips through the retry topic this record has made. */
  retryRound: 'x-scalefu-retry-round',
  /** How many times the handler deferred the record (DeferredRetry); not failures. */
  deferrals: 'x-scalefu-deferrals',
  /** Epoch ms before which the retry consumer must not process the record. */
  notBefore: 'x-scalefu-not-before',
} as const;

/** Failure headers are rewritten on every hop; everything else (CloudEvents attributes, traceparent) travels as is. */
export function isFailureHeader(name: string): boolean {
  return name.startsWith('x-scalefu-');
}
