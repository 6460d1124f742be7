import {
  AUTH_EVENTS,
  AUTH_OUTCOMES,
  DEFAULT_METRICS_PREFIX,
  LATENCY_BUCKETS_SECONDS,
  METRICS,
  type MetricFact,
  type MetricLabel,
} from '@scalefu/contracts';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type CollectFunction } from 'prom-client';

export { LATENCY_BUCKETS_SECONDS };

type Labelled<L extends MetricLabel> = MetricFact & { readonly labels: readonly L[] };

/**
 * Series for every known label combination exist from the start (at 0), so dashboards and alert expressions see a
 * zero rather than no data — "no lockouts" and "lockouts not reported" must look different.
 */
export function startAtZero<L extends MetricLabel>(
  metric: Counter<L>,
  combinations: readonly Partial<Record<L, string>>[],
): void {
  for (const labels of combinations) metric.inc(labels, 0);
}

/** A prom-client counter built from its contracts fact (name, help, labels), registered in `registry`. */
export function counterOf<L extends MetricLabel>(registry: Registry, fact: Labelled<L>): Counter<L> {
  if (fact.type !== 'counter') throw new Error(`${fact.name} is a ${fact.type}, not a counter`);
  return new Counter<L>({ name: fact.name, help: fact.help, labelNames: fact.labels, registers: [registry] });
}

/** A prom-client gauge from its contracts fact; `collect` (optional) refreshes it on every scrape. */
export function gaugeOf<L extends MetricLabel>(
  registry: Registry,
  fact: Labelled<L>,
  collect?: CollectFunction<Gauge<L>>,
): Gauge<L> {
  if (fact.type !== 'gauge') throw new Error(`${fact.name} is a ${fact.type}, not a gauge`);
  return new Gauge<L>({
    name: fact.name,
    help: fact.help,
    labelNames: fact.labels,
    registers: [registry],
    ...(collect ? { collect } : {}),
  });
}

/** A prom-client histogram from its contracts fact, with the fact's buckets. */
export function histogramOf<L extends MetricLabel>(registry: Registry, fact: Labelled<L>): Histogram<L> {
  if (fact.type !== 'histogram' || !fact.buckets) throw new Error(`${fact.name} is not a histogram with buckets`);
  return new Histogram<L>({
    name: fact.name,
    help: fact.help,
    labelNames: fact.labels,
    buckets: [...fact.buckets],
    registers: [registry],
  });
}

/** One Prometheus registry per service, with default process metrics and the kit's RED, Kafka and auth metrics. */
/** Resolution of the event-loop delay histogram (ms). */
export const EVENT_LOOP_MONITORING_MS = 100;

export class ServiceMetrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  readonly kafkaProduced: Counter<'topic' | 'outcome'>;
  readonly kafkaProduceBatchSize: Histogram<never>;
  readonly kafkaProduceDuration: Histogram<never>;
  readonly kafkaConsumed: Counter<'topic' | 'outcome'>;
  readonly kafkaHandlerDuration: Histogram<'topic'>;
  readonly kafkaRecordAge: Histogram<'topic'>;
  readonly kafkaConsumerLag: Gauge<'group' | 'topic'>;
  /** Registered for every service so the admin auth (user service) and any later login flow count the same way. */
  readonly authEvents: Counter<'event' | 'outcome'>;

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    // The event-loop delay monitor is a libuv timer at this resolution: prom-client's 10 ms default wakes an idle
    // process 100 times a second; at 100 ms a stall still shows in the lag figures, sampled 10 times a second.
    collectDefaultMetrics({
      register: this.registry,
      prefix: DEFAULT_METRICS_PREFIX,
      eventLoopMonitoringPrecision: EVENT_LOOP_MONITORING_MS,
    });
    this.httpDuration = histogramOf(this.registry, METRICS.httpRequestDuration);
    this.kafkaProduced = counterOf(this.registry, METRICS.kafkaProduced);
    this.kafkaProduceBatchSize = histogramOf(this.registry, METRICS.kafkaProduceBatchSize);
    this.kafkaProduceDuration = histogramOf(this.registry, METRICS.kafkaProduceDuration);
    this.kafkaConsumed = counterOf(this.registry, METRICS.kafkaConsumed);
    this.kafkaHandlerDuration = histogramOf(this.registry, METRICS.kafkaHandlerDuration);
    this.kafkaRecordAge = histogramOf(this.registry, METRICS.kafkaRecordAge);
    this.kafkaConsumerLag = gaugeOf(this.registry, METRICS.kafkaConsumerLag);
    this.authEvents = counterOf(this.registry, METRICS.authEvents);
    startAtZero(
      this.authEvents,
      AUTH_EVENTS.flatMap((event) => AUTH_OUTCOMES.map((outcome) => ({ event, outcome }))),
    );
  }
}
