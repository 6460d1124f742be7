import { METRICS, uuidv7Millis } from '@scalefu/contracts';
import { counterOf, histogramOf, startAtZero, type ServiceMetrics } from '@scalefu/service-kit';
import type { Counter, Histogram } from 'prom-client';

/** User-service metrics beside the kit's, from the contracts' metric facts (the outbox relay keeps its own). */
export class UserMetrics {
  /** Accept -> CONFIRMED, from the UUIDv7 time of the userID to the commit of the CONFIRMED status. */
  readonly endToEnd: Histogram<never>;
  /** Duplicates the database caught (they passed Redis), one count per conflicting field (`stage="database"`). */
  readonly duplicates: Counter<'field' | 'stage'>;

  constructor(metrics: ServiceMetrics) {
    this.endToEnd = histogramOf(metrics.registry, METRICS.endToEnd);
    this.duplicates = counterOf(metrics.registry, METRICS.duplicates);
    const fields = ['email', 'phoneNumber', 'nationalId'] as const;
    startAtZero(
      this.duplicates,
      fields.map((field) => ({ field, stage: 'database' })),
    );
  }

  /**
   * Record one confirmation committed at `now` (ms) for `userID`. An id that is not a UUIDv7 carries no accept time:
   * it is skipped (false) rather than failing the confirmation over a metric.
   */
  confirmed(userID: string, now = Date.now()): boolean {
    let acceptedAt: number;
    try {
      acceptedAt = uuidv7Millis(userID);
    } catch {
      return false;
    }
    this.endToEnd.observe(Math.max(0, now - acceptedAt) / 1000);
    return true;
  }
}
