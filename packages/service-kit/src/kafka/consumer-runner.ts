import {
  CONSUME_OUTCOMES,
  EVENT_DATA_SCHEMAS,
  consumerGroupOf,
  retryConsumerGroupOf,
  failureTopicName,
  fromKafkaRecord,
  InvalidEventError,
  type EventEnvelope,
  type OutgoingKafkaRecord,
  type ServiceName,
} from '@scalefu/contracts';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { Compile } from 'typebox/compile';
import type { ReadinessCheck } from '../http/readiness';
import type { Logger } from '../logger';
import { startAtZero, type ServiceMetrics } from '../metrics';
import { contextFromTraceparent, openSpan, SpanKind, traceparentOf, withContext, withSpan } from '../tracing/context';
import { DlqDepth } from './dlq-depth';
import { FAILURE_HEADERS, isFailureHeader } from './failure-headers';
import { OffsetCommits } from './offset-commits';
import type { EventProducer } from './producer';
import { DeferredRetry, PermanentFailure, type BatchItem, type TopicSubscription } from './subscription';

export interface RetryPolicy {
  /** Tries in process before the record moves to the retry topic. @default 3 */
  readonly attempts: number;
  /** First backoff in ms, doubled each try with jitter. @default 100 */
  readonly initialDelayMs: number;
  /** Backoff ceiling in ms. @default 2000 */
  readonly maxDelayMs: number;
  /** Delay before a record on the retry topic is tried again. @default 5000 */
  readonly retryTopicDelayMs: number;
  /** Trips through the retry topic before the DLQ. @default 2 */
  readonly retryTopicRounds: number;
  /** Times a handler may defer one record (DeferredRetry) before it is dead-lettered. @default 20 */
  readonly maxDeferrals: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 3,
  initialDelayMs: 100,
  maxDelayMs: 2000,
  retryTopicDelayMs: 5000,
  retryTopicRounds: 2,
  maxDeferrals: 20,
};

export interface ConsumerRunnerOptions {
  /** The consuming service; its groups are `consumerGroupOf(service)` and `retryConsumerGroupOf(service)`. */
  readonly service: ServiceName;
  readonly kafka: Kafka;
  /** Producer used to forward failures to the retry and DLQ companions. */
  readonly producer: EventProducer;
  readonly logger: Logger;
  readonly metrics?: ServiceMetrics;
  readonly subscriptions: readonly TopicSubscription[];
  /** Idempotency hook: true when this event id already took effect (then the record is skipped). @default none */
  readonly alreadyProcessed?: (event: EventEnvelope, topic: string) => Promise<boolean>;
  /**
   * Batch form of `alreadyProcessed` for subscriptions with a batch handler: the ids among `events` that already took
   * effect, in one query. Without it a batch asks `alreadyProcessed` per record. @default none
   */
  readonly alreadyProcessedBatch?: (events: readonly EventEnvelope[], topic: string) => Promise<ReadonlySet<string>>;
  /** Most records one batch handler call gets; a larger fetched batch is handled in slices of this size. @default 500 */
  readonly maxBatchSize?: number;
  readonly retry?: Partial<RetryPolicy>;
  /**
   * Partitions handled in parallel per consumer. Handlers mostly wait on I/O (Postgres, SMTP, broker acks), so one
   * partition in flight per local hot-topic partition raises throughput at no extra CPU. @default 6
   */
  readonly partitionsConsumedConcurrently?: number;
  /** Override the consumer group (tests). @default consumerGroupOf(service) */
  readonly groupId?: string;
  /** How long a done record's offset may wait before the commit that carries it, with the group's others, is sent (ADR 0150). @default 100 */
  readonly commitIntervalMs?: number;
  /** What one fetch may bring, per partition and in all; bounds what a backlog puts in memory at once (ADR 0151). @default DEFAULT_FETCH_LIMITS */
  readonly fetchLimits?: FetchLimits;
}

export interface FetchLimits {
  /** Most bytes one fetch brings of one partition (KafkaJS `maxBytesPerPartition`). */
  readonly maxBytesPerPartition: number;
  /** Most bytes of one fetch response, all partitions together (KafkaJS `maxBytes`). */
  readonly maxBytes: number;
}

/**
 * KafkaJS fetches up to 1 MB per partition and 10 MB per response. Caught up, a fetch brings far less; behind, the
 * notifier held ~30 MB more at 500/s with them, at the same CPU (ADR 0151). A record batch larger than the limit comes
 * whole only when its partition is the first with data in a response, so such a batch waits until the partitions
 * before it run dry (KafkaJS lists partitions in one order; KafkaJS's own 1 MB default has the same edge). Our records
 * are ~1 KB (~2 KB at most) and the kit's producer writes at most 500 a request, spread over the topic's partitions.
 */
export const DEFAULT_FETCH_LIMITS: FetchLimits = { maxBytesPerPartition: 256 * 1024, maxBytes: 2 * 1024 * 1024 };

class StopRequested extends Error {}

/** A fetched record and what its headers say about where it came from. */
interface Received {
  readonly message: KafkaMessage;
  readonly subscription: TopicSubscription;
  readonly mainTopic: string;
  readonly partition: number;
  readonly retryRound: number;
  readonly deferrals: number;
  readonly source: { topic: string; partition: string; offset: string };
}

/** A received record that holds a valid event of its topic's type. */
interface ValidRecord extends Received {
  readonly event: EventEnvelope;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type HeaderValue = Buffer | string | (Buffer | string)[] | undefined;

/** The two KafkaJS keys, checked and picked by name: nothing else of a wider object reaches the consumer config. */
function validFetchLimits({ maxBytesPerPartition, maxBytes }: FetchLimits): FetchLimits {
  for (const [name, value] of Object.entries({ maxBytesPerPartition, maxBytes })) {
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`fetchLimits.${name} must be a positive integer, got ${value}`);
    }
  }
  if (maxBytes < maxBytesPerPartition) {
    throw new Error(
      `fetchLimits.maxBytes (${maxBytes}) must be at least maxBytesPerPartition (${maxBytesPerPartition})`,
    );
  }
  return { maxBytesPerPartition, maxBytes };
}

function headerText(value: HeaderValue): string | undefined {
  if (value === undefined) return undefined;
  const first = Array.isArray(value) ? value[0] : value;
  return first?.toString();
}

/**
 * Runs a service's subscriptions with the delivery guarantees ScaleFu relies on: a record's offset is
 * committed only after its effect (or its hand-over to the retry/DLQ topic) is durable, within `commitIntervalMs`,
 * together with the group's other partitions (ADR 0150); failures are retried
 * in process with backoff, then via `<topic>.<service>.retry` after a delay, then parked in `<topic>.<service>.dlq`
 * while later records keep flowing; a stop finishes the record in hand, commits, and leaves the rest for the
 * next owner of the partition.
 */
export class ConsumerRunner {
  private readonly policy: RetryPolicy;
  private readonly byTopic = new Map<string, TopicSubscription>();
  private readonly byRetryTopic = new Map<string, TopicSubscription>();
  private readonly validators = new Map<string, ReturnType<typeof Compile>>();
  private readonly main: Consumer;
  private readonly retry: Consumer;
  private readonly groupId: string;
  private readonly retryGroupId: string;
  private readonly dlqDepth: DlqDepth | undefined;
  /** Each group's coalesced offset commits, by group id. */
  private readonly commits = new Map<string, OffsetCommits>();
  /** Last lag seen per group, topic and partition; the gauge shows the sum over partitions. */
  private readonly lag = new Map<string, Map<number, number>>();
  private running = false;
  /** Set by `stop()`: from then on a finished batch commits at once, before KafkaJS leaves the group. */
  private stopping = false;
  private crashed: Error | undefined;

  constructor(private readonly options: ConsumerRunnerOptions) {
    if (options.subscriptions.length === 0) throw new Error(`${options.service}: ConsumerRunner needs a subscription`);
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.groupId = options.groupId ?? consumerGroupOf(options.service);
    for (const subscription of options.subscriptions) {
      const { name, eventType } = subscription.topic;
      if (!subscription.topic.consumers.includes(options.service)) {
        throw new Error(`${options.service} is not a declared consumer of ${name} (see packages/contracts topics)`);
      }
      this.byTopic.set(name, subscription);
      this.byRetryTopic.set(failureTopicName(name, options.service, 'retry'), subscription);
      this.validators.set(eventType, Compile(EVENT_DATA_SCHEMAS[eventType]));
    }
    // A crashed member keeps its partitions until its session expires: 10 s (not KafkaJS' 30 s) bounds that stall.
    // Handlers heartbeat between retries and while waiting on retry delays, so live members stay well inside it.
    const fetchLimits = validFetchLimits(options.fetchLimits ?? DEFAULT_FETCH_LIMITS);
    const common = { sessionTimeout: 10000, heartbeatInterval: 2000, allowAutoTopicCreation: false, ...fetchLimits };
    this.main = options.kafka.consumer({ groupId: this.groupId, ...common });
    this.retryGroupId = options.groupId ? `${options.groupId}.retry` : retryConsumerGroupOf(options.service);
    this.retry = options.kafka.consumer({ groupId: this.retryGroupId, ...common });
    for (const groupId of [this.groupId, this.retryGroupId]) {
      this.commits.set(
        groupId,
        new OffsetCommits({ groupId, intervalMs: options.commitIntervalMs, logger: options.logger }),
      );
    }
    if (options.metrics) {
      startAtZero(
        options.metrics.kafkaConsumed,
        [...this.byTopic.keys()].flatMap((topic) => CONSUME_OUTCOMES.map((outcome) => ({ topic, outcome }))),
      );
      this.dlqDepth = new DlqDepth({
        kafka: options.kafka,
        topics: [...this.byTopic.keys()].map((name) => failureTopicName(name, options.service, 'dlq')),
        metrics: options.metrics,
        logger: options.logger,
      });
    }
    for (const [consumer, groupId] of [
      [this.main, this.groupId],
      [this.retry, this.retryGroupId],
    ] as const) {
      // After a rebalance this member reports lag only for the partitions it now owns (others report the rest),
      // so the gauges of all members sum to the group's lag.
      consumer.on(consumer.events.GROUP_JOIN, (e) => {
        this.commitsOf(groupId).retainOnly(e.payload.memberAssignment);
        this.keepLagOf(groupId, e.payload.memberAssignment);
      });
      // KafkaJS emits REBALANCING once the batches in hand are done and before it rejoins: their offsets go now, while
      // this generation's commits are still accepted, instead of being refused after the join.
      consumer.on(consumer.events.REBALANCING, () => void this.commitsOf(groupId).flush());
      consumer.on(consumer.events.STOP, () => this.commitsOf(groupId).discard());
      consumer.on(consumer.events.CRASH, (e) => {
        this.commitsOf(groupId).discard();
        const error = e.payload.error;
        if (!e.payload.restart) this.crashed = error;
        options.logger.error({ err: error, restart: e.payload.restart }, 'consumer crashed');
      });
    }
  }

  /** Topics this runner reads: every subscription's main topic and its retry companion. */
  get topics(): string[] {
    return [...this.byTopic.keys(), ...this.byRetryTopic.keys()];
  }

  readinessCheck(): ReadinessCheck {
    return {
      name: 'kafka-consumer',
      check: async () => {
        if (this.crashed) throw new Error(`consumer stopped: ${this.crashed.message}`);
        if (!this.running) throw new Error('consumer not running');
      },
    };
  }

  async start(): Promise<void> {
    await Promise.all([this.main.connect(), this.retry.connect()]);
    await this.main.subscribe({ topics: [...this.byTopic.keys()], fromBeginning: true });
    await this.retry.subscribe({ topics: [...this.byRetryTopic.keys()], fromBeginning: true });
    const run = (consumer: Consumer, groupId: string) =>
      consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 6,
        eachBatch: (payload) => this.handleBatch(payload, groupId),
      });
    await Promise.all([run(this.main, this.groupId), run(this.retry, this.retryGroupId)]);
    this.running = true;
  }

  /** Finish the records in hand, commit them, leave the group. */
  async stop(): Promise<void> {
    this.running = false;
    this.stopping = true;
    try {
      // What waits is committed now; batches still in hand commit as they finish (handleBatch), before KafkaJS leaves.
      await Promise.all([...this.commits.values()].map((commits) => commits.flush()));
      await Promise.all([this.main.disconnect(), this.retry.disconnect(), this.dlqDepth?.stop()]);
    } finally {
      for (const commits of this.commits.values()) commits.cancel();
    }
  }

  private commitsOf(groupId: string): OffsetCommits {
    const commits = this.commits.get(groupId);
    if (!commits) throw new Error(`no offset commits for group ${groupId}`);
    return commits;
  }

  private keepLagOf(groupId: string, assignment: Record<string, number[]>): void {
    const gauge = this.options.metrics?.kafkaConsumerLag;
    for (const [key, partitions] of this.lag) {
      const [group, topic] = key.split('\u0000') as [string, string];
      if (group !== groupId) continue;
      const owned = new Set(assignment[topic] ?? []);
      for (const partition of partitions.keys()) if (!owned.has(partition)) partitions.delete(partition);
      gauge?.set(
        { group, topic },
        [...partitions.values()].reduce((a, b) => a + b, 0),
      );
    }
  }

  /** Records between `nextOffset` and the partition's high watermark, as the gauge for this group and topic. */
  private recordLag(groupId: string, topic: string, partition: number, highWatermark: string, nextOffset: string) {
    const gauge = this.options.metrics?.kafkaConsumerLag;
    if (!gauge) return;
    const key = `${groupId}\u0000${topic}`;
    const partitions = this.lag.get(key) ?? new Map<number, number>();
    this.lag.set(key, partitions);
    partitions.set(partition, Math.max(0, Number(BigInt(highWatermark) - BigInt(nextOffset))));
    gauge.set(
      { group: groupId, topic },
      [...partitions.values()].reduce((a, b) => a + b, 0),
    );
  }

  private async handleBatch(payload: EachBatchPayload, groupId: string): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale, commitOffsetsIfNecessary } = payload;
    let done: string | undefined;
    // The batch's high watermark is the broker's answer to "how far behind is this group", at no extra cost.
    this.recordLag(
      groupId,
      batch.topic,
      batch.partition,
      batch.highWatermark,
      batch.firstOffset() ?? batch.highWatermark,
    );
    const resolve = (offset: string) => {
      resolveOffset(offset);
      done = offset;
    };
    const batchSubscription = this.byTopic.get(batch.topic);
    try {
      if (batchSubscription?.handleBatch) {
        const size = this.options.maxBatchSize ?? 500;
        for (let start = 0; start < batch.messages.length; start += size) {
          if (!isRunning() || isStale()) break;
          const slice = batch.messages.slice(start, start + size);
          await this.handleSlice(batchSubscription, batch.partition, slice, resolve, heartbeat, isRunning);
          await heartbeat();
        }
      } else {
        for (const message of batch.messages) {
          if (!isRunning() || isStale()) break;
          await this.handleRecord(batch.topic, batch.partition, message, heartbeat, isRunning);
          resolve(message.offset);
          await heartbeat();
        }
      }
    } catch (error) {
      if (!(error instanceof StopRequested)) throw error; // KafkaJS re-fetches from the first unresolved offset
    } finally {
      if (done !== undefined) {
        const commits = this.commitsOf(groupId);
        commits.add(batch.topic, batch.partition, done, commitOffsetsIfNecessary);
        if (this.stopping) await commits.flush(); // commit before KafkaJS leaves the group
        this.recordLag(groupId, batch.topic, batch.partition, batch.highWatermark, (BigInt(done) + 1n).toString());
      }
    }
  }

  private async handleRecord(
    topic: string,
    partition: number,
    message: KafkaMessage,
    heartbeat: () => Promise<void>,
    isRunning: () => boolean,
  ): Promise<void> {
    const received = this.receive(topic, partition, message);
    if (this.byRetryTopic.has(topic)) {
      const notBefore = Number(headerText(message.headers?.[FAILURE_HEADERS.notBefore]) ?? 0);
      while (Date.now() < notBefore) {
        if (!isRunning()) throw new StopRequested();
        await sleep(Math.min(1000, notBefore - Date.now()));
        await heartbeat();
      }
    }
    const record = await this.validate(received);
    if (record) await this.process(record, heartbeat, isRunning);
  }

  /**
   * One slice of a main-topic batch through the subscription's batch handler: invalid records to the DLQ, records
   * already processed skipped (one query with `alreadyProcessedBatch`), the rest applied by one handler call. If that
   * call throws, nothing of it took effect (the handler's contract), and every one of its records goes the per-record
   * way, so retries, deferrals and the DLQ see each record as if there were no batching (ADR 0131).
   */
  private async handleSlice(
    subscription: TopicSubscription,
    partition: number,
    messages: readonly KafkaMessage[],
    resolve: (offset: string) => void,
    heartbeat: () => Promise<void>,
    isRunning: () => boolean,
  ): Promise<void> {
    const mainTopic = subscription.topic.name;
    const metrics = this.options.metrics;
    const valid: ValidRecord[] = [];
    for (const message of messages) {
      const record = await this.validate(this.receive(mainTopic, partition, message));
      if (record) valid.push(record);
    }
    const fresh = await this.unprocessed(valid, mainTopic);
    const last = messages[messages.length - 1]!.offset;
    if (fresh.length === 0) return resolve(last);

    // One consumer span per record, each a child of its producer's context (one registration, one trace); the shared
    // work runs in the first record's context, and each item carries its own span's traceparent for what it causes.
    const spans = fresh.map((record) =>
      openSpan(`process ${mainTopic}`, this.consumerSpan(record, { 'messaging.batch.message_count': fresh.length })),
    );
    const items: BatchItem[] = fresh.map((record, i) => ({
      event: record.event,
      offset: record.message.offset,
      traceparent: traceparentOf(spans[i]!.context),
    }));
    const log = this.options.logger.child({ topic: mainTopic, partition });
    const started = process.hrtime.bigint();
    // A batch call may outlast the session timeout on a busy host (500 mails over a small SMTP pool): keep the
    // membership alive meanwhile, as the per-record path does between records. KafkaJS throttles the beats.
    const beating = setInterval(() => void heartbeat().catch(() => undefined), 2000);
    try {
      await withContext(spans[0]!.context, () =>
        subscription.handleBatch!(items as never, { topic: mainTopic, partition, log }),
      );
    } catch (error) {
      clearInterval(beating);
      for (const span of spans) span.end(error as Error);
      log.warn({ err: error, records: fresh.length }, 'batch handler failed; handling its records one by one');
      for (const record of fresh) {
        if (!isRunning()) throw new StopRequested();
        await this.process(record, heartbeat, isRunning);
        resolve(record.message.offset);
      }
      return resolve(last);
    }
    clearInterval(beating);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    for (const span of spans) span.end();
    for (let i = 0; i < fresh.length; i++) {
      metrics?.kafkaHandlerDuration.observe({ topic: mainTopic }, seconds);
      metrics?.kafkaConsumed.inc({ topic: mainTopic, outcome: 'processed' });
    }
    resolve(last);
  }

  /** The records whose events have not taken effect yet; the others are counted as skipped duplicates. */
  private async unprocessed(records: readonly ValidRecord[], mainTopic: string): Promise<ValidRecord[]> {
    const { alreadyProcessed, alreadyProcessedBatch, metrics } = this.options;
    if (!alreadyProcessed && !alreadyProcessedBatch) return [...records];
    const done = alreadyProcessedBatch
      ? new Set(
          await alreadyProcessedBatch(
            records.map((r) => r.event),
            mainTopic,
          ),
        )
      : new Set<string>();
    if (!alreadyProcessedBatch) {
      for (const record of records) if (await alreadyProcessed!(record.event, mainTopic)) done.add(record.event.id);
    }
    const fresh: ValidRecord[] = [];
    for (const record of records) {
      if (done.has(record.event.id)) {
        metrics?.kafkaConsumed.inc({ topic: mainTopic, outcome: 'skipped_duplicate' });
        continue;
      }
      done.add(record.event.id); // a second copy in the same slice is a duplicate too
      fresh.push(record);
    }
    return fresh;
  }

  /** Read a record's failure headers; observes its queueing time (append -> handling) on main topics. */
  private receive(topic: string, partition: number, message: KafkaMessage): Received {
    const fromRetryTopic = this.byRetryTopic.has(topic);
    const subscription = this.byRetryTopic.get(topic) ?? this.byTopic.get(topic);
    if (!subscription) throw new Error(`no subscription for ${topic}`);
    const mainTopic = subscription.topic.name;
    const retryRound = Number(headerText(message.headers?.[FAILURE_HEADERS.retryRound]) ?? 0);
    const deferrals = Number(headerText(message.headers?.[FAILURE_HEADERS.deferrals]) ?? 0);
    const source = fromRetryTopic
      ? {
          topic: headerText(message.headers?.[FAILURE_HEADERS.originalTopic]) ?? mainTopic,
          partition: headerText(message.headers?.[FAILURE_HEADERS.originalPartition]) ?? String(partition),
          offset: headerText(message.headers?.[FAILURE_HEADERS.originalOffset]) ?? message.offset,
        }
      : { topic, partition: String(partition), offset: message.offset };
    // Queueing time of the stage: append -> handler start. Retry-topic records wait on purpose, so only main topics.
    if (!fromRetryTopic && message.timestamp) {
      this.options.metrics?.kafkaRecordAge.observe(
        { topic: mainTopic },
        Math.max(0, Date.now() - Number(message.timestamp)) / 1000,
      );
    }
    return { message, subscription, mainTopic, partition, retryRound, deferrals, source };
  }

  /** The record's event when it is a valid event of its topic's type; otherwise the record goes to the DLQ. */
  private async validate(received: Received): Promise<ValidRecord | undefined> {
    const { message, subscription, mainTopic, source, retryRound, deferrals } = received;
    try {
      const event = fromKafkaRecord(message);
      if (event.type !== subscription.topic.eventType) {
        throw new InvalidEventError(`unexpected event type ${event.type} on ${mainTopic}`);
      }
      const validator = this.validators.get(event.type)!;
      if (!validator.Check(event.data)) {
        const first = [...validator.Errors(event.data)][0];
        throw new InvalidEventError(`data does not match ${event.type}: ${first?.instancePath} ${first?.message}`);
      }
      return { ...received, event };
    } catch (error) {
      await this.forward(message, source, mainTopic, 'dlq', { retryRound, deferrals }, error as Error);
      this.options.metrics?.kafkaConsumed.inc({ topic: mainTopic, outcome: 'dead_lettered' });
      return undefined;
    }
  }

  /** Consumer span options of a record: the producer's `traceparent` is the parent (not a link). */
  private consumerSpan(record: ValidRecord, extra: Record<string, number> = {}) {
    return {
      kind: SpanKind.CONSUMER,
      parent: contextFromTraceparent(record.event.traceparent),
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'process',
        'messaging.destination.name': record.mainTopic,
        'messaging.consumer.group.name': this.groupId,
        'messaging.destination.partition.id': String(record.partition),
        'messaging.message.id': record.event.id,
        'messaging.kafka.offset': Number(record.message.offset),
        ...extra,
      },
    };
  }

  /** One valid record the per-record way: idempotency check, in-process retries, then retry topic, deferral or DLQ. */
  private async process(record: ValidRecord, heartbeat: () => Promise<void>, isRunning: () => boolean): Promise<void> {
    const { message, subscription, mainTopic, partition, retryRound, deferrals, source, event } = record;
    const metrics = this.options.metrics;
    // The producer's `traceparent` is the parent (not a link): one registration stays one trace across every hop.
    await withSpan(`process ${mainTopic}`, this.consumerSpan(record), async () => {
      const log = this.options.logger.child({ event_id: event.id, topic: mainTopic });
      if (await this.options.alreadyProcessed?.(event, mainTopic)) {
        metrics?.kafkaConsumed.inc({ topic: mainTopic, outcome: 'skipped_duplicate' });
        log.debug('event already processed, skipped');
        return;
      }
      const started = process.hrtime.bigint();
      let lastError: Error | undefined;
      for (let attempt = 1; attempt <= this.policy.attempts; attempt++) {
        try {
          await subscription.handle(event as never, {
            topic: mainTopic,
            partition,
            offset: message.offset,
            attempt,
            retryRound,
            log,
          });
          metrics?.kafkaHandlerDuration.observe({ topic: mainTopic }, Number(process.hrtime.bigint() - started) / 1e9);
          metrics?.kafkaConsumed.inc({ topic: mainTopic, outcome: 'processed' });
          return;
        } catch (error) {
          lastError = error as Error;
          if (error instanceof PermanentFailure || error instanceof DeferredRetry) break;
          log.warn({ err: error, attempt }, 'handler failed');
          if (attempt < this.policy.attempts) {
            if (!isRunning()) throw new StopRequested();
            const backoff = Math.min(this.policy.maxDelayMs, this.policy.initialDelayMs * 2 ** (attempt - 1));
            await sleep(backoff / 2 + Math.random() * (backoff / 2));
            await heartbeat();
          }
        }
      }
      if (lastError instanceof DeferredRetry) {
        const stage = deferrals < this.policy.maxDeferrals ? 'retry' : 'dlq';
        await this.forward(
          message,
          source,
          mainTopic,
          stage,
          { retryRound, deferrals: deferrals + 1, delayMs: lastError.delayMs },
          lastError,
        );
        metrics?.kafkaConsumed.inc({ topic: mainTopic, outcome: stage === 'retry' ? 'deferred' : 'dead_lettered' });
        log.info({ delay_ms: lastError.delayMs, deferrals: deferrals + 1, stage }, 'event deferred');
        return;
      }
      const permanent = lastError instanceof PermanentFailure;
      const stage = !permanent && retryRound < this.policy.retryTopicRounds ? 'retry' : 'dlq';
      const nextRound = retryRound + (stage === 'retry' ? 1 : 0);
      await this.forward(message, source, mainTopic, stage, { retryRound: nextRound, deferrals }, lastError!);
      metrics?.kafkaConsumed.inc({ topic: mainTopic, outcome: stage === 'retry' ? 'retried' : 'dead_lettered' });
      log.error({ err: lastError, stage }, stage === 'retry' ? 'event moved to retry topic' : 'event dead-lettered');
    });
  }

  /** Hand a failed record to its retry or DLQ companion; resolves only once the broker has it. */
  private async forward(
    message: KafkaMessage,
    source: { topic: string; partition: string; offset: string },
    mainTopic: string,
    stage: 'retry' | 'dlq',
    counters: { retryRound: number; deferrals: number; delayMs?: number },
    error: Error,
  ): Promise<void> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(message.headers ?? {})) {
      const text = headerText(value);
      if (text !== undefined && !isFailureHeader(name)) headers[name] = text;
    }
    Object.assign(headers, {
      [FAILURE_HEADERS.originalTopic]: source.topic,
      [FAILURE_HEADERS.originalPartition]: source.partition,
      [FAILURE_HEADERS.originalOffset]: source.offset,
      [FAILURE_HEADERS.consumerGroup]: this.groupId,
      [FAILURE_HEADERS.error]: `${error.name}: ${error.message}`.slice(0, 1000),
      [FAILURE_HEADERS.failedAt]: new Date().toISOString(),
      [FAILURE_HEADERS.retryRound]: String(counters.retryRound),
      [FAILURE_HEADERS.deferrals]: String(counters.deferrals),
      [FAILURE_HEADERS.notBefore]: String(
        Date.now() + (stage === 'retry' ? (counters.delayMs ?? this.policy.retryTopicDelayMs) : 0),
      ),
    });
    const record: OutgoingKafkaRecord = {
      key: message.key?.toString() ?? '',
      value: message.value?.toString() ?? '',
      headers,
    };
    await this.options.producer.publishRecord(failureTopicName(mainTopic, this.options.service, stage), record);
  }
}
