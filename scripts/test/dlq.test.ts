import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, test } from 'node:test';
import { EVENT_TYPES, TOPICS, failureTopicName, type EventData } from '@scalefu/contracts';
import { ConsumerRunner, EventProducer, createKafka, createLogger, subscribe } from '@scalefu/service-kit';
import { v7 as uuidv7 } from 'uuid';
import { DlqTool } from '../lib/dlq';

const brokers = process.env['KAFKA_BROKERS'] ?? '';
const logger = createLogger({ service: 'dlq-test', level: process.env['LOG_LEVEL'] ?? 'silent' });
const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

function deletedEvent(): { id: string; data: EventData<typeof EVENT_TYPES.userDeleted> } {
  const userID = uuidv7();
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    data: {
      user: {
        userID,
        name: 'Test',
        email: 't@example.com',
        phoneNumber: '+66812345678',
        status: 'CREATED',
        version: 1,
        createdAt: now,
        updatedAt: now,
      },
      identity: { email: 't@example.com', phone: '+66812345678' },
      deletedAt: now,
    },
  };
}

const eventually = async (what: string, check: () => boolean | Promise<boolean>, ms = 30_000) => {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out: ${what}`);
};

test('a poison event lands in the DLQ while later events flow, and a replay after the fix processes it once', async () => {
  assert.ok(brokers, 'KAFKA_BROKERS is set by npm test');
  const kafka = createKafka({ brokers, clientId: 'dlq-test' }, logger);
  const producer = new EventProducer(kafka, logger);
  await producer.connect();
  cleanups.push(() => producer.disconnect());

  const mine = new Set<string>();
  const applied = new Map<string, number>(); // effects per event id
  let fixed = false;
  const poison = deletedEvent();
  const runner = new ConsumerRunner({
    service: 'cache-updater',
    kafka,
    producer,
    logger,
    groupId: `dlq-test-${randomUUID()}`,
    // An idempotent consumer (the kit's hook; the real services make repeats harmless in their own stores).
    alreadyProcessed: async (event) => applied.has(event.id),
    retry: { attempts: 2, initialDelayMs: 10, maxDelayMs: 20, retryTopicDelayMs: 100, retryTopicRounds: 1 },
    subscriptions: [
      subscribe(TOPICS.userDeleted, async (event) => {
        if (!mine.has(event.id)) return; // records of other tests share the topic
        if (event.id === poison.id && !fixed) throw new Error('cache is misconfigured');
        if (!applied.has(event.id)) applied.set(event.id, 1);
        else applied.set(event.id, applied.get(event.id)! + 1);
      }),
    ],
  });
  await runner.start();
  cleanups.push(() => runner.stop());

  const later = [deletedEvent(), deletedEvent()];
  for (const e of [poison, ...later]) {
    mine.add(e.id);
    await producer.publish(TOPICS.userDeleted.name, e.data.user.userID, {
      id: e.id,
      source: '/scalefu/test',
      type: EVENT_TYPES.userDeleted,
      time: new Date().toISOString(),
      data: e.data,
    });
  }

  const tool = new DlqTool({ brokers });
  const dlq = failureTopicName(TOPICS.userDeleted.name, 'cache-updater', 'dlq');
  await eventually('later events applied', () => later.every((e) => applied.get(e.id) === 1));
  await eventually('poison parked in the DLQ', async () =>
    (await tool.pending(dlq)).some((l) => l.eventId === poison.id),
  );
  assert.equal(applied.get(poison.id), undefined, 'poison had no effect before the fix');
  const listed = (await tool.list()).find((s) => s.topic === dlq);
  assert.ok(listed && listed.pending >= 1, 'list shows the pending dead letter');
  const shown = (await tool.pending(dlq)).find((l) => l.eventId === poison.id)!;
  assert.match(shown.error, /cache is misconfigured/);
  assert.doesNotMatch(shown.preview, /t@example\.com/, 'show masks contact details');

  fixed = true;
  const replayed = await tool.replay(dlq, { eventId: poison.id });
  assert.equal(replayed.length, 1);
  await eventually('poison applied after the replay', () => applied.get(poison.id) === 1);

  // Replaying everything (including the poison again) marks the DLQ replayed and still applies the effect once.
  await tool.replay(dlq);
  assert.equal((await tool.list()).find((s) => s.topic === dlq)?.pending, 0);
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(applied.get(poison.id), 1);
});
