import { METRICS } from '@scalefu/contracts';
import { counterOf, histogramOf } from '@scalefu/service-kit';
import type { Counter, Histogram, Registry } from 'prom-client';

/** What happened to one delivery of `user.created`. */
export type EmailOutcome = 'sent' | 'already_sent' | 'in_progress' | 'failed';

/** SMTP send latency and failures (`outcome="failed"`), from the contracts' metric facts. */
export class NotifierMetrics {
  readonly emails: Counter<'outcome'>;
  readonly smtpDuration: Histogram<never>;

  constructor(registry: Registry) {
    this.emails = counterOf(registry, METRICS.emails);
    this.smtpDuration = histogramOf(registry, METRICS.smtpDuration);
  }
}
