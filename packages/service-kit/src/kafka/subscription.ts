import type { EventData, EventEnvelope, TopicSpec } from '@scalefu/contracts';
import type { Logger } from '../logger';

/** What a handler knows about the record it is handling. */
export interface HandlerContext {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** 1 for the first try; counts in-process retries. */
  readonly attempt: number;
  /** Trips through the retry topic so far (0 on the main topic). */
  readonly retryRound: number;
  readonly log: Logger;
}

/** One event of a batch, as a batch handler gets it. */
export interface BatchItem<E extends EventEnvelope = EventEnvelope> {
  readonly event: E;
  readonly offset: string;
  /**
   * W3C `traceparent` of this record's own consumer span: store it with whatever the record causes later (an outbox
   * row), so the registration stays one trace although the batch's shared work runs in one context.
   */
  readonly traceparent: string | undefined;
}

/** What a batch handler knows about the records it is handling: one fetched partition batch of a main topic. */
export interface BatchContext {
  readonly topic: string;
  readonly partition: number;
  readonly log: Logger;
}

type EventOf<T extends TopicSpec> = EventEnvelope<EventData<T['eventType']>>;

/** One topic a service consumes and what it does with each event (one per file under `src/consumers/`). */
export interface TopicSubscription<T extends TopicSpec = TopicSpec> {
  readonly topic: T;
  handle(event: EventOf<T>, ctx: HandlerContext): Promise<void>;
  /**
   * Optional: apply every event of one fetched batch (validated, not yet processed, in offset order) in one unit of
   * work — one transaction, one pipeline — with the same outcome `handle` would give them one by one. It must be all
   * or nothing: when it throws, the runner falls back to `handle` per record for the whole batch (ADR 0131), so
   * retries, deferrals and the DLQ treat each record exactly as without batching.
   */
  handleBatch?(items: readonly BatchItem<EventOf<T>>[], ctx: BatchContext): Promise<void>;
}

export function subscribe<T extends TopicSpec>(
  topic: T,
  handle: (event: EventOf<T>, ctx: HandlerContext) => Promise<void>,
  handleBatch?: (items: readonly BatchItem<EventOf<T>>[], ctx: BatchContext) => Promise<void>,
): TopicSubscription<T> {
  return handleBatch ? { topic, handle, handleBatch } : { topic, handle };
}

/** Throw from a handler when retrying cannot help (bad data, a rule violation): the record goes straight to the DLQ. */
export class PermanentFailure extends Error {
  override readonly name = 'PermanentFailure';
}

/**
 * Throw when the work cannot be done *yet* but is not failing (e.g. another delivery holds a lease for `delayMs`):
 * the record skips in-process retries and waits `delayMs` on the retry topic without using up a failure round.
 * Bounded by the policy's `maxDeferrals`, after which it is dead-lettered like any stuck record.
 */
export class DeferredRetry extends Error {
  override readonly name = 'DeferredRetry';
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
  }
}
