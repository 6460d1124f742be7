/**
 * Every `scalefu_*` metric, defined once (ARCHITECTURE §11): the services register them from here, the dashboards
 * and alert rules in `dashboards/` query them by these names, and the live test checks both against `/metrics`.
 * Names follow Prometheus conventions (`scalefu_<area>_<thing>_<unit>`, `_total` for counters); labels come from
 * the small fixed set below — never a user id, e-mail or raw URL.
 */
import { SLO } from './slo';

/** The only label names a `scalefu_*` metric may carry (besides `service`, set on every series by the registry). */
export const METRIC_LABELS = [
  'method',
  'route',
  'status_code',
  'topic',
  'group',
  'outcome',
  'field',
  'stage',
  'event',
] as const;
export type MetricLabel = (typeof METRIC_LABELS)[number];

export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface MetricFact {
  /** Full Prometheus name. */
  readonly name: string;
  /** `# HELP` text. */
  readonly help: string;
  readonly type: MetricType;
  /** Label names, each from `METRIC_LABELS`. */
  readonly labels: readonly MetricLabel[];
  /** Histogram bucket upper bounds in the metric's unit. */
  readonly buckets?: readonly number[];
}

const uniqueSorted = (values: readonly number[]) => [...new Set(values)].sort((a, b) => a - b);
const sloEdgesSeconds = [SLO.ingestP99Ms, SLO.processingMs, SLO.endToEndP95Ms, SLO.endToEndP99Ms].map(
  (ms) => ms / 1000,
);

/** Latency buckets with an edge at every SLO (ingest p99, processing, end to end p95/p99), so SLO queries are exact. */
export const LATENCY_BUCKETS_SECONDS: readonly number[] = uniqueSorted([
  0.001,
  0.0025,
  0.005,
  0.01,
  0.025,
  0.1,
  2.5,
  5,
  ...sloEdgesSeconds,
]);

/**
 * Accept -> CONFIRMED buckets: fine-grained where a healthy pipeline lives (tens to hundreds of ms) so a p95 read
 * from the histogram stays within a few percent of the exact one, with edges at the end-to-end SLOs.
 */
export const END_TO_END_BUCKETS_SECONDS: readonly number[] = uniqueSorted([
  // Edges 10 ms apart up to 100 ms, then at most ~15 % apart up to 5 s: interpolation inside a bucket stays small.
  0.01,
  0.02,
  0.03,
  0.04,
  0.05,
  0.06,
  0.07,
  0.08,
  0.09,
  0.1,
  0.115,
  0.13,
  0.15,
  0.175,
  0.2,
  0.225,
  0.25,
  0.3,
  0.35,
  0.4,
  0.45,
  0.5,
  0.575,
  0.65,
  0.75,
  0.875,
  1,
  1.15,
  1.3,
  1.5,
  1.75,
  2,
  2.3,
  2.65,
  3,
  3.5,
  4,
  4.5,
  5,
  7.5,
  10,
  30,
  ...sloEdgesSeconds,
]);

/** Outbox commit -> broker ack. */
export const OUTBOX_DELAY_BUCKETS_SECONDS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5, 10, 30,
];

const none: readonly never[] = [];
const counter = <L extends MetricLabel = never>(name: string, help: string, labels: readonly L[] = none) =>
  ({ name, help, type: 'counter', labels }) as const satisfies MetricFact;
const gauge = <L extends MetricLabel = never>(name: string, help: string, labels: readonly L[] = none) =>
  ({ name, help, type: 'gauge', labels }) as const satisfies MetricFact;
const histogram = <L extends MetricLabel = never>(
  name: string,
  help: string,
  buckets: readonly number[],
  labels: readonly L[] = none,
) => ({ name, help, type: 'histogram', labels, buckets }) as const satisfies MetricFact;

export const METRICS = {
  // RED, every HTTP service (the kit).
  httpRequestDuration: histogram(
    'scalefu_http_request_duration_seconds',
    'HTTP request latency by route template and status (RED)',
    LATENCY_BUCKETS_SECONDS,
    ['method', 'route', 'status_code'],
  ),
  // Kafka, every producer and consumer (the kit).
  kafkaProduced: counter(
    'scalefu_kafka_produced_messages_total',
    'Records handed to Kafka, by topic and outcome (acked or failed)',
    ['topic', 'outcome'],
  ),
  kafkaProduceBatchSize: histogram(
    'scalefu_kafka_produce_batch_size_messages',
    'Records per micro-batch sent in one produce call',
    [1, 2, 5, 10, 25, 50, 100, 250, 500],
  ),
  kafkaProduceDuration: histogram(
    'scalefu_kafka_produce_duration_seconds',
    'Time from enqueue to broker acknowledgement (acks=all)',
    LATENCY_BUCKETS_SECONDS,
  ),
  kafkaConsumed: counter(
    'scalefu_kafka_consumed_messages_total',
    'Records consumed, by topic and outcome (processed, skipped_duplicate, retried, deferred, dead_lettered)',
    ['topic', 'outcome'],
  ),
  kafkaHandlerDuration: histogram(
    'scalefu_kafka_handler_duration_seconds',
    'Time a handler took for one record, including in-process retries (per-stage processing latency)',
    LATENCY_BUCKETS_SECONDS,
    ['topic'],
  ),
  kafkaRecordAge: histogram(
    'scalefu_kafka_record_age_seconds',
    'Time a record waited between its append to the topic and its handler starting (per-stage queueing latency)',
    LATENCY_BUCKETS_SECONDS,
    ['topic'],
  ),
  kafkaConsumerLag: gauge(
    'scalefu_kafka_consumer_lag_messages',
    "Records behind the partition's high watermark at the last fetched batch, summed over partitions, by group and topic",
    ['group', 'topic'],
  ),
  kafkaDlqDepth: gauge(
    'scalefu_kafka_dlq_depth_messages',
    "Records parked in this service's dead-letter topics (high minus low watermark), by DLQ topic",
    ['topic'],
  ),
  // Outbox relay (user service).
  outboxPublished: counter(
    'scalefu_outbox_published_events_total',
    'Outbox events published to Kafka and acknowledged, by topic',
    ['topic'],
  ),
  outboxPublishDelay: histogram(
    'scalefu_outbox_publish_delay_seconds',
    'Time from the outbox row commit to its broker acknowledgement',
    OUTBOX_DELAY_BUCKETS_SECONDS,
  ),
  outboxAge: gauge('scalefu_outbox_lag_seconds', 'Age of the oldest unpublished outbox event (0 when none)'),
  outboxBacklog: gauge('scalefu_outbox_pending_events', 'Outbox events not yet published'),
  // Registration pipeline (business).
  registrations: counter(
    'scalefu_onboarder_registrations_total',
    'Registration requests by outcome (accepted, invalid, duplicate, rate_limited, unavailable, error)',
    ['outcome'],
  ),
  rateLimited: counter(
    'scalefu_onboarder_rate_limited_requests_total',
    'Public requests refused with 429 by the per-client-IP limit, by route template',
    ['route'],
  ),
  ingestDuration: histogram(
    'scalefu_onboarder_ingest_duration_seconds',
    'Accepted registrations: request received -> registration command durable in Kafka (acks=all)',
    LATENCY_BUCKETS_SECONDS,
  ),
  duplicates: counter(
    'scalefu_registration_duplicates_total',
    'Registrations refused as duplicates, by identity field and the stage that caught them (redis, database)',
    ['field', 'stage'],
  ),
  endToEnd: histogram(
    'scalefu_registration_e2e_duration_seconds',
    'Accept (UUIDv7 time of the userID) -> status CONFIRMED, observed where the user service confirms',
    END_TO_END_BUCKETS_SECONDS,
  ),
  // Notifier.
  emails: counter(
    'scalefu_notifier_emails_sent_total',
    'Confirmation mail deliveries by outcome (sent, already_sent, in_progress, failed)',
    ['outcome'],
  ),
  smtpDuration: histogram(
    'scalefu_notifier_smtp_send_duration_seconds',
    'Time SMTP took to accept one confirmation mail',
    LATENCY_BUCKETS_SECONDS,
  ),
  // Cache updater.
  cacheChanges: counter(
    'scalefu_cache_updater_changes_total',
    'Events applied to the Redis cache by topic and outcome (applied, stale, kept, removed, tombstoned)',
    ['topic', 'outcome'],
  ),
  // Admin auth (user service).
  authEvents: counter(
    'scalefu_auth_events_total',
    'Admin authentication events (login, mfa, refresh, logout, lockout, refresh_reuse) by outcome (success, failure)',
    ['event', 'outcome'],
  ),
} as const satisfies Record<string, MetricFact>;

export type MetricId = keyof typeof METRICS;

/** Admin authentication events counted by `scalefu_auth_events_total{event,outcome}`; the kit starts each at 0. */
export const AUTH_EVENTS = ['login', 'mfa', 'refresh', 'logout', 'lockout', 'refresh_reuse'] as const;
export type AuthEvent = (typeof AUTH_EVENTS)[number];
export const AUTH_OUTCOMES = ['success', 'failure'] as const;
export type AuthOutcome = (typeof AUTH_OUTCOMES)[number];

/** Outcomes of `scalefu_kafka_consumed_messages_total`; the runner starts each at 0 for its topics. */
export const CONSUME_OUTCOMES = ['processed', 'skipped_duplicate', 'retried', 'deferred', 'dead_lettered'] as const;

/** Prefix the kit gives prom-client's default process and Node.js metrics (`scalefu_process_cpu_seconds_total`, …). */
export const DEFAULT_METRICS_PREFIX = 'scalefu_';

/** Milliseconds since the epoch encoded in a UUIDv7 (its first 48 bits): when the onboarder accepted the registration. */
export function uuidv7Millis(id: string): number {
  const hex = id.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex) || hex[12] !== '7') throw new Error(`not a UUIDv7: ${id}`);
  return parseInt(hex.slice(0, 12), 16);
}
