// Helpers for the cache-updater's integration tests: real CloudEvents in, Redis state out.
import { randomBytes, randomUUID } from 'node:crypto';
import { EVENT_TYPES, eventSourceOf, type EventData, type EventEnvelope, type EventType } from '@scalefu/contracts';
import { createKafka, createLogger, createRedis, EventProducer, type Redis } from '@scalefu/service-kit';

export const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run integration tests with npm test`);
  return value;
};

export const logger = createLogger({ service: 'cache-updater-test', level: process.env['LOG_LEVEL'] ?? 'silent' });

export async function connectedProducer(): Promise<EventProducer> {
  const kafka = createKafka({ brokers: env('KAFKA_BROKERS'), clientId: 'cache-updater-test' }, logger);
  const producer = new EventProducer(kafka, logger);
  await producer.connect();
  return producer;
}

export async function connectedRedis(): Promise<Redis> {
  const redis = createRedis({ url: env('REDIS_URL'), connectionName: 'cache-updater-test' }, logger);
  await redis.connect();
  return redis;
}

/** A UUIDv7 like the onboarder mints (the schemas insist on version 7). */
export function uuidv7(): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(Date.now(), 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A fresh person: unique canonical e-mail, phone and national-ID HMAC. */
export function person() {
  const tag = randomBytes(5).toString('hex');
  const digits = String(parseInt(tag, 16) % 100_000_000).padStart(8, '0');
  return {
    userID: uuidv7(),
    email: `${tag}@cache-test.example`,
    phone: `+669${digits}`,
    nid: randomBytes(32).toString('hex'),
  };
}
export type Person = ReturnType<typeof person>;

export function envelope<T extends EventType>(
  type: T,
  subject: string,
  data: EventData<T>,
): EventEnvelope<EventData<T>> {
  return { id: randomUUID(), source: eventSourceOf('user'), type, time: new Date().toISOString(), subject, data };
}

export function userChanged(
  p: Person,
  version: number,
  extra: { name?: string; status?: 'CREATED' | 'CONFIRMED' } = {},
) {
  const at = new Date(Date.UTC(2026, 0, 1, 0, 0, version)).toISOString();
  return {
    user: {
      userID: p.userID,
      name: extra.name ?? 'Master Shifu',
      email: p.email.toUpperCase(),
      phoneNumber: p.phone,
      nationalIdMasked: '*********1234',
      status: extra.status ?? ('CREATED' as const),
      version,
      createdAt: new Date(Date.UTC(2026, 0, 1)).toISOString(),
      updatedAt: at,
    },
    identity: { email: p.email, phone: p.phone, nationalIdHmac: p.nid },
  } satisfies EventData<typeof EVENT_TYPES.userCreated>;
}

/** Poll until `probe` returns a value that is not undefined, or fail after `timeoutMs`. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export { occupiedPort, recordingLogger } from '@scalefu/service-kit/testing';
