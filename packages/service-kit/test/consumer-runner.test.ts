import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { TOPICS, failureTopicName, type EventEnvelope, type TopicSpec } from '@scalefu/contracts';
import type { Kafka } from 'kafkajs';
import { ConsumerRunner, type FetchLimits } from '../src/kafka/consumer-runner';
import { FAILURE_HEADERS } from '../src/kafka/failure-headers';
import { EventProducer } from '../src/kafka/producer';
import { DeferredRetry, PermanentFailure, subscribe } from '../src/kafka/subscription';
import { ServiceMetrics } from '../src/metrics';
import { confirmationEvent, createTestTopic, eventually, readTopic, silentLogger, sleep, testKafka } from './support';

let kafka: Kafka;
let producer: EventProducer;
const runners: ConsumerRunner[] = [];

before(async () => {
  kafka = testKafka();
  producer = new EventProducer(kafka, silentLogger);
  await producer.connect();
});

after(async () => {
  await Promise.all(runners.map((r) => r.stop().catch(() => undefined)));
  await producer.disconnect();
});

const fastRetries = { attempts: 3, initialDelayMs: 10, maxDelayMs: 20, retryTopicDelayMs: 200, retryTopicRounds: 1 };

function runner(
  topic: TopicSpec,
  handle: (event: EventEnvelope<{ messageId: string }>) => Promise<void>,
  groupId: string,
  commitIntervalMs?: number,
) {
  const r = new ConsumerRunner({
    commitIntervalMs,
    service: 'user',
    kafka,
    producer,
    logger: silentLogger,
    metrics: new ServiceMetrics('test'),
    groupId,
    retry: fastRetries,
    subscriptions: [subscribe(topic, (event) => handle(event as EventEnvelope<{ messageId: string }>))],
  });
  runners.push(r);
  return r;
}

async function publishAll(topic: TopicSpec, markers: string[]) {
  await Promise.all(
    markers.map((m) => {
      const e = confirmationEvent(m);
      return producer.publish(topic.name, e.data.userID, e);
    }),
  );
}

test('events published through the kit arrive once each, in key order, through the consumer runner', async () => {
  const topic = await createTestTopic(kafka);
  const markers = Array.from({ length: 300 }, (_, i) => `m${i}`);
  const seen: string[] = [];
  await runner(topic, async (e) => void seen.push(e.data.messageId), `rt-${topic.name}`).start();
  await publishAll(topic, markers);
  await eventually('all 300 events handled', () => seen.length >= 300);
  await sleep(300);
  assert.equal(seen.length, 300, 'no duplicates');
  assert.deepEqual([...seen].sort(), [...markers].sort());
});

test('a failing handler is retried in process, then via the retry topic, then parked in the DLQ while later events flow', async () => {
  const topic = await createTestTopic(kafka, 1);
  const attempts = new Map<string, number>();
  const handled: string[] = [];
  await runner(
    topic,
    async (e) => {
      const marker = e.data.messageId;
      attempts.set(marker, (attempts.get(marker) ?? 0) + 1);
      if (marker === 'poison') throw new Error('handler cannot process poison');
      handled.push(marker);
    },
    `dlq-${topic.name}`,
  ).start();
  await publishAll(topic, ['before']);
  await publishAll(topic, ['poison']);
  await publishAll(topic, ['after-1', 'after-2']);

  await eventually(
    'later events handled despite the poison',
    () => handled.includes('after-1') && handled.includes('after-2'),
  );
  const [dead] = await readTopic(kafka, failureTopicName(topic.name, 'user', 'dlq'), 1);
  assert.ok(dead, 'poison reached the DLQ');
  assert.equal((dead.event?.data as { messageId: string }).messageId, 'poison');
  assert.equal(dead.headers[FAILURE_HEADERS.originalTopic], topic.name);
  assert.match(dead.headers[FAILURE_HEADERS.error] ?? '', /cannot process poison/);
  assert.equal(dead.headers[FAILURE_HEADERS.retryRound], '1');
  // 3 tries on the main topic + 3 after one trip through the retry topic.
  assert.equal(attempts.get('poison'), fastRetries.attempts * (1 + fastRetries.retryTopicRounds));
  assert.deepEqual(handled, ['before', 'after-1', 'after-2']);
});

test('a permanent failure and a record that is not a valid event go straight to the DLQ without retries', async () => {
  const topic = await createTestTopic(kafka, 1);
  let calls = 0;
  await runner(
    topic,
    async () => {
      calls++;
      throw new PermanentFailure('bad data');
    },
    `perm-${topic.name}`,
  ).start();
  await publishAll(topic, ['p']);
  const raw = kafka.producer();
  await raw.connect();
  await raw.send({ topic: topic.name, messages: [{ key: 'x', value: 'not a cloudevent' }] });
  await raw.disconnect();
  const dead = await readTopic(kafka, failureTopicName(topic.name, 'user', 'dlq'), 2);
  assert.equal(dead.length, 2);
  assert.ok(
    dead.some(
      (r) => r.value === 'not a cloudevent' && /InvalidEventError/.test(r.headers[FAILURE_HEADERS.error] ?? ''),
    ),
  );
  assert.equal(calls, 1, 'no retries for a permanent failure');
});

test('stopping a consumer mid-stream and starting another loses nothing and processes nothing twice', async () => {
  const topic = await createTestTopic(kafka, 3);
  const groupId = `stop-${topic.name}`;
  const markers = Array.from({ length: 400 }, (_, i) => `s${i}`);
  const effects = new Map<string, number>();
  const slowHandler = async (e: EventEnvelope<{ messageId: string }>) => {
    await sleep(2);
    effects.set(e.data.messageId, (effects.get(e.data.messageId) ?? 0) + 1);
  };
  const first = runner(topic, slowHandler, groupId);
  await first.start();
  await publishAll(topic, markers);
  await eventually('first consumer is mid-stream', () => effects.size >= 50);
  await first.stop();
  const handledByFirst = effects.size;
  assert.ok(handledByFirst < markers.length, `first consumer stopped mid-stream (${handledByFirst} handled)`);
  await runner(topic, slowHandler, groupId).start();
  await eventually('second consumer finishes the rest', () => effects.size >= markers.length, 40_000);
  await sleep(500);
  assert.equal(effects.size, markers.length, 'nothing lost');
  const twice = [...effects].filter(([, n]) => n > 1);
  assert.deepEqual(
    twice,
    [],
    `nothing processed twice (first handled ${handledByFirst}; twice: ${twice.length}: ${twice
      .map(([m]) => m)
      .slice(0, 20)
      .join(',')})`,
  );
});

/** The group's committed next offsets on the broker, summed over the topic's partitions (-1 for none counts 0). */
async function committedRecords(groupId: string, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return offsets!.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  } finally {
    await admin.disconnect();
  }
}

test('a first commit goes at once, later ones wait out the interval; a stop commits what waits; a short interval commits while running', async () => {
  const topic = await createTestTopic(kafka, 3);
  const groupId = `commit-late-${topic.name}`;
  const markers = Array.from({ length: 60 }, (_, i) => `c${i}`);
  const handled = new Set<string>();
  const handle = async (e: EventEnvelope<{ messageId: string }>) => void handled.add(e.data.messageId);

  const patient = runner(topic, handle, groupId, 60_000);
  await patient.start();
  await publishAll(topic, ['first']);
  await eventually(
    'the first commit, after a quiet spell, at once',
    async () => (await committedRecords(groupId, topic.name)) === 1,
  );
  await publishAll(topic, markers);
  await eventually('every record handled', () => handled.size === markers.length + 1);
  await sleep(500);
  assert.equal(await committedRecords(groupId, topic.name), 1, 'nothing more committed within the interval');
  await patient.stop();
  assert.equal(await committedRecords(groupId, topic.name), markers.length + 1, 'the stop committed what waited');

  handled.clear();
  const prompt = runner(topic, handle, `commit-soon-${topic.name}`, 100);
  await prompt.start();
  await eventually('every record handled again', () => handled.size === markers.length + 1);
  await eventually(
    'committed while running',
    async () => (await committedRecords(`commit-soon-${topic.name}`, topic.name)) === markers.length + 1,
  );
  await prompt.stop();
});

/** A runner whose batch handler notes the size of every batch it is handed. */
function batchSizeRunner(topic: TopicSpec, groupId: string, sizes: number[], fetchLimits?: FetchLimits) {
  const r = new ConsumerRunner({
    fetchLimits,
    service: 'user',
    kafka,
    producer,
    logger: silentLogger,
    groupId,
    retry: fastRetries,
    subscriptions: [
      subscribe(
        topic,
        async () => undefined,
        async (items) => void sizes.push(items.length),
      ),
    ],
  });
  runners.push(r);
  return r;
}

test('the fetch limits bound how many records of a backlog one fetch hands over; the defaults take it in one', async () => {
  const topic = await createTestTopic(kafka, 1);
  // One record per produce request, so each is a record batch of its own and the byte limit can cut between them.
  for (let i = 0; i < 120; i++) await publishAll(topic, [`f${i}`]);

  const limited: number[] = [];
  await batchSizeRunner(topic, `fetch-small-${topic.name}`, limited, {
    maxBytesPerPartition: 4096,
    maxBytes: 4096,
  }).start();
  await eventually('the backlog handled under a 4 KB limit', () => sum(limited) === 120);
  assert.ok(Math.max(...limited) <= 15, `at most ~4 KB of records per batch: ${limited.join(',')}`);

  const unlimited: number[] = [];
  await batchSizeRunner(topic, `fetch-default-${topic.name}`, unlimited).start();
  await eventually('the backlog handled under the defaults', () => sum(unlimited) === 120);
  assert.ok(Math.max(...unlimited) >= 100, `the defaults fetch the small backlog at once: ${unlimited.join(',')}`);
});

test('fetch limits that are not positive integers, or a response smaller than a partition, are refused up front', () => {
  const topic: TopicSpec = { ...TOPICS.confirmationSent, consumers: ['user'] };
  assert.throws(
    () => batchSizeRunner(topic, 'never-started', [], { maxBytesPerPartition: 0, maxBytes: 1024 }),
    /fetchLimits.maxBytesPerPartition must be a positive integer, got 0/,
  );
  assert.throws(
    () => batchSizeRunner(topic, 'never-started', [], { maxBytesPerPartition: 2048, maxBytes: 1024 }),
    /fetchLimits.maxBytes \(1024\) must be at least maxBytesPerPartition \(2048\)/,
  );
});

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

test('a deferred record waits the asked delay on the retry topic and is then processed once, never dead-lettered', async () => {
  const topic = await createTestTopic(kafka, 1);
  const tries: number[] = [];
  const done: string[] = [];
  // retryTopicRounds 1 would dead-letter a *failing* record after one trip; deferrals must not count as failures.
  await runner(
    topic,
    async (e) => {
      tries.push(Date.now());
      if (tries.length <= 2) throw new DeferredRetry('lease held elsewhere', 400);
      done.push(e.data.messageId);
    },
    `defer-${topic.name}`,
  ).start();
  await publishAll(topic, ['deferred']);
  await eventually('processed after two deferrals', () => done.length === 1);
  assert.equal(tries.length, 3, 'no in-process retries for a deferral');
  assert.ok(
    tries[1]! - tries[0]! >= 380 && tries[2]! - tries[1]! >= 380,
    `waited ~400 ms each time: ${tries.map((t) => t - tries[0]!)}`,
  );
  const dead = await readTopic(kafka, failureTopicName(topic.name, 'user', 'dlq'), 1, 1500);
  assert.equal(dead.length, 0);
});

/** The value of one series in a registry's exposition, or undefined when absent. */
async function seriesValue(
  metrics: ServiceMetrics,
  name: string,
  labels: Record<string, string>,
): Promise<number | undefined> {
  const text = await metrics.registry.metrics();
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

test('reports lag per group and topic from the batches (0 once caught up), record age per record, and DLQ depth', async () => {
  const topic = await createTestTopic(kafka, 1);
  const groupId = `lag-${topic.name}`;
  const metrics = new ServiceMetrics('test');
  await publishAll(
    topic,
    Array.from({ length: 40 }, (_, i) => `l${i}`),
  );
  const seen: string[] = [];
  let maxLag = 0;
  const r = new ConsumerRunner({
    service: 'user',
    kafka,
    producer,
    logger: silentLogger,
    metrics,
    groupId,
    retry: fastRetries,
    subscriptions: [
      subscribe(topic, async (event) => {
        const { messageId } = (event as EventEnvelope<{ messageId: string }>).data;
        const lag = await seriesValue(metrics, 'scalefu_kafka_consumer_lag_messages', {
          group: groupId,
          topic: topic.name,
        });
        maxLag = Math.max(maxLag, lag ?? 0);
        if (messageId === 'l39') throw new PermanentFailure('one for the DLQ');
        seen.push(messageId);
      }),
    ],
  });
  runners.push(r);
  await r.start();
  await eventually('all 40 handled', () => seen.length >= 39);
  await eventually(
    'lag back to 0',
    async () =>
      (await seriesValue(metrics, 'scalefu_kafka_consumer_lag_messages', { group: groupId, topic: topic.name })) === 0,
  );
  assert.ok(maxLag > 0, 'the lag was above 0 while the backlog was worked off');
  assert.equal(await seriesValue(metrics, 'scalefu_kafka_record_age_seconds_count', { topic: topic.name }), 40);
  await eventually(
    'the DLQ depth counts the dead letter',
    async () =>
      (await seriesValue(metrics, 'scalefu_kafka_dlq_depth_messages', {
        topic: failureTopicName(topic.name, 'user', 'dlq'),
      })) === 1,
  );
});
