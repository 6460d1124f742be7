import { SLO } from '@scalefu/contracts';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Latency buckets with an edge at every SLO (ingest p99, processing, end to end p95/p99), so SLO queries are exact. */
export const LATENCY_BUCKETS_SECONDS = [
  ...new Set(
    [
      ...[0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 2.5, 5],
      ...[SLO.ingestP99Ms, SLO.processingMs, SLO.endToEndP95Ms, SLO.endToEndP99Ms].map((ms) => ms / 1000),
    ].sort((a, b) => a - b),
  ),
];

/** One Prometheus registry per service, with default process metrics and the kit's RED and Kafka metrics. */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  readonly kafkaProduced: Counter<'topic' | 'outcome'>;
  readonly kafkaProduceBatchSize: Histogram<never>;
  readonly kafkaProduceDuration: Histogram<never>;
  readonly kafkaConsumed: Counter<'topic' | 'outcome'>;
  readonly kafkaHandlerDuration: Histogram<'topic'>;

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry, prefix: 'scalefu_' });
    const registers = [this.registry];
    this.httpDuration = new Histogram({
      name: 'scalefu_http_request_duration_seconds',
      help: 'HTTP request latency by route template and status (RED)',
      labelNames: ['method', 'route', 'status_code'],
      buckets: LATENCY_BUCKETS_SECONDS,
      registers,
    });
    this.kafkaProduced = new Counter({
      name: 'scalefu_kafka_produced_messages_total',
      help: 'Records handed to Kafka, by topic and outcome (acked or failed)',
      labelNames: ['topic', 'outcome'],
      registers,
    });
    this.kafkaProduceBatchSize = new Histogram({
      name: 'scalefu_kafka_produce_batch_size_messages',
      help: 'Records per micro-batch sent in one produce call',
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500],
      registers,
    });
    this.kafkaProduceDuration = new Histogram({
      name: 'scalefu_kafka_produce_duration_seconds',
      help: 'Time from enqueue to broker acknowledgement (acks=all)',
      buckets: LATENCY_BUCKETS_SECONDS,
      registers,
    });
    this.kafkaConsumed = new Counter({
      name: 'scalefu_kafka_consumed_messages_total',
      help: 'Records consumed, by topic and outcome (processed, skipped_duplicate, retried, deferred, dead_lettered)',
      labelNames: ['topic', 'outcome'],
      registers,
    });
    this.kafkaHandlerDuration = new Histogram({
      name: 'scalefu_kafka_handler_duration_seconds',
      help: 'Time a handler took for one record, including in-process retries',
      labelNames: ['topic'],
      buckets: LATENCY_BUCKETS_SECONDS,
      registers,
    });
  }
}
