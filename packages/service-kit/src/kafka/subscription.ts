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

/** One topic a service consumes and what it does with each event (one per file under `src/consumers/`). */
export interface TopicSubscription<T extends TopicSpec = TopicSpec> {
  readonly topic: T;
  handle(event: EventEnvelope<EventData<T['eventType']>>, ctx: HandlerContext): Promise<void>;
}

export function subscribe<T extends TopicSpec>(
  topic: T,
  handle: (event: EventEnvelope<EventData<T['eventType']>>, ctx: HandlerContext) => Promise<void>,
): TopicSubscription<T> {
  return { topic, handle };
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
