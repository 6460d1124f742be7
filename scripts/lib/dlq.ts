import {
  DLQ_REPLAY_GROUP,
  LOCAL_TOPIC_LAYOUT,
  brokerTopics,
  failureTopicName,
  fromKafkaRecord,
  type BrokerTopic,
  type ServiceName,
} from '@scalefu/contracts';
import { FAILURE_HEADERS, createKafka, createLogger, type KafkaConnectionSettings } from '@scalefu/service-kit';
import type { IHeaders, Kafka, KafkaMessage } from 'kafkajs';

/** Consumer group whose committed offsets mark how far each DLQ has been replayed (defined in contracts). */
export const REPLAY_GROUP = DLQ_REPLAY_GROUP;

export interface DeadLetter {
  readonly dlqTopic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string;
  readonly eventId?: string;
  readonly eventType?: string;
  readonly error: string;
  readonly failedAt: string;
  readonly original: string;
  /** The event data with contact details masked (an operator tool still must not spill PII on a terminal). */
  readonly preview: string;
  readonly raw: KafkaMessage;
}

export interface DlqSummary {
  readonly topic: string;
  readonly owner: ServiceName;
  readonly total: number;
  readonly pending: number;
}

export function dlqTopics(): BrokerTopic[] {
  return brokerTopics(LOCAL_TOPIC_LAYOUT).filter((t) => t.stage === 'dlq');
}

function dlqSpec(topic: string): BrokerTopic {
  const spec = dlqTopics().find((t) => t.name === topic);
  if (!spec) throw new Error(`${topic} is not a DLQ topic; \`npm run dlq -- list\` shows them`);
  return spec;
}

function text(headers: IHeaders | undefined, name: string): string {
  const value = headers?.[name];
  return (Array.isArray(value) ? value[0] : value)?.toString() ?? '';
}

function maskPii(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskPii);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) =>
        /email|phone|nationalId/i.test(k) && typeof v === 'string' ? [k, `${v.slice(0, 2)}…`] : [k, maskPii(v)],
      ),
    );
  }
  return value;
}

export class DlqTool {
  private readonly kafka: Kafka;

  /** Connects like a service does (TLS and SCRAM when set), so it works against the clusters' listener too. */
  constructor(connection: Omit<KafkaConnectionSettings, 'clientId'>) {
    this.kafka = createKafka(
      { ...connection, clientId: 'scalefu-dlq' },
      createLogger({ service: 'dlq', level: 'silent' }),
    );
  }

  /** Every DLQ with its record count and how many are not yet replayed. */
  async list(): Promise<DlqSummary[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const summaries: DlqSummary[] = [];
      for (const spec of dlqTopics()) {
        const ends = await admin.fetchTopicOffsets(spec.name);
        const [committed] = await admin.fetchOffsets({ groupId: REPLAY_GROUP, topics: [spec.name] });
        let total = 0;
        let pending = 0;
        for (const p of ends) {
          const start = Number(p.low);
          const end = Number(p.high);
          const done = Number(committed?.partitions.find((c) => c.partition === p.partition)?.offset ?? -1);
          total += end - start;
          pending += end - Math.max(start, done);
        }
        summaries.push({ topic: spec.name, owner: spec.owner!, total, pending });
      }
      return summaries;
    } finally {
      await admin.disconnect();
    }
  }

  /** The records of one DLQ that were not replayed yet, oldest first. */
  async pending(topic: string): Promise<DeadLetter[]> {
    dlqSpec(topic);
    const admin = this.kafka.admin();
    await admin.connect();
    let ends: Awaited<ReturnType<typeof admin.fetchTopicOffsets>>;
    let committed: Awaited<ReturnType<typeof admin.fetchOffsets>>[number] | undefined;
    try {
      ends = await admin.fetchTopicOffsets(topic);
      [committed] = await admin.fetchOffsets({ groupId: REPLAY_GROUP, topics: [topic] });
    } finally {
      await admin.disconnect();
    }
    const wanted = ends.map((p) => {
      const done = Number(committed?.partitions.find((c) => c.partition === p.partition)?.offset ?? -1);
      return { partition: p.partition, from: Math.max(Number(p.low), done), to: Number(p.high) };
    });
    const total = wanted.reduce((sum, w) => sum + Math.max(0, w.to - w.from), 0);
    if (total === 0) return [];
    const letters: DeadLetter[] = [];
    const consumer = this.kafka.consumer({ groupId: `${REPLAY_GROUP}.reader.${process.pid}.${Date.now()}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    let finish: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const range = wanted.find((w) => w.partition === partition)!;
        const offset = Number(message.offset);
        if (offset < range.from || offset >= range.to) return;
        letters.push(this.describe(topic, partition, message));
        if (letters.length >= total) finish();
      },
    });
    const timeout = setTimeout(finish, 15_000);
    await finished;
    clearTimeout(timeout);
    await consumer.disconnect();
    return letters.sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset));
  }

  private describe(topic: string, partition: number, message: KafkaMessage): DeadLetter {
    let eventId: string | undefined;
    let eventType: string | undefined;
    let preview: string;
    try {
      const event = fromKafkaRecord(message);
      eventId = event.id;
      eventType = event.type;
      preview = JSON.stringify(maskPii(event.data));
    } catch {
      preview = `(not a CloudEvent) ${(message.value?.toString() ?? '').slice(0, 200)}`;
    }
    return {
      dlqTopic: topic,
      partition,
      offset: message.offset,
      key: message.key?.toString() ?? '',
      eventId,
      eventType,
      error: text(message.headers, FAILURE_HEADERS.error),
      failedAt: text(message.headers, FAILURE_HEADERS.failedAt),
      original: `${text(message.headers, FAILURE_HEADERS.originalTopic)}[${text(message.headers, FAILURE_HEADERS.originalPartition)}]@${text(message.headers, FAILURE_HEADERS.originalOffset)}`,
      preview,
      raw: message,
    };
  }

  /**
   * Send pending dead letters back through the owning group's retry topic (round 0, due now), so only the group
   * that failed sees them again, with its full retry policy; then mark them replayed. Run it after the fix.
   * With `eventId` only that record is sent and nothing is marked (offsets are positions, not ids): a later full
   * replay sends it again, which the consumers make harmless (see runbooks/dlq.md).
   */
  async replay(topic: string, options: { eventId?: string } = {}): Promise<DeadLetter[]> {
    const spec = dlqSpec(topic);
    const letters = (await this.pending(topic)).filter((l) => !options.eventId || l.eventId === options.eventId);
    if (letters.length === 0) return [];
    const retryTopic = failureTopicName(spec.mainTopic, spec.owner!, 'retry');
    const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      await producer.sendBatch({
        acks: -1,
        topicMessages: [
          {
            topic: retryTopic,
            messages: letters.map((l) => {
              const headers: IHeaders = { ...l.raw.headers };
              // A fresh start: full retry rounds and deferrals again, due now.
              headers[FAILURE_HEADERS.retryRound] = '0';
              headers[FAILURE_HEADERS.deferrals] = '0';
              headers[FAILURE_HEADERS.notBefore] = String(Date.now());
              return { key: l.key, value: l.raw.value, headers };
            }),
          },
        ],
      });
    } finally {
      await producer.disconnect();
    }
    if (!options.eventId) await this.markReplayed(topic, letters);
    return letters;
  }

  private async markReplayed(topic: string, letters: readonly DeadLetter[]): Promise<void> {
    const last = new Map<number, bigint>();
    for (const l of letters) last.set(l.partition, BigInt(l.offset) + 1n);
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await admin.setOffsets({
        groupId: REPLAY_GROUP,
        topic,
        partitions: [...last].map(([partition, offset]) => ({ partition, offset: offset.toString() })),
      });
    } finally {
      await admin.disconnect();
    }
  }
}
