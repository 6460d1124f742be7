import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SERVICE_NAMES } from './services';
import { LOCAL_TOPIC_LAYOUT, TOPICS, brokerTopics, failureTopicName, topicsConsumedBy } from './topics';

test('every consumed topic gets a retry and a DLQ companion per consuming service', () => {
  const names = new Set(brokerTopics(LOCAL_TOPIC_LAYOUT).map((t) => t.name));
  for (const topic of Object.values(TOPICS)) {
    for (const consumer of topic.consumers) {
      assert.ok(names.has(failureTopicName(topic.name, consumer, 'retry')), `${topic.name} retry for ${consumer}`);
      assert.ok(names.has(failureTopicName(topic.name, consumer, 'dlq')), `${topic.name} dlq for ${consumer}`);
    }
  }
  assert.equal(names.size, brokerTopics(LOCAL_TOPIC_LAYOUT).length, 'topic names are unique');
});

test('a layout sets every topic replication and partitions by load; retries have at most three', () => {
  const layout = { partitions: { hot: 24, warm: 12 }, replicationFactor: 3, minInSyncReplicas: 2 };
  for (const t of brokerTopics(layout)) {
    assert.equal(t.replicationFactor, 3);
    assert.equal(t.config['min.insync.replicas'], '2');
    if (t.stage === 'retry') assert.ok(t.partitions <= 3);
  }
  const request = brokerTopics(layout).find((t) => t.name === TOPICS.registrationRequest.name)!;
  assert.equal(request.partitions, 24);
  assert.deepEqual(LOCAL_TOPIC_LAYOUT.replicationFactor, 1);
});

test('seed topic names are kept', () => {
  assert.deepEqual(
    Object.values(TOPICS)
      .map((t) => t.name)
      .sort(),
    [
      'user.confirmation.sent',
      'user.created',
      'user.deleted',
      'user.registration.rejected',
      'user.registration.request',
      'user.updated',
    ],
  );
});

test('every service that consumes something is a known service', () => {
  for (const topic of Object.values(TOPICS)) {
    for (const s of [...topic.consumers, ...topic.producers])
      assert.ok((SERVICE_NAMES as readonly string[]).includes(s), s);
  }
  assert.deepEqual(
    topicsConsumedBy('user').map((t) => t.name),
    ['user.registration.request', 'user.confirmation.sent'],
  );
});
