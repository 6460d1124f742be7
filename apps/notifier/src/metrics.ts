import { Counter, Histogram, type Registry } from 'prom-client';
import { LATENCY_BUCKETS_SECONDS } from '@scalefu/service-kit';

/** What happened to one delivery of `user.created`. */
export type EmailOutcome = 'sent' | 'already_sent' | 'in_progress' | 'failed';

export class NotifierMetrics {
  readonly emails: Counter<'outcome'>;
  readonly smtpDuration: Histogram<never>;

  constructor(registry: Registry) {
    this.emails = new Counter({
      name: 'scalefu_notifier_emails_sent_total',
      help: 'Confirmation mail deliveries by outcome (sent, already_sent, in_progress, failed)',
      labelNames: ['outcome'],
      registers: [registry],
    });
    this.smtpDuration = new Histogram({
      name: 'scalefu_notifier_smtp_send_duration_seconds',
      help: 'Time SMTP took to accept one confirmation mail',
      buckets: LATENCY_BUCKETS_SECONDS,
      registers: [registry],
    });
  }
}
