import { REDIS_KEYS, TOPICS, fromKafkaRecord, type EventEnvelope, type IdentityKind } from '@scalefu/contracts';
import { thaiIdCheckDigit } from '@scalefu/identity';
import { Redis } from 'ioredis';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { randomInt, randomUUID } from 'node:crypto';
import { startApp, type OnboarderApp } from '../src/app';
import { loadOnboarderConfig } from '../src/config';
import type { RegistrationRequested } from '../src/domain/registration-command';

/** Start the onboarder in-process against the test stack (env from `npm test`), on a free port. */
export async function startTestApp(env: Record<string, string> = {}): Promise<{ app: OnboarderApp; baseUrl: string }> {
  const config = loadOnboarderConfig({ ...process.env, RATE_LIMIT_PER_MINUTE: '1000000', ...env });
  const app = await startApp(config, { port: 0 });
  const address = app.server.server.address();
  if (!address || typeof address === 'string') throw new Error('onboarder is not listening on a TCP port');
  return { app, baseUrl: `http://127.0.0.1:${address.port}` };
}

/** A test-only Redis client for looking at what the onboarder wrote. */
export function testRedis(): Redis {
  return new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:16379', { lazyConnect: false });
}

export async function dedupHolder(redis: Redis, kind: IdentityKind, value: string): Promise<string | null> {
  return redis.get(REDIS_KEYS.dedup(kind, value));
}

const run = randomUUID().slice(0, 8);
let sequence = 0;

/** An e-mail address nobody else in this stack uses (tests share topics and Redis). */
export function uniqueEmail(tag: string): string {
  return `${tag}-${run}-${++sequence}@jadepalace.test`;
}

const phoneBase = randomInt(10_000_000, 90_000_000);
/** A valid Thai mobile number unique within this test process (random base, then sequential). */
export function uniquePhone(): { raw: string; e164: string } {
  const subscriber = String(phoneBase + ++sequence).padStart(8, '0');
  return { raw: `08${subscriber}`, e164: `+668${subscriber}` };
}

/** A national ID with a valid check digit, random so that test runs do not collide. */
export function validNationalId(): string {
  const first12 = `${randomInt(1, 9)}${String(randomInt(0, 1e11)).padStart(11, '0')}`;
  return `${first12}${thaiIdCheckDigit(first12)}`;
}

export function validBody(tag: string, extra: Record<string, unknown> = {}) {
  return { name: 'Po Ping', email: uniqueEmail(tag), phoneNumber: uniquePhone().raw, ...extra };
}

export interface HttpResult {
  readonly status: number;
  readonly headers: Headers;
  readonly json: Record<string, unknown> & { errors?: { field: string; message: string }[] };
}

/** POST a JSON-able value (or a raw string with its own content type). */
export async function post(
  baseUrl: string,
  body: unknown,
  options: { contentType?: string; raw?: boolean; headers?: Record<string, string> } = {},
): Promise<HttpResult> {
  const response = await fetch(`${baseUrl}/api/v1/register`, {
    method: 'POST',
    headers: { 'content-type': options.contentType ?? 'application/json', ...options.headers },
    body: options.raw ? (body as string) : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, json: (await response.json()) as HttpResult['json'] };
}

export async function get(baseUrl: string, path: string, headers: Record<string, string> = {}): Promise<HttpResult> {
  const response = await fetch(`${baseUrl}${path}`, { headers });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : {} };
}

export interface SeenCommand {
  readonly key: string;
  readonly event: EventEnvelope<RegistrationRequested>;
  readonly headers: Record<string, string>;
  readonly value: string;
}

/**
 * Reads `user.registration.request` from the beginning with a consumer group of its own, so the test sees every
 * command regardless of what other tests and services consume. Filter by identities the test created.
 */
export class CommandWatcher {
  readonly seen: SeenCommand[] = [];
  private constructor(private readonly consumer: Consumer) {}

  static async start(): Promise<CommandWatcher> {
    const kafka = new Kafka({
      clientId: 'onboarder-test',
      brokers: (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:19092').split(','),
      logLevel: logLevel.NOTHING,
    });
    const consumer = kafka.consumer({ groupId: `onboarder-test-${randomUUID()}` });
    const watcher = new CommandWatcher(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic: TOPICS.registrationRequest.name, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = String(v);
        watcher.seen.push({
          key: message.key?.toString() ?? '',
          event: fromKafkaRecord(message) as EventEnvelope<RegistrationRequested>,
          headers,
          value: message.value?.toString() ?? '',
        });
      },
    });
    return watcher;
  }

  /** Commands whose record key (the canonical e-mail) is `key`. */
  byKey(key: string): SeenCommand[] {
    return this.seen.filter((c) => c.key === key);
  }

  /** Wait until `predicate` holds for the commands seen so far. */
  async waitFor(predicate: (seen: SeenCommand[]) => boolean, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.seen)) {
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for commands`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
