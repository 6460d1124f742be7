import { METRICS } from '@scalefu/contracts';
import { counterOf, histogramOf, startAtZero } from '@scalefu/service-kit';
import type { Counter, Histogram, Registry } from 'prom-client';

/** What happened to one delivery of `user.created`. */
export const EMAIL_OUTCOMES = ['sent', 'already_sent', 'in_progress', 'failed'] as const;
export type EmailOutcome = (typeof EMAIL_OUTCOMES)[number];

/** SMTP send latency and failures (`outcome="failed"`), from the contracts' metric facts. */
export class NotifierMetrics {
  readonly emails: Counter<'outcome'>;
  readonly smtpDuration: Histogram<never>;

  constructor(registry: Registry) {
    this.emails = counterOf(registry, METRICS.emails);
    this.smtpDuration = histogramOf(registry, METRICS.smtpDuration);
    startAtZero(
      this.emails,
      EMAIL_OUTCOMES.map((outcome) => ({ outcome })),
    );
  }
}
