import {
  EVENT_TYPES,
  TOPICS,
  failureTopicName,
  fromKafkaRecord,
  type EventEnvelope,
  type TopicSpec,
} from '@scalefu/contracts';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type IHeaders } from 'kafkajs';
import { v7 as uuidv7 } from 'uuid';
import { createLogger } from '../src/logger';

/** Address of a test-stack component; integration tests run under `npm test`, which exports these. */
export function stackEnv(name: 'KAFKA_BROKERS' | 'DATABASE_URL' | 'REDIS_URL' | 'SMTP_URL' | 'MAIL_WEB_URL'): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run integration tests through \`npm test\`, which starts the stack`);
  return value;
}

export const silentLogger = createLogger({ service: 'test', level: process.env['LOG_LEVEL'] ?? 'silent' });

export function testKafka(clientId = 'kit-test'): Kafka {
  return new Kafka({ clientId, brokers: stackEnv('KAFKA_BROKERS').split(','), logLevel: logLevel.NOTHING });
}

/**
 * A throw-away topic shaped like `user.confirmation.sent` (consumed by `user`), with its retry and DLQ companions,
 * so a test owns every record on it.
 */
export async function createTestTopic(kafka: Kafka, partitions = 3): Promise<TopicSpec> {
  const topic: TopicSpec = {
    ...TOPICS.confirmationSent,
    name: `test.${randomUUID().slice(0, 8)}.confirmation.sent`,
    consumers: ['user'],
  };
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      topic.name,
      failureTopicName(topic.name, 'user', 'retry'),
      failureTopicName(topic.name, 'user', 'dlq'),
    ].map((name) => ({
      topic: name,
      numPartitions: partitions,
      replicationFactor: 1,
    })),
  });
  await admin.disconnect();
  return topic;
}

/** A valid `user.confirmation.sent` event; `marker` lands in messageId so tests can tell events apart. */
export function confirmationEvent(
  marker: string,
): EventEnvelope<{ userID: string; messageId: string; sentAt: string }> {
  const userID = uuidv7();
  return {
    id: randomUUID(),
    source: '/scalefu/test',
    type: EVENT_TYPES.confirmationSent,
    time: new Date().toISOString(),
    data: { userID, messageId: marker, sentAt: new Date().toISOString() },
  };
}

export interface ConsumedRecord {
  /** The decoded CloudEvent, or undefined for a record that is not one (poison in a DLQ). */
  readonly event: EventEnvelope | undefined;
  readonly value: string;
  readonly headers: Record<string, string>;
  readonly partition: number;
}

/** Read every record on `topic` from the beginning until `count` arrived or `timeoutMs` passed. */
export async function readTopic(
  kafka: Kafka,
  topic: string,
  count: number,
  timeoutMs = 20_000,
): Promise<ConsumedRecord[]> {
  const consumer = kafka.consumer({ groupId: `reader-${randomUUID()}` });
  const records: ConsumedRecord[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  await consumer.run({
    eachMessage: async ({ message, partition }) => {
      let event: EventEnvelope | undefined;
      try {
        event = fromKafkaRecord(message);
      } catch {
        event = undefined;
      }
      records.push({
        event,
        value: message.value?.toString() ?? '',
        headers: headersToText(message.headers),
        partition,
      });
      if (records.length >= count) done();
    },
  });
  const timer = setTimeout(done, timeoutMs);
  await finished;
  clearTimeout(timer);
  await consumer.disconnect();
  return records;
}

export function headersToText(headers: IHeaders | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {}))
    if (v !== undefined) result[k] = (Array.isArray(v) ? v[0] : v)!.toString();
  return result;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Poll until `predicate` holds or fail with `what` after `timeoutMs`. */
export async function eventually(
  what: string,
  predicate: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await predicate()) return;
    await sleep(100);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
}
