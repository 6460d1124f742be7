import { RUNTIME_ENV, TOPICS, type EventEnvelope } from '@scalefu/contracts';
import { ServiceMetrics, type EventProducer, type PostgresClient } from '@scalefu/service-kit';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { RunningApp } from '../src/app';
import { allowAll } from '../src/routes/admin';
import { SERVICE } from '../src/config';
import { OutboxRelay, type RelayPublisher } from '../src/outbox/relay';
import { RELAY_LOCK_KEY } from '../src/store/outbox';
import { TopicWatcher, config, connectProducer, newPerson, silent, startTestApp, userIdOf, waitUntil } from './helpers';

let app: RunningApp;
let producer: EventProducer;
let watcher: TopicWatcher;

before(async () => {
  watcher = await TopicWatcher.start([TOPICS.userCreated.name]);
  producer = await connectProducer();
  // This file proves the API's own rules; who may call it is proven in auth-matrix.test.ts.
  app = await startTestApp({ consumers: false, guard: allowAll });
});

after(async () => {
  await app?.stop();
  await producer?.disconnect();
  await watcher?.stop();
});

/**
 * Hold the relay turn in a transaction of our own, so no relay (this app's or another test file's) publishes
 * while the test stages a crash; the staged relay round runs inside this same transaction.
 */
async function holdRelayTurn(): Promise<PostgresClient> {
  const tx = await app.pool.connect();
  await tx.query('BEGIN');
  await tx.query('SELECT pg_advisory_xact_lock($1)', [RELAY_LOCK_KEY]);
  return tx;
}

async function createUsers(n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const response = await fetch(`${app.url}/api/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(newPerson('Relay')),
    });
    assert.equal(response.status, 201);
    ids.push(((await response.json()) as { data: { userID: string } }).data.userID);
  }
  return ids;
}

async function outboxRows(userIDs: string[]) {
  const { rows } = await app.pool.query<{ key: string; event_id: string; published: boolean }>(
    `SELECT key, event_id, published_at IS NOT NULL AS published FROM outbox WHERE key = ANY($1::text[]) AND topic = $2`,
    [userIDs, TOPICS.userCreated.name],
  );
  return rows;
}

function stagedRelay(publisher: RelayPublisher): OutboxRelay {
  return new OutboxRelay({
    pool: app.pool,
    databaseUrl: config[RUNTIME_ENV.databaseUrl],
    publisher,
    logger: silent,
    metrics: new ServiceMetrics(SERVICE),
    batchSize: 5000,
  });
}

const seenFor = (userIDs: string[]) =>
  watcher.events(TOPICS.userCreated.name, (e) => userIDs.includes(userIdOf(e) ?? ''));

test('a relay crash after the broker ack re-publishes every event with the same id, losing none', async () => {
  const tx = await holdRelayTurn();
  let userIDs: string[] = [];
  try {
    userIDs = await createUsers(5);
    const crashing = stagedRelay({
      async publish<T>(topic: string, key: string, event: EventEnvelope<T>) {
        await producer.publish(topic, key, event);
        throw new Error('simulated crash after the broker ack');
      },
    });
    await assert.rejects(crashing.relayRound(tx), /simulated crash/);
  } finally {
    await tx.query('ROLLBACK');
    tx.release();
  }
  const rows = await outboxRows(userIDs);
  assert.equal(rows.length, 5);
  await watcher.waitFor(TOPICS.userCreated.name, (e) => userIDs.includes(userIdOf(e) ?? ''), 5);

  app.relay!.wake();
  await waitUntil(async () => (await outboxRows(userIDs)).every((r) => r.published), 15_000, 'outbox published');
  await watcher.waitFor(TOPICS.userCreated.name, (e) => userIDs.includes(userIdOf(e) ?? ''), 10);

  const idOfRow = new Map(rows.map((r) => [r.key, r.event_id]));
  const seen = seenFor(userIDs);
  for (const userID of userIDs) {
    const copies = seen.filter((s) => userIdOf(s.event) === userID);
    assert.ok(copies.length >= 2, `${userID}: published before the crash and again after`);
    assert.deepEqual(new Set(copies.map((c) => c.event.id)), new Set([idOfRow.get(userID)]), `${userID}: one id`);
  }
});

test('a failed publish leaves the events for the next round, which publishes each exactly once', async () => {
  const tx = await holdRelayTurn();
  let userIDs: string[] = [];
  try {
    userIDs = await createUsers(3);
    const failing = stagedRelay({
      async publish() {
        throw new Error('broker unreachable');
      },
    });
    await assert.rejects(failing.relayRound(tx), /broker unreachable/);
  } finally {
    await tx.query('ROLLBACK');
    tx.release();
  }
  assert.ok((await outboxRows(userIDs)).every((r) => !r.published));

  app.relay!.wake();
  await waitUntil(async () => (await outboxRows(userIDs)).every((r) => r.published), 15_000, 'outbox published');
  await watcher.waitFor(TOPICS.userCreated.name, (e) => userIDs.includes(userIdOf(e) ?? ''), 3);
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal(seenFor(userIDs).length, 3);
});

test('published_at is when the broker acked the round, not when its transaction began', async () => {
  const tx = await holdRelayTurn();
  let userIDs: string[] = [];
  let lastAckAt = 0;
  try {
    userIDs = await createUsers(2);
    const slowAcks = stagedRelay({
      async publish<T>(topic: string, key: string, event: EventEnvelope<T>) {
        await producer.publish(topic, key, event);
        await new Promise((resolve) => setTimeout(resolve, 300));
        lastAckAt = Math.max(lastAckAt, Date.now());
      },
    });
    assert.ok((await slowAcks.relayRound(tx)) >= 2);
    await tx.query('COMMIT');
  } catch (error) {
    await tx.query('ROLLBACK');
    throw error;
  } finally {
    tx.release();
  }
  const { rows } = await app.pool.query<{ published_ms: number }>(
    `SELECT extract(epoch FROM published_at)::float8 * 1000 AS published_ms FROM outbox WHERE key = ANY($1::text[]) AND topic = $2`,
    [userIDs, TOPICS.userCreated.name],
  );
  assert.equal(rows.length, 2);
  for (const { published_ms } of rows) {
    assert.ok(published_ms >= lastAckAt - 1, `published ${lastAckAt - published_ms} ms before the last ack`);
  }
});

test('the relay exposes its lag and published counter on /metrics', async () => {
  const text = await (await fetch(`${app.url}/metrics`)).text();
  assert.match(text, /^scalefu_outbox_lag_seconds\{service="user"\} \d/m);
  assert.match(text, /^scalefu_outbox_pending_events\{service="user"\} \d/m);
  assert.match(text, /^scalefu_outbox_published_events_total\{topic="user.created",service="user"\} [1-9]/m);
});
