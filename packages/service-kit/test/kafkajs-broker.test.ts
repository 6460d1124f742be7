import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { Kafka } from 'kafkajs';
import { eventually, testKafka } from './support';

// KafkaJS is unmaintained since 2023; these tests prove the parts ScaleFu uses against the real Kafka 4.3 broker.
let kafka: Kafka;
const topic = `test.kafkajs.${randomUUID().slice(0, 8)}`;

before(async () => {
  kafka = testKafka('kafkajs-compat');
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 2, replicationFactor: 1 }] });
  await admin.disconnect();
});

test('the broker (the pinned Apache Kafka jars, KRaft) answers metadata with one broker and an elected controller', async () => {
  const admin = kafka.admin();
  await admin.connect();
  const cluster = await admin.describeCluster();
  await admin.disconnect();
  assert.equal(cluster.brokers.length, 1);
  assert.ok(cluster.controller !== null && cluster.controller !== undefined, 'a KRaft controller is elected');
});

test('an idempotent acks=all producer gets offsets for a batch across partitions', async () => {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const results = await producer.sendBatch({
    acks: -1,
    topicMessages: [{ topic, messages: Array.from({ length: 20 }, (_, i) => ({ key: `k${i % 4}`, value: `v${i}` })) }],
  });
  await producer.disconnect();
  assert.deepEqual([...new Set(results.map((r) => r.partition))].sort(), [0, 1], 'keys spread over both partitions');
  assert.ok(results.every((r) => r.errorCode === 0 && Number(r.baseOffset) >= 0));
});

test('a consumer joins a group, reads everything and its manual commit is stored on the broker', async () => {
  const groupId = `compat-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId });
  const seen: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ message, partition }) => {
      seen.push(message.value!.toString());
      await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
    },
  });
  await eventually('20 records consumed', () => seen.length >= 20);
  await consumer.disconnect();
  const admin = kafka.admin();
  await admin.connect();
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
  await admin.disconnect();
  const committed = offsets!.partitions.reduce((sum, p) => sum + Number(p.offset), 0);
  assert.equal(committed, 20, 'committed offsets cover every record');
  assert.equal(new Set(seen).size, 20);
});

after(async () => {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
});
