import assert from 'node:assert/strict';
import { PLATFORM_ENVIRONMENTS } from '../../environments/index';
import { describe, it } from 'node:test';
import {
  DLQ_REPLAY_GROUP,
  SERVICE_NAMES,
  brokerTopics,
  consumerGroupOf,
  failureTopicName,
  retryConsumerGroupOf,
  topicsConsumedBy,
  type ServiceName,
} from '@scalefu/contracts';
import { renderedClusters } from '../testing/rendered';
import { kafkaAclsFor } from './kafka-acls';

type Acl = { resource: { type: string; name: string; patternType: string }; operations: string[] };

async function renderedAcls(service: ServiceName): Promise<Acl[]> {
  const prod = (await renderedClusters()).find((c) => c.env === 'prod')!;
  const user = prod.docs.find((d) => d.kind === 'KafkaUser' && d.metadata.name === service)!;
  return (user.spec as { authorization: { acls: Acl[] } }).authorization.acls;
}

describe('Kafka ACLs', () => {
  it('the onboarder may only write registration requests', () => {
    assert.deepEqual(kafkaAclsFor('onboarder'), [
      {
        resource: { type: 'topic', name: 'user.registration.request', patternType: 'literal' },
        operations: ['Describe', 'Write'],
      },
    ]);
  });

  it('the notifier reads user.created with its own groups, owns its retry/DLQ companions, writes confirmations', () => {
    const byName = new Map(
      kafkaAclsFor('notifier').map((a) => [`${a.resource.type}:${a.resource.name}`, a.operations]),
    );
    assert.deepEqual(byName.get('topic:user.created'), ['Describe', 'Read']);
    assert.deepEqual(byName.get(`topic:${failureTopicName('user.created', 'notifier', 'retry')}`), [
      'Describe',
      'Read',
      'Write',
    ]);
    assert.deepEqual(byName.get(`topic:${failureTopicName('user.created', 'notifier', 'dlq')}`), [
      'Describe',
      'Read',
      'Write',
    ]);
    assert.deepEqual(byName.get('topic:user.confirmation.sent'), ['Describe', 'Write']);
    assert.deepEqual(byName.get(`group:${consumerGroupOf('notifier')}`), ['Read']);
    assert.deepEqual(byName.get(`group:${retryConsumerGroupOf('notifier')}`), ['Read']);
    assert.deepEqual(byName.get(`group:${DLQ_REPLAY_GROUP}`), ['Describe']);
    assert.equal(byName.size, 7);
  });

  it("no service may touch another consumer group's companions, a prefix, a wildcard or an undeclared topic", async () => {
    const known = new Map(brokerTopics(PLATFORM_ENVIRONMENTS.prod.kubernetes.kafka.topics).map((t) => [t.name, t]));
    for (const service of SERVICE_NAMES) {
      for (const acl of await renderedAcls(service)) {
        assert.equal(acl.resource.patternType, 'literal', `${service}: ${acl.resource.name}`);
        assert.ok(!acl.resource.name.includes('*'), `${service}: wildcard`);
        if (acl.resource.type === 'group') {
          assert.ok(
            [consumerGroupOf(service), retryConsumerGroupOf(service), DLQ_REPLAY_GROUP].includes(acl.resource.name),
            `${service} has an ACL on foreign group ${acl.resource.name}`,
          );
          continue;
        }
        const topic = known.get(acl.resource.name);
        assert.ok(topic, `${service} has an ACL on undeclared topic ${acl.resource.name}`);
        if (topic.owner) assert.equal(topic.owner, service, `${service} may use ${topic.name} owned by ${topic.owner}`);
      }
    }
  });

  it('every consumer may Read its main group and its retry group, and Describe the DLQ replay group, and nothing else may', async () => {
    for (const service of SERVICE_NAMES) {
      const groups = (await renderedAcls(service))
        .filter((a) => a.resource.type === 'group')
        .map((a) => `${a.resource.name}:${a.operations.join(',')}`)
        .sort();
      const expected =
        topicsConsumedBy(service).length > 0
          ? [
              `${consumerGroupOf(service)}:Read`,
              `${retryConsumerGroupOf(service)}:Read`,
              `${DLQ_REPLAY_GROUP}:Describe`,
            ].sort()
          : [];
      assert.deepEqual(groups, expected, service);
    }
  });

  it('rendered KafkaUsers carry exactly the derived ACLs and authenticate with SCRAM-SHA-512', async () => {
    const prod = (await renderedClusters()).find((c) => c.env === 'prod')!;
    for (const service of SERVICE_NAMES) {
      const user = prod.docs.find((d) => d.kind === 'KafkaUser' && d.metadata.name === service)!;
      const spec = user.spec as { authentication: { type: string } };
      assert.equal(spec.authentication.type, 'scram-sha-512');
      assert.deepEqual(
        (await renderedAcls(service)).map(({ resource, operations }) => ({ resource, operations })),
        kafkaAclsFor(service).map((a) => ({ resource: { ...a.resource }, operations: [...a.operations] })),
      );
    }
  });
});
