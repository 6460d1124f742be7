/** Alerts on the registration pipeline itself: lag, dead letters, the outbox, SMTP and admin lockouts. */
import { METRICS } from '@scalefu/contracts';
import type { AlertSpec } from '../rules';

/** Records a group may be behind before someone should look. */
export const CONSUMER_LAG_LIMIT = 1000;
/** Oldest unpublished outbox event older than this: the relay is not publishing. */
export const OUTBOX_STUCK_SECONDS = 60;
/** Share of confirmation mails failing. */
export const SMTP_FAILURE_RATIO = 0.1;
/** Admin lockouts within 15 minutes that suggest credential stuffing rather than forgetful admins. */
export const LOCKOUT_SPIKE = 5;

export function pipelineAlerts(): AlertSpec[] {
  const lagSeries = `${METRICS.kafkaConsumerLag.name}{service="notifier",group="scalefu.notifier",topic="user.created"}`;
  const dlqSeries = `${METRICS.kafkaDlqDepth.name}{service="notifier",topic="user.created.notifier.dlq"}`;
  const emails = METRICS.emails.name;
  return [
    {
      alert: 'ScaleFuConsumerLagHigh',
      expr: `sum by (group, topic) (${METRICS.kafkaConsumerLag.name}) > ${CONSUMER_LAG_LIMIT}`,
      for: '10m',
      severity: 'warning',
      summary: 'Consumer group {{ $labels.group }} is behind on {{ $labels.topic }}',
      description: `More than ${CONSUMER_LAG_LIMIT} records waiting for 10 minutes: registrations are accepted but not processed in time.`,
      runbook: { file: 'kafka-pipeline.md', anchor: 'consumer-lag' },
      fires: {
        series: [{ series: lagSeries, values: '5000x30' }],
        at: '15m',
        alerts: [{ group: 'scalefu.notifier', topic: 'user.created' }],
      },
      quiet: { series: [{ series: lagSeries, values: '10x30' }], at: '15m', alerts: [] },
    },
    {
      alert: 'ScaleFuDlqNotEmpty',
      expr: `max by (topic) (${METRICS.kafkaDlqDepth.name}) > 0`,
      for: '5m',
      severity: 'warning',
      summary: 'Dead letters waiting in {{ $labels.topic }}',
      description: 'Events failed every retry and are parked; they need a fix and a replay (npm run dlq).',
      runbook: { file: 'dlq.md', anchor: 'dlq-not-empty' },
      fires: {
        series: [{ series: dlqSeries, values: '3x20' }],
        at: '10m',
        alerts: [{ topic: 'user.created.notifier.dlq' }],
      },
      quiet: { series: [{ series: dlqSeries, values: '0x20' }], at: '10m', alerts: [] },
    },
    {
      alert: 'ScaleFuOutboxStuck',
      expr: `max(${METRICS.outboxAge.name}) > ${OUTBOX_STUCK_SECONDS}`,
      for: '5m',
      severity: 'critical',
      summary: 'The outbox relay is not publishing',
      description: `The oldest unpublished outbox event is older than ${OUTBOX_STUCK_SECONDS} s: users are stored but no user.created goes out.`,
      runbook: { file: 'kafka-pipeline.md', anchor: 'outbox-stuck' },
      fires: {
        series: [{ series: `${METRICS.outboxAge.name}{service="user"}`, values: '0+60x20' }],
        at: '15m',
        alerts: [{}],
      },
      quiet: {
        series: [{ series: `${METRICS.outboxAge.name}{service="user"}`, values: '0x20' }],
        at: '15m',
        alerts: [],
      },
    },
    {
      alert: 'ScaleFuSmtpFailing',
      expr: `sum(rate(${emails}{outcome="failed"}[5m])) / sum(rate(${emails}{outcome=~"sent|failed"}[5m])) > ${SMTP_FAILURE_RATIO}`,
      for: '10m',
      severity: 'warning',
      summary: 'Confirmation mails are failing',
      description: `More than ${SMTP_FAILURE_RATIO * 100} % of SMTP sends failed for 10 minutes: confirmations stall and the E2E SLO burns.`,
      runbook: { file: 'smtp.md', anchor: 'smtp-failing' },
      fires: {
        series: [
          { series: `${emails}{service="notifier",outcome="failed"}`, values: '0+10x30' },
          { series: `${emails}{service="notifier",outcome="sent"}`, values: '0+10x30' },
        ],
        at: '25m',
        alerts: [{}],
      },
      quiet: {
        series: [
          { series: `${emails}{service="notifier",outcome="failed"}`, values: '0x30' },
          { series: `${emails}{service="notifier",outcome="sent"}`, values: '0+10x30' },
        ],
        at: '25m',
        alerts: [],
      },
    },
    {
      alert: 'ScaleFuAdminLockoutSpike',
      expr: `sum(increase(${METRICS.authEvents.name}{event="lockout"}[15m])) > ${LOCKOUT_SPIKE}`,
      for: '0m',
      severity: 'warning',
      summary: 'Many admin accounts locked out',
      description: `More than ${LOCKOUT_SPIKE} admin lockouts within 15 minutes: likely password guessing against the admin login.`,
      runbook: { file: 'auth.md', anchor: 'lockout-spike' },
      fires: {
        series: [
          { series: `${METRICS.authEvents.name}{service="user",event="lockout",outcome="success"}`, values: '0+1x30' },
        ],
        at: '20m',
        alerts: [{}],
      },
      quiet: {
        series: [
          { series: `${METRICS.authEvents.name}{service="user",event="lockout",outcome="success"}`, values: '0x30' },
        ],
        at: '20m',
        alerts: [],
      },
    },
  ];
}
