import { CompressionTypes, Partitioners, type Kafka, type Producer } from 'kafkajs';
import { toKafkaRecord, type EventEnvelope, type OutgoingKafkaRecord } from '@scalefu/contracts';
import type { Logger } from '../logger';
import type { ServiceMetrics } from '../metrics';
import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { contextFromTraceparent, KIT_TRACER, SpanKind, traceparentOf } from '../tracing/context';
import type { ReadinessCheck } from '../http/readiness';

export interface EventProducerOptions {
  /**
   * How long (ms) a record may wait for companions before its batch is sent, when records arrive densely (the
   * previous one less than this long ago); a record after a quiet spell goes at once. @default 2
   */
  readonly lingerMs?: number;
  /** Largest batch sent in one produce request. @default 500 */
  readonly maxBatchSize?: number;
  /** Service metrics, for produce counters and latency. */
  readonly metrics?: ServiceMetrics;
}

interface Pending {
  readonly topic: string;
  readonly record: OutgoingKafkaRecord;
  readonly enqueuedAt: bigint;
  resolve(): void;
  reject(error: Error): void;
}

export class ProducerClosedError extends Error {
  override readonly name = 'ProducerClosedError';
}

/**
 * Idempotent, acks=all producer with app-level micro-batching. KafkaJS keeps one request in flight per
 * broker when idempotent, so sending records one by one would serialise every request behind the
 * previous round trip; instead records queue for up to `lingerMs` (or while a batch is in flight) and go
 * out together in one `sendBatch`. The linger is adaptive: a record arriving after a quiet spell longer than the
 * linger (an idle service's one request) has no companions coming and is sent at once, so idle latency does not pay
 * it. Each `publish` resolves only when the broker acknowledged its record.
 */
export class EventProducer {
  private producer: Producer;
  /** Set by a failed send: the next send starts a new producer first (see `reset`). */
  private needsReset = false;
  private queue: Pending[] = [];
  private inFlight: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private connected = false;
  private closing = false;
  private readonly lingerMs: number;
  private readonly maxBatchSize: number;
  /** When the previous record was queued (ms, monotonic): how dense the stream is. */
  private lastEnqueuedMs = -Infinity;

  constructor(
    private readonly kafka: Kafka,
    private readonly logger: Logger,
    private readonly options: EventProducerOptions = {},
  ) {
    this.producer = this.newProducer();
    this.lingerMs = options.lingerMs ?? 2;
    this.maxBatchSize = options.maxBatchSize ?? 500;
  }

  private newProducer(): Producer {
    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // Java-compatible murmur2, so a key lands on the same partition whichever client produced it.
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    producer.on(producer.events.DISCONNECT, () => {
      if (producer === this.producer) this.connected = false;
    });
    producer.on(producer.events.CONNECT, () => {
      if (producer === this.producer) this.connected = true;
    });
    return producer;
  }

  /**
   * KafkaJS keeps an idempotent producer's id and per-partition sequence numbers across a failed send. After a
   * broker crash they no longer match what the broker recovered: every later send failed with
   * OUT_OF_ORDER_SEQUENCE_NUMBER (503 until a restart), and sends the broker took for retries of earlier batches
   * were acknowledged without being appended — acked registrations lost (the chaos suite's `kafka-kill`: 28 of
   * 208). A new producer gets a new producer id and starts its sequences at 0.
   */
  private async reset(): Promise<void> {
    const old = this.producer;
    this.producer = this.newProducer();
    await old.disconnect().catch(() => undefined);
    await this.producer.connect();
    this.needsReset = false;
    this.logger.info('producer restarted after a failed send');
  }

  async connect(): Promise<void> {
    await this.producer.connect();
    this.connected = true;
  }

  /** Readiness: the producer is connected to the cluster. */
  readinessCheck(): ReadinessCheck {
    return {
      name: 'kafka-producer',
      check: async () => {
        if (!this.connected) throw new Error('producer not connected');
      },
    };
  }

  /**
   * Publish one event; resolves after the broker's acks=all acknowledgement. A `send <topic>` producer span, child of
   * `event.traceparent` when given (the outbox relay passes the one stored with the row) or else of the active span,
   * lasts until the ack, and its context travels in the record's W3C `traceparent` header.
   */
  publish<T>(topic: string, key: string, event: Omit<EventEnvelope<T>, 'traceparent'> & { traceparent?: string }) {
    const parent = event.traceparent ? contextFromTraceparent(event.traceparent) : context.active();
    const span = trace.getTracer(KIT_TRACER).startSpan(
      `send ${topic}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.operation.type': 'send',
          'messaging.destination.name': topic,
          'messaging.message.id': event.id,
        },
      },
      parent,
    );
    const traceparent = traceparentOf(trace.setSpan(parent, span)) ?? event.traceparent;
    return this.publishRecord(topic, toKafkaRecord({ ...event, ...(traceparent ? { traceparent } : {}) }, key)).then(
      () => span.end(),
      (error: Error) => {
        span.setStatus({ code: SpanStatusCode.ERROR, message: error.name });
        span.end();
        throw error;
      },
    );
  }

  /** Publish a pre-built record (used by the consumer runner to forward to retry/DLQ topics). */
  publishRecord(topic: string, record: OutgoingKafkaRecord): Promise<void> {
    if (this.closing) return Promise.reject(new ProducerClosedError('producer is shutting down'));
    return new Promise<void>((resolve, reject) => {
      const nowMs = performance.now();
      const sparse = nowMs - this.lastEnqueuedMs > this.lingerMs;
      this.lastEnqueuedMs = nowMs;
      this.queue.push({ topic, record, enqueuedAt: process.hrtime.bigint(), resolve, reject });
      this.schedule(sparse);
    });
  }

  private schedule(sparse = false): void {
    if (this.inFlight) return; // the running flush picks the queue up when it finishes
    if (this.queue.length >= this.maxBatchSize || (sparse && this.queue.length === 1)) {
      void this.flush();
    } else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.lingerMs);
    }
  }

  private async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.inFlight || this.queue.length === 0) return;
    const batch = this.queue.splice(0, this.maxBatchSize);
    this.inFlight = this.sendBatch(batch);
    try {
      await this.inFlight;
    } finally {
      this.inFlight = undefined;
      if (this.queue.length > 0) {
        if (this.queue.length >= this.maxBatchSize || this.closing) void this.flush();
        else this.schedule();
      }
    }
  }

  private async sendBatch(batch: Pending[]): Promise<void> {
    const byTopic = new Map<string, OutgoingKafkaRecord[]>();
    for (const item of batch) {
      const list = byTopic.get(item.topic) ?? [];
      list.push(item.record);
      byTopic.set(item.topic, list);
    }
    const metrics = this.options.metrics;
    try {
      if (this.needsReset) await this.reset();
      await this.producer.sendBatch({
        acks: -1,
        compression: CompressionTypes.None,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
      const now = process.hrtime.bigint();
      metrics?.kafkaProduceBatchSize.observe(batch.length);
      for (const item of batch) {
        metrics?.kafkaProduced.inc({ topic: item.topic, outcome: 'acked' });
        metrics?.kafkaProduceDuration.observe(Number(now - item.enqueuedAt) / 1e9);
        item.resolve();
      }
    } catch (error) {
      this.needsReset = true;
      this.logger.warn({ err: error, records: batch.length }, 'produce batch failed');
      for (const item of batch) {
        metrics?.kafkaProduced.inc({ topic: item.topic, outcome: 'failed' });
        item.reject(error as Error);
      }
    }
  }

  /** Send what is queued, then disconnect. New publishes are refused from the moment this is called. */
  async disconnect(): Promise<void> {
    this.closing = true;
    while (this.queue.length > 0 || this.inFlight) {
      if (this.inFlight) await this.inFlight.catch(() => undefined);
      else await this.flush();
    }
    await this.producer.disconnect();
    this.connected = false;
  }
}
