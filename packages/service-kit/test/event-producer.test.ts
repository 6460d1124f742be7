import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { Kafka } from 'kafkajs';
import { createKafka } from '../src/kafka/client';
import { EventProducer } from '../src/kafka/producer';
import { ServiceMetrics } from '../src/metrics';
import { confirmationEvent, createTestTopic, readTopic, silentLogger, sleep, stackEnv } from './support';

// The kit's producer against the real broker: KafkaJS keeps one idempotent request in flight, so the producer's own
// micro-batching is what lets a hot path send many records per produce request.
let kafka: Kafka;
let topic: string;

before(async () => {
  kafka = createKafka({ brokers: stackEnv('KAFKA_BROKERS'), clientId: 'kit-producer-test' }, silentLogger);
  topic = (await createTestTopic(kafka, 3)).name;
});

/** Produce requests sent and records in them, from the producer's own histogram. */
async function produceRequests(metrics: ServiceMetrics): Promise<{ requests: number; records: number }> {
  const { values } = await metrics.kafkaProduceBatchSize.get();
  const value = (suffix: string) => values.find((v) => v.metricName?.endsWith(suffix))?.value ?? 0;
  return { requests: value('_count'), records: value('_sum') };
}

test('concurrent publishes share produce requests, every one acknowledged and stored once', async () => {
  const metrics = new ServiceMetrics('test');
  const producer = new EventProducer(kafka, silentLogger, { metrics });
  await producer.connect();
  try {
    const events = Array.from({ length: 300 }, (_, i) => confirmationEvent(`burst-${i}`));
    await Promise.all(events.map((event) => producer.publish(topic, event.data.userID, event)));
    const { requests, records } = await produceRequests(metrics);
    assert.equal(records, 300);
    assert.ok(requests <= 30, `300 records took ${requests} produce requests (≥ 10 records per request expected)`);
    // Once: the partitions' end offsets say how many records the topic holds, duplicates included.
    const admin = kafka.admin();
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(topic);
    await admin.disconnect();
    assert.equal(
      ends.reduce((sum, p) => sum + Number(p.high), 0),
      300,
    );
    const stored = await readTopic(kafka, topic, 300);
    const storedMarkers = stored.map((r) => (r.event?.data as { messageId: string } | undefined)?.messageId);
    assert.deepEqual(storedMarkers.sort(), events.map((e) => e.data.messageId).sort());
  } finally {
    await producer.disconnect();
  }
});

test('a record after a quiet spell is sent at once, not after the linger; dense ones share a request', async () => {
  const metrics = new ServiceMetrics('test');
  const lingerMs = 1500;
  // A linger far longer than any produce round trip here: a record that waited for it is plain to see.
  const producer = new EventProducer(kafka, silentLogger, { metrics, lingerMs });
  await producer.connect();
  const publishMs = async (marker: string) => {
    const event = confirmationEvent(marker);
    const startedAt = performance.now();
    await producer.publish(topic, event.data.userID, event);
    return performance.now() - startedAt;
  };
  try {
    const first = await publishMs('sparse-1');
    await sleep(lingerMs + 300); // a quiet spell longer than the linger
    const afterQuiet = await publishMs('sparse-2');
    for (const [label, ms] of [
      ['the first record', first],
      ['a record after a quiet spell', afterQuiet],
    ] as const) {
      assert.ok(ms < lingerMs / 2, `${label} took ${ms.toFixed(0)} ms: it waited for the ${lingerMs} ms linger`);
    }

    // 20 records right after the last one: each comes within the linger of the one before, so they wait for
    // companions and go in one request (one request per record would make 22).
    const dense = Array.from({ length: 20 }, (_, i) => confirmationEvent(`dense-${i}`));
    await Promise.all(dense.map((e) => producer.publish(topic, e.data.userID, e)));
    const { requests, records } = await produceRequests(metrics);
    assert.equal(records, 22);
    assert.equal(requests, 3, `22 records took ${requests} produce requests, expected 1 + 1 + 1`);
  } finally {
    await producer.disconnect();
  }
});
