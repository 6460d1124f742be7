import type { PerEnvironment } from './environments';
import { consumerGroupOf, retryConsumerGroupOf, type ServiceName } from './services';
import { EVENT_TYPES, type EventType } from './events';

/** What a topic's record key is, so that ordering holds where it matters. */
export type TopicKey = 'identity' | 'userID';

export interface TopicSpec {
  /** Topic name on the broker (seed names). */
  readonly name: string;
  /** CloudEvents type of every record on the topic. */
  readonly eventType: EventType;
  /** Record key: `identity` = canonical e-mail (same person, same partition); `userID` = the user. */
  readonly key: TopicKey;
  /** Partition count per environment; consumers never scale above it. */
  readonly partitions: PerEnvironment<number>;
  /** Services that produce to it (drives Kafka ACLs and the network graph). */
  readonly producers: readonly ServiceName[];
  /** Services whose consumer group reads it (drives ACLs, retry/DLQ companions, KEDA triggers). */
  readonly consumers: readonly ServiceName[];
  /** Retention in milliseconds. */
  readonly retentionMs: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Replication factor and min in-sync replicas per environment (ARCHITECTURE §6). */
export const TOPIC_REPLICATION: PerEnvironment<{ replicationFactor: number; minInSyncReplicas: number }> = {
  local: { replicationFactor: 1, minInSyncReplicas: 1 },
  dev: { replicationFactor: 1, minInSyncReplicas: 1 },
  prod: { replicationFactor: 3, minInSyncReplicas: 2 },
};

const hot: PerEnvironment<number> = { local: 6, dev: 6, prod: 24 };
const warm: PerEnvironment<number> = { local: 3, dev: 3, prod: 12 };

export const TOPICS = {
  registrationRequest: {
    name: 'user.registration.request',
    eventType: EVENT_TYPES.registrationRequested,
    key: 'identity',
    partitions: hot,
    producers: ['onboarder'],
    consumers: ['user'],
    retentionMs: 7 * DAY_MS,
  },
  userCreated: {
    name: 'user.created',
    eventType: EVENT_TYPES.userCreated,
    key: 'userID',
    partitions: hot,
    producers: ['user'],
    consumers: ['notifier', 'cache-updater'],
    retentionMs: 7 * DAY_MS,
  },
  userUpdated: {
    name: 'user.updated',
    eventType: EVENT_TYPES.userUpdated,
    key: 'userID',
    partitions: warm,
    producers: ['user'],
    consumers: ['cache-updater'],
    retentionMs: 7 * DAY_MS,
  },
  userDeleted: {
    name: 'user.deleted',
    eventType: EVENT_TYPES.userDeleted,
    key: 'userID',
    partitions: warm,
    producers: ['user'],
    consumers: ['cache-updater'],
    retentionMs: 7 * DAY_MS,
  },
  confirmationSent: {
    name: 'user.confirmation.sent',
    eventType: EVENT_TYPES.confirmationSent,
    key: 'userID',
    partitions: hot,
    producers: ['notifier'],
    consumers: ['user', 'cache-updater'],
    retentionMs: 7 * DAY_MS,
  },
  registrationRejected: {
    name: 'user.registration.rejected',
    eventType: EVENT_TYPES.registrationRejected,
    key: 'userID',
    partitions: warm,
    producers: ['user'],
    consumers: ['cache-updater'],
    retentionMs: 7 * DAY_MS,
  },
} as const satisfies Record<string, TopicSpec>;

export type TopicId = keyof typeof TOPICS;
export type TopicName = (typeof TOPICS)[TopicId]['name'];

/** Stage of a failed record's journey: the retry companion is re-consumed after a delay, the DLQ waits for a human. */
export type FailureStage = 'retry' | 'dlq';

/**
 * Retry and DLQ companions are per topic *and* consuming group (`user.created.notifier.retry`), so one group's
 * failures never replay into another group's handler. See docs/adr/0002-retry-and-dlq-topics-per-consumer-group.md.
 */
export function failureTopicName(topic: string, consumer: ServiceName, stage: FailureStage): string {
  return `${topic}.${consumer}.${stage}`;
}

/**
 * Consumer group whose committed offsets mark how far each DLQ has been replayed (`npm run dlq -- replay`); the
 * DLQ depth metric counts only records past them.
 */
export const DLQ_REPLAY_GROUP = 'scalefu.dlq-replay';

/** Retention of companions: retries are short-lived, dead letters wait two weeks for a human. */
export const FAILURE_TOPIC_RETENTION_MS: Readonly<Record<FailureStage, number>> = {
  retry: 7 * DAY_MS,
  dlq: 14 * DAY_MS,
};

export interface BrokerTopic {
  /** Topic name on the broker. */
  readonly name: string;
  /** Partition count in the given environment. */
  readonly partitions: number;
  /** Replication factor in the given environment. */
  readonly replicationFactor: number;
  /** Topic-level configs (`retention.ms`, `min.insync.replicas`, ...). */
  readonly config: Readonly<Record<string, string>>;
  /** The main topic this one belongs to; equals `name` for a main topic. */
  readonly mainTopic: string;
  /** Stage for a companion topic, absent for a main topic. */
  readonly stage?: FailureStage;
  /** For a companion: the only group that reads and writes it. */
  readonly owner?: ServiceName;
}

/** Every topic that must exist on the broker in an environment: the main topics plus their retry/DLQ companions. */
export function brokerTopics(environment: keyof typeof TOPIC_REPLICATION): BrokerTopic[] {
  const { replicationFactor, minInSyncReplicas } = TOPIC_REPLICATION[environment];
  const base = { 'min.insync.replicas': String(minInSyncReplicas), 'cleanup.policy': 'delete' };
  const result: BrokerTopic[] = [];
  for (const topic of Object.values(TOPICS) as TopicSpec[]) {
    result.push({
      name: topic.name,
      partitions: topic.partitions[environment],
      replicationFactor,
      config: { ...base, 'retention.ms': String(topic.retentionMs) },
      mainTopic: topic.name,
    });
    for (const consumer of topic.consumers) {
      for (const stage of ['retry', 'dlq'] as const) {
        result.push({
          name: failureTopicName(topic.name, consumer, stage),
          partitions: stage === 'retry' ? Math.min(3, topic.partitions[environment]) : 1,
          replicationFactor,
          config: { ...base, 'retention.ms': String(FAILURE_TOPIC_RETENTION_MS[stage]) },
          mainTopic: topic.name,
          stage,
          owner: consumer,
        });
      }
    }
  }
  return result;
}

/** Main topics a service consumes. */
export function topicsConsumedBy(service: ServiceName): TopicSpec[] {
  return (Object.values(TOPICS) as TopicSpec[]).filter((t) => t.consumers.includes(service));
}

/** Main topics a service produces to. */
export function topicsProducedBy(service: ServiceName): TopicSpec[] {
  return (Object.values(TOPICS) as TopicSpec[]).filter((t) => t.producers.includes(service));
}

export { consumerGroupOf, retryConsumerGroupOf };
