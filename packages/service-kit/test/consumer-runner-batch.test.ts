import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { failureTopicName, type EventEnvelope, type TopicSpec } from '@scalefu/contracts';
import type { Kafka } from 'kafkajs';
import pg from 'pg';
import { ConsumerRunner, type ConsumerRunnerOptions } from '../src/kafka/consumer-runner';
import { FAILURE_HEADERS } from '../src/kafka/failure-headers';
import { EventProducer } from '../src/kafka/producer';
import { subscribe, type BatchItem } from '../src/kafka/subscription';
import { ServiceMetrics } from '../src/metrics';
import { inTransaction } from '../src/postgres/pool';
import {
  confirmationEvent,
  createTestTopic,
  eventually,
  readTopic,
  silentLogger,
  sleep,
  stackEnv,
  testKafka,
} from './support';

// Batch handlers against the real broker and a real Postgres: each batch is one transaction (txid_current() tells),
// a failed batch leaves nothing behind and its records go the per-record way, and per-key order holds throughout.
let kafka: Kafka;
let producer: EventProducer;
let db: pg.Pool;
const table = `batch_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
const runners: ConsumerRunner[] = [];

before(async () => {
  kafka = testKafka();
  producer = new EventProducer(kafka, silentLogger);
  await producer.connect();
  db = new pg.Pool({ connectionString: stackEnv('DATABASE_URL'), max: 4 });
  await db.query(`CREATE TABLE ${table} (topic text, marker text, key text, txid bigint, seq bigserial)`);
});

after(async () => {
  await Promise.all(runners.map((r) => r.stop().catch(() => undefined)));
  await producer.disconnect();
  await db.query(`DROP TABLE IF EXISTS ${table}`);
  await db.end();
});

const fastRetries = { attempts: 2, initialDelayMs: 10, maxDelayMs: 20, retryTopicDelayMs: 200, retryTopicRounds: 1 };
type Confirmation = EventEnvelope<{ userID: string; messageId: string }>;

/** A subscription that records each applied event as a row, per record or a whole batch in one transaction. */
function recordingRunner(topic: TopicSpec, poison: string, extra: Partial<ConsumerRunnerOptions> = {}) {
  const calls = { batch: 0, single: 0, batchSizes: [] as number[] };
  const insert = (client: pg.PoolClient, events: Confirmation[]) =>
    client.query(
      `INSERT INTO ${table} (topic, marker, key, txid)
       SELECT $1::text, m, k, txid_current() FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS t(m, k, i) ORDER BY i`,
      [topic.name, events.map((e) => e.data.messageId), events.map((e) => e.data.userID)],
    );
  const subscription = subscribe(
    topic,
    async (event) => {
      calls.single++;
      await inTransaction(db, async (client) => {
        await insert(client, [event as Confirmation]);
        if ((event as Confirmation).data.messageId.startsWith(poison)) throw new Error('handler cannot process poison');
      });
    },
    async (items: readonly BatchItem[]) => {
      calls.batch++;
      calls.batchSizes.push(items.length);
      await inTransaction(db, async (client) => {
        await insert(
          client,
          items.map((i) => i.event as Confirmation),
        );
        // Written first, then failing: the rollback must take the whole batch's rows with it.
        if (items.some((i) => (i.event as Confirmation).data.messageId.startsWith(poison))) {
          throw new Error('batch holds poison');
        }
      });
    },
  );
  const r = new ConsumerRunner({
    service: 'user',
    kafka,
    producer,
    logger: silentLogger,
    metrics: new ServiceMetrics('test'),
    groupId: `batch-${topic.name}`,
    retry: fastRetries,
    subscriptions: [subscription],
    ...extra,
  });
  runners.push(r);
  return { runner: r, calls };
}

/** Events keyed by `keys` in turn (the key is the userID, so one key is one partition), published in order. */
async function publishKeyed(topic: TopicSpec, markers: string[], keys: string[]) {
  await Promise.all(
    markers.map((m, i) => {
      const e = confirmationEvent(m);
      const key = keys[i % keys.length]!;
      return producer.publish(topic.name, key, { ...e, data: { ...e.data, userID: key } });
    }),
  );
}

/** A user id (UUIDv7, as the event schema wants) to key events by. */
const newKey = () => confirmationEvent('key').data.userID;

async function rows(topic: TopicSpec) {
  const { rows: found } = await db.query<{ marker: string; key: string; txid: string }>(
    `SELECT marker, key, txid::text FROM ${table} WHERE topic = $1 ORDER BY seq`,
    [topic.name],
  );
  return found;
}

test('a fetched batch is applied by one handler call in one transaction, each event once, per-key order kept', async () => {
  const topic = await createTestTopic(kafka, 3);
  const keys = Array.from({ length: 6 }, newKey);
  const markers = Array.from({ length: 120 }, (_, i) => `m${String(i).padStart(3, '0')}`);
  await publishKeyed(topic, markers, keys); // all there before the consumer starts: fetched as a few big batches
  const { runner, calls } = recordingRunner(topic, 'poison');
  await runner.start();

  await eventually('all 120 applied', async () => (await rows(topic)).length >= 120);
  await sleep(300);
  const applied = await rows(topic);
  assert.equal(applied.length, 120, 'each event once');
  assert.deepEqual(applied.map((r) => r.marker).sort(), markers);
  assert.equal(calls.single, 0, 'no per-record calls when the batch handler succeeds');
  assert.ok(calls.batch <= 6, `120 events in ${calls.batch} batch calls (${calls.batchSizes.join(', ')})`);
  const transactions = new Set(applied.map((r) => r.txid));
  assert.equal(transactions.size, calls.batch, 'one transaction per batch call');
  for (const key of keys) {
    const ofKey = applied.filter((r) => r.key === key).map((r) => r.marker);
    assert.deepEqual(ofKey, [...ofKey].sort(), `order of key ${key}`);
  }
});

test('a poison record in a batch ends alone in retry and DLQ; the others are applied once, in key order', async () => {
  const topic = await createTestTopic(kafka, 1);
  const keys = [newKey(), newKey()];
  const markers = ['a0', 'a1', 'a2', 'poison', 'a3', 'a4', 'a5'];
  await publishKeyed(topic, markers, keys);
  const { runner, calls } = recordingRunner(topic, 'poison');
  await runner.start();

  const [dead] = await readTopic(kafka, failureTopicName(topic.name, 'user', 'dlq'), 1);
  assert.equal((dead?.event?.data as { messageId: string }).messageId, 'poison');
  assert.equal(dead?.headers[FAILURE_HEADERS.retryRound], '1', 'went through the retry topic first');
  assert.match(dead?.headers[FAILURE_HEADERS.error] ?? '', /cannot process poison/);
  await sleep(300);
  const applied = await rows(topic);
  assert.deepEqual(
    applied.map((r) => r.marker),
    ['a0', 'a1', 'a2', 'a3', 'a4', 'a5'],
    'the failed batch left nothing; the fallback applied the rest once, in offset order',
  );
  assert.ok(calls.batch >= 1, 'the batch handler was tried');
  const retried = await readTopic(kafka, failureTopicName(topic.name, 'user', 'retry'), 1);
  assert.deepEqual(
    retried.map((r) => (r.event?.data as { messageId: string }).messageId),
    ['poison'],
    'only the poison took the retry topic',
  );
});

test('the batch idempotency hook is asked once per batch and what it names is skipped, not applied again', async () => {
  const topic = await createTestTopic(kafka, 1);
  const events = ['d0', 'd1', 'd2', 'd3'].map((m) => confirmationEvent(m));
  let asked = 0;
  const { runner } = recordingRunner(topic, 'poison', {
    // d1 and d3 took effect before (as far as the hook knows); the rest is whatever the table already holds.
    alreadyProcessedBatch: async (batch) => {
      asked++;
      const markers = batch.map((e) => (e as Confirmation).data.messageId);
      const { rows: held } = await db.query<{ marker: string }>(
        `SELECT marker FROM ${table} WHERE topic = $1 AND marker = ANY($2)`,
        [topic.name, markers],
      );
      const done = new Set(['d1', 'd3', ...held.map((r) => r.marker)]);
      return new Set(batch.filter((e) => done.has((e as Confirmation).data.messageId)).map((e) => e.id));
    },
  });
  for (const e of events) await producer.publish(topic.name, e.data.userID, e);
  await producer.publish(topic.name, events[0]!.data.userID, events[0]!); // a redelivered copy: same id
  await runner.start();
  await eventually('d0 and d2 applied', async () => (await rows(topic)).length >= 2);
  await sleep(500);
  assert.deepEqual(
    (await rows(topic)).map((r) => r.marker),
    ['d0', 'd2'],
  );
  assert.ok(asked >= 1 && asked <= 2, `asked ${asked} times for 5 records`);
});
