import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SERVICE_NAMES } from './services';
import { TOPICS, TOPIC_REPLICATION, brokerTopics, failureTopicName, topicsConsumedBy } from './topics';

test('every consumed topic gets a retry and a DLQ companion per consuming service', () => {
  const names = new Set(brokerTopics('local').map((t) => t.name));
  for (const topic of Object.values(TOPICS)) {
    for (const consumer of topic.consumers) {
      assert.ok(names.has(failureTopicName(topic.name, consumer, 'retry')), `${topic.name} retry for ${consumer}`);
      assert.ok(names.has(failureTopicName(topic.name, consumer, 'dlq')), `${topic.name} dlq for ${consumer}`);
    }
  }
  assert.equal(names.size, brokerTopics('local').length, 'topic names are unique');
});

test('prod topics are replicated three times with min ISR two; local ones once', () => {
  for (const t of brokerTopics('prod')) {
    assert.equal(t.replicationFactor, 3);
    assert.equal(t.config['min.insync.replicas'], '2');
  }
  assert.deepEqual(TOPIC_REPLICATION.local, { replicationFactor: 1, minInSyncReplicas: 1 });
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
