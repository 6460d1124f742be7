/**
 * DLQ depth as a gauge: per dead-letter topic of one service, the records not yet replayed — high watermark minus
 * the replay group's committed offset (or the low watermark when nothing was replayed or retention moved past it).
 * Read from the broker on scrape, at most once per `minIntervalMs`, so scrapes cost one admin round trip at most.
 */
import { DLQ_REPLAY_GROUP, METRICS } from '@scalefu/contracts';
import type { Admin, Kafka } from 'kafkajs';
import type { Logger } from '../logger';
import { gaugeOf, type ServiceMetrics } from '../metrics';

export interface DlqDepthOptions {
  readonly kafka: Kafka;
  /** The service's DLQ topics (`failureTopicName(topic, service, 'dlq')`). */
  readonly topics: readonly string[];
  readonly metrics: ServiceMetrics;
  readonly logger: Logger;
  /** Shortest time between two broker reads. @default 10000 */
  readonly minIntervalMs?: number;
}

/** Records past `max(low, replayed)` in each partition. */
export function pendingDeadLetters(
  ends: readonly { partition: number; low: string; high: string }[],
  replayed: readonly { partition: number; offset: string }[],
): number {
  let pending = 0;
  for (const p of ends) {
    const done = Number(replayed.find((r) => r.partition === p.partition)?.offset ?? -1);
    pending += Math.max(0, Number(p.high) - Math.max(Number(p.low), done));
  }
  return pending;
}

export class DlqDepth {
  private admin: Admin | undefined;
  private last: { at: number; depth: Map<string, number> } | undefined;
  private reading: Promise<Map<string, number>> | undefined;

  constructor(private readonly options: DlqDepthOptions) {
    if (options.topics.length === 0) return;
    const read = () => this.read();
    gaugeOf(options.metrics.registry, METRICS.kafkaDlqDepth, async function () {
      for (const [topic, value] of await read()) this.set({ topic }, value);
    });
  }

  private async read(): Promise<Map<string, number>> {
    const minInterval = this.options.minIntervalMs ?? 10_000;
    if (this.last && Date.now() - this.last.at < minInterval) return this.last.depth;
    this.reading ??= this.fetch()
      .then((depth) => {
        this.last = { at: Date.now(), depth };
        return depth;
      })
      .catch((error: unknown) => {
        this.options.logger.warn({ err: error }, 'dlq depth read failed');
        // An unknown depth is NaN, not 0: "DLQ not empty" must not look healthy because the broker is unreachable.
        return new Map(this.options.topics.map((t) => [t, NaN]));
      })
      .finally(() => (this.reading = undefined));
    return this.reading;
  }

  private async fetch(): Promise<Map<string, number>> {
    if (!this.admin) {
      const admin = this.options.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    const depth = new Map<string, number>();
    for (const topic of this.options.topics) {
      const ends = await this.admin.fetchTopicOffsets(topic);
      const [replayed] = await this.admin
        .fetchOffsets({ groupId: DLQ_REPLAY_GROUP, topics: [topic] })
        .catch(() => [undefined]); // without Describe on the replay group: count everything retained
      depth.set(topic, pendingDeadLetters(ends, replayed?.partitions ?? []));
    }
    return depth;
  }

  async stop(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    await admin?.disconnect();
  }
}
