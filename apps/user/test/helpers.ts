/** Shared pieces of the user service's integration tests (real Kafka and Postgres of the test stack). */
import {
  RUNTIME_ENV,
  TOPICS,
  eventSourceOf,
  fromKafkaRecord,
  type EventData,
  type EventEnvelope,
  type TopicSpec,
} from '@scalefu/contracts';
import { thaiIdCheckDigit } from '@scalefu/identity';
import { EventProducer, createKafka, createLogger } from '@scalefu/service-kit';
import type { Consumer } from 'kafkajs';
import { randomInt, randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { startApp, type AppOverrides, type RunningApp } from '../src/app';
import { loadUserConfig, type UserConfig } from '../src/config';
import { canonicalEmail, maskNationalId, nationalIdHmac } from '../src/domain/identity';

export const config: UserConfig = loadUserConfig(process.env);
export const silent = createLogger({ service: 'user-test', level: 'silent' });

/** The app in process, on a free port, with its own consumer group so test files never share partitions. */
export function startTestApp(overrides: AppOverrides = {}): Promise<RunningApp> {
  return startApp(config, {
    logger: silent,
    port: 0,
    host: '127.0.0.1',
    groupId: `test-user-${randomUUID()}`,
    retry: { attempts: 2, initialDelayMs: 20, maxDelayMs: 50, retryTopicDelayMs: 200, retryTopicRounds: 1 },
    ...overrides,
  });
}

export function kafka() {
  return createKafka({ brokers: config[RUNTIME_ENV.kafkaBrokers], clientId: `user-test-${randomUUID()}` }, silent);
}

export async function connectProducer(): Promise<EventProducer> {
  const producer = new EventProducer(kafka(), silent);
  await producer.connect();
  return producer;
}

/** A person nobody else in this stack has: unique e-mail, phone and national ID. */
export interface TestPerson {
  readonly name: string;
  readonly email: string;
  readonly phoneNumber: string;
  readonly nationalId: string;
}

const RUN = randomUUID().slice(0, 8);
let counter = 0;

function thaiNationalId(): string {
  const first12 = `1${String(randomInt(0, 1e11)).padStart(11, '0')}`;
  return `${first12}${thaiIdCheckDigit(first12)}`;
}

export function newPerson(prefix = 'Test'): TestPerson {
  const n = ++counter;
  return {
    name: `${prefix} Person ${n}`,
    email: `${prefix.toLowerCase()}.${RUN}.${n}@Example.com`,
    phoneNumber: `+668${String(randomInt(0, 1e8)).padStart(8, '0')}`,
    nationalId: thaiNationalId(),
  };
}

export const newUserID = (): string => uuidv7();

/** The command the onboarder would publish for this person. */
export function registrationCommand(
  userID: string,
  person: TestPerson,
): EventEnvelope<EventData<typeof TOPICS.registrationRequest.eventType>> {
  const canonical = canonicalEmail(person.email);
  return {
    id: randomUUID(),
    source: eventSourceOf('onboarder'),
    type: TOPICS.registrationRequest.eventType,
    time: new Date().toISOString(),
    data: {
      userID,
      name: person.name,
      email: person.email,
      phoneNumber: person.phoneNumber,
      nationalIdMasked: maskNationalId(person.nationalId),
      identity: {
        email: canonical,
        phone: person.phoneNumber,
        nationalIdHmac: nationalIdHmac(person.nationalId, config[RUNTIME_ENV.nationalIdHmacKey]),
      },
      requestedAt: new Date().toISOString(),
    },
  };
}

export function publishCommand(
  producer: EventProducer,
  event: EventEnvelope<EventData<typeof TOPICS.registrationRequest.eventType>>,
): Promise<void> {
  return producer.publish(TOPICS.registrationRequest.name, event.data.identity.email, event);
}

export function publishEvent<T extends TopicSpec>(
  producer: EventProducer,
  topic: T,
  key: string,
  data: EventData<T['eventType']>,
  id: string = randomUUID(),
): Promise<void> {
  return producer.publish(topic.name, key, {
    id,
    source: eventSourceOf('notifier'),
    type: topic.eventType,
    time: new Date().toISOString(),
    data,
  });
}

export interface SeenEvent {
  readonly topic: string;
  readonly key: string | undefined;
  readonly event: EventEnvelope;
}

/** Reads topics from the beginning with a group of its own and keeps every event, for assertions by id. */
export class TopicWatcher {
  readonly seen: SeenEvent[] = [];
  private constructor(private readonly consumer: Consumer) {}

  static async start(topics: readonly string[]): Promise<TopicWatcher> {
    const consumer = kafka().consumer({ groupId: `test-watch-${randomUUID()}` });
    const watcher = new TopicWatcher(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, message }) => {
        try {
          watcher.seen.push({ topic, key: message.key?.toString(), event: fromKafkaRecord(message) });
        } catch {
          // not a CloudEvent (someone else's test data): ignore
        }
      },
    });
    return watcher;
  }

  events(topic: string, subject: (e: EventEnvelope) => boolean): SeenEvent[] {
    return this.seen.filter((s) => s.topic === topic && subject(s.event));
  }

  async waitFor(
    topic: string,
    subject: (e: EventEnvelope) => boolean,
    count = 1,
    timeoutMs = 15_000,
  ): Promise<SeenEvent[]> {
    await waitUntil(() => this.events(topic, subject).length >= count, timeoutMs, `${count} event(s) on ${topic}`);
    return this.events(topic, subject);
  }

  stop(): Promise<void> {
    return this.consumer.disconnect();
  }
}

/** Data of a user event, typed loosely for assertions. */
export function userIdOf(e: EventEnvelope): string | undefined {
  const data = e.data as { user?: { userID?: string }; userID?: string };
  return data.user?.userID ?? data.userID;
}

export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
