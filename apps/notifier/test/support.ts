// Helpers for the notifier's integration tests: real CloudEvents in, mails and events out.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { EVENT_TYPES, eventSourceOf, type EventData, type EventEnvelope } from '@scalefu/contracts';
import { createKafka, createLogger, EventProducer } from '@scalefu/service-kit';
import type { Consumer, KafkaMessage } from 'kafkajs';
import { mailsTo as inboxMailsTo, type CaughtMailDetail } from '../../../scripts/lib/stack/mail-inbox';

export const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run integration tests with npm test`);
  return value;
};

export const logger = createLogger({ service: 'notifier-test', level: process.env['LOG_LEVEL'] ?? 'silent' });
export const kafka = () => createKafka({ brokers: env('KAFKA_BROKERS'), clientId: 'notifier-test' }, logger);

/** A UUIDv7 like the onboarder mints (the schemas insist on version 7). */
export function uuidv7(): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(Date.now(), 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const uniqueEmail = (tag: string) => `${tag}.${randomBytes(5).toString('hex')}@notifier-test.example`;

type UserCreated = EventData<typeof EVENT_TYPES.userCreated>;

export function userCreatedEvent(userID: string, email: string, name: string): EventEnvelope<UserCreated> {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    source: eventSourceOf('user'),
    type: EVENT_TYPES.userCreated,
    time: now,
    subject: userID,
    data: {
      user: {
        userID,
        name,
        email,
        phoneNumber: '+66812345678',
        status: 'CREATED',
        version: 1,
        createdAt: now,
        updatedAt: now,
      },
      identity: { email: email.toLowerCase(), phone: '+66812345678' },
    },
  };
}

export async function connectedProducer(): Promise<EventProducer> {
  const producer = new EventProducer(kafka(), logger);
  await producer.connect();
  return producer;
}

/** Reads topics from the beginning with a unique group and keeps every record, for polling assertions. */
export class TopicCollector {
  readonly records: { topic: string; message: KafkaMessage }[] = [];
  private constructor(private readonly consumer: Consumer) {}

  static async start(topics: string[]): Promise<TopicCollector> {
    const consumer = kafka().consumer({ groupId: `notifier-test-collector-${randomUUID()}` });
    const collector = new TopicCollector(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ topic, message }) => void collector.records.push({ topic, message }) });
    return collector;
  }

  byKey(topic: string, key: string) {
    return this.records.filter((r) => r.topic === topic && r.message.key?.toString() === key).map((r) => r.message);
  }

  stop(): Promise<void> {
    return this.consumer.disconnect();
  }
}

/** Mails in the SMTP catcher (mailpit, `MAIL_WEB_URL`) to `address`, bodies included. */
export function mailsTo(address: string): Promise<CaughtMailDetail[]> {
  return inboxMailsTo(env('MAIL_WEB_URL'), address);
}

/** Poll until `probe` returns a value that is not undefined, or fail after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 15000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A TCP port nobody listens on (bound, then closed). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export { occupiedPort, recordingLogger } from '@scalefu/service-kit/testing';
