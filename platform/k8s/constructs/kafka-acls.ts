import {
  DLQ_REPLAY_GROUP,
  consumerGroupOf,
  failureTopicName,
  retryConsumerGroupOf,
  topicsConsumedBy,
  topicsProducedBy,
  type ServiceName,
} from '@scalefu/contracts';
import { Construct } from 'constructs';
import {
  KafkaUser,
  KafkaUserSpecAuthenticationType,
  KafkaUserSpecAuthorizationAclsOperations,
  KafkaUserSpecAuthorizationAclsResourcePatternType,
  KafkaUserSpecAuthorizationAclsResourceType,
  KafkaUserSpecAuthorizationAclsType,
  KafkaUserSpecAuthorizationType,
} from '../imports/kafka.strimzi.io';
import { invalid } from './labels';

const RESOURCE_TYPES = {
  topic: KafkaUserSpecAuthorizationAclsResourceType.TOPIC,
  group: KafkaUserSpecAuthorizationAclsResourceType.GROUP,
} as const;
const OPERATIONS = {
  Read: KafkaUserSpecAuthorizationAclsOperations.READ,
  Write: KafkaUserSpecAuthorizationAclsOperations.WRITE,
  Describe: KafkaUserSpecAuthorizationAclsOperations.DESCRIBE,
} as const;

/** One Strimzi simple-authorizer ACL rule (`kafka.strimzi.io/v1` KafkaUser). */
export interface KafkaAcl {
  readonly resource: { readonly type: 'topic' | 'group'; readonly name: string; readonly patternType: 'literal' };
  readonly operations: readonly ('Read' | 'Write' | 'Describe')[];
}

/**
 * Least privilege from the contracts topic table: write what you produce, read what you consume with your own
 * groups, and read+write only your own retry/DLQ companions. Literal names only, never prefixes or `*`.
 * A consumer has two groups: the service kit reads the main topics with `consumerGroupOf` and the retry topics
 * with `retryConsumerGroupOf`, so a retry delay never holds up the main stream. A consumer may also Describe the DLQ
 * replay group, whose committed offsets tell its DLQ depth metric which dead letters were already replayed.
 */
export function kafkaAclsFor(service: ServiceName): KafkaAcl[] {
  const topic = (name: string, operations: KafkaAcl['operations']): KafkaAcl => ({
    resource: { type: 'topic', name, patternType: 'literal' },
    operations,
  });
  const acls: KafkaAcl[] = [];
  for (const produced of topicsProducedBy(service)) acls.push(topic(produced.name, ['Describe', 'Write']));
  const consumed = topicsConsumedBy(service);
  for (const t of consumed) {
    acls.push(topic(t.name, ['Describe', 'Read']));
    for (const stage of ['retry', 'dlq'] as const) {
      acls.push(topic(failureTopicName(t.name, service, stage), ['Describe', 'Read', 'Write']));
    }
  }
  if (consumed.length > 0) {
    for (const group of [consumerGroupOf(service), retryConsumerGroupOf(service)]) {
      acls.push({ resource: { type: 'group', name: group, patternType: 'literal' }, operations: ['Read'] });
    }
    acls.push({
      resource: { type: 'group', name: DLQ_REPLAY_GROUP, patternType: 'literal' },
      operations: ['Describe'],
    });
  }
  return acls.sort((a, b) =>
    `${a.resource.type}/${a.resource.name}`.localeCompare(`${b.resource.type}/${b.resource.name}`),
  );
}

export interface KafkaServiceUserProps {
  /** Service the user belongs to; also the KafkaUser (and SCRAM user, and Secret) name. */
  readonly service: ServiceName;
  /** Strimzi Kafka cluster the user is created on. */
  readonly clusterName: string;
  /** Namespace of the Kafka cluster (the User Operator creates the password Secret here). */
  readonly namespace: string;
}

/** A SCRAM-SHA-512 KafkaUser whose ACLs are exactly `kafkaAclsFor(service)`. */
export class KafkaServiceUser extends Construct {
  /** Secret the User Operator writes the generated password into (key `password`). */
  public readonly secretName: string;

  constructor(scope: Construct, id: string, props: KafkaServiceUserProps) {
    super(scope, id);
    const acls = kafkaAclsFor(props.service);
    if (acls.length === 0)
      invalid(`KafkaServiceUser(${props.service})`, 'service neither produces nor consumes a topic');
    this.secretName = props.service;
    new KafkaUser(this, 'user', {
      metadata: {
        name: props.service,
        namespace: props.namespace,
        labels: { 'strimzi.io/cluster': props.clusterName, 'app.kubernetes.io/part-of': 'scalefu' },
      },
      spec: {
        authentication: { type: KafkaUserSpecAuthenticationType.SCRAM_HYPHEN_SHA_HYPHEN_512 },
        authorization: {
          type: KafkaUserSpecAuthorizationType.SIMPLE,
          acls: acls.map((acl) => ({
            type: KafkaUserSpecAuthorizationAclsType.ALLOW,
            resource: {
              type: RESOURCE_TYPES[acl.resource.type],
              name: acl.resource.name,
              patternType: KafkaUserSpecAuthorizationAclsResourcePatternType.LITERAL,
            },
            operations: acl.operations.map((op) => OPERATIONS[op]),
          })),
        },
      },
    });
  }
}
