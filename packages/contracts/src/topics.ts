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
  /** Load class; each environment's topic layout turns it into a partition count (consumers never scale above it). */
  readonly load: TopicLoad;
  /** Services that produce to it (drives Kafka ACLs and the network graph). */
  readonly producers: readonly ServiceName[];
  /** Services whose consumer group reads it (drives ACLs, retry/DLQ companions, KEDA triggers). */
  readonly consumers: readonly ServiceName[];
  /** Retention in milliseconds. */
  readonly retentionMs: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** How busy a topic is: `hot` topics carry every registration, `warm` ones a fraction of them. */
export type TopicLoad = 'hot' | 'warm';

/**
 * How the topics are laid out on one set of brokers (ARCHITECTURE §6). The clusters' layouts live in their
 * environment files (`platform/environments/`); the local stack's is below.
 */
export interface TopicLayout {
  /** Partitions of a topic by its load class. */
  readonly partitions: Readonly<Record<TopicLoad, number>>;
  /** Replication factor of every topic. */
  readonly replicationFactor: number;
  /** `min.insync.replicas` of every topic. */
  readonly minInSyncReplicas: number;
}

/** The one-broker local stack's layout (`npm start`, tests). */
export const LOCAL_TOPIC_LAYOUT: TopicLayout = {
  partitions: { hot: 6, warm: 3 },
  replicationFactor: 1,
  minInSyncReplicas: 1,
};

export const TOPICS = {
  registrationRequest: {
    name: 'user.registration.request',
    eventType: EVENT_TYPES.registrationRequested,
    key: 'identity',
    load: 'hot',
    producers: ['onboarder'],
    consumers: ['user'],
    retentionMs: 7 * DAY_MS,
  },
  userCreated: {
    name: 'user.created',
    eventType: EVENT_TYPES.userCreated,
    key: 'userID',
    load: 'hot',
    producers: ['user'],
    consumers: ['notifier', 'cache-updater'],
    retentionMs: 7 * DAY_MS,
  },
  userUpdated: {
    name: 'user.updated',
    eventType: EVENT_TYPES.userUpdated,
    key: 'userID',
    load: 'warm',
    producers: ['user'],
    consumers: ['cache-updater'],
    retentionMs: 7 * DAY_MS,
  },
  userDeleted: {
    name: 'user.deleted',
    eventType: EVENT_TYPES.userDeleted,
    key: 'userID',
    load: 'warm',
    producers: ['user'],
    consumers: ['cache-updater'],
    retentionMs: 7 * DAY_MS,
  },
  confirmationSent: {
    name: 'user.confirmation.sent',
    eventType: EVENT_TYPES.confirmationSent,
    key: 'userID',
    load: 'hot',
    producers: ['notifier'],
    consumers: ['user', 'cache-updater'],
    retentionMs: 7 * DAY_MS,
  },
  registrationRejected: {
    name: 'user.registration.rejected',
    eventType: EVENT_TYPES.registrationRejected,
    key: 'userID',
    load: 'warm',
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
  /** Partition count in the given layout. */
  readonly partitions: number;
  /** Replication factor in the given layout. */
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

/** Every topic that must exist on brokers with this layout: the main topics plus their retry/DLQ companions. */
export function brokerTopics(layout: TopicLayout): BrokerTopic[] {
  const { replicationFactor, minInSyncReplicas } = layout;
  const base = { 'min.insync.replicas': String(minInSyncReplicas), 'cleanup.policy': 'delete' };
  const result: BrokerTopic[] = [];
  for (const topic of Object.values(TOPICS) as TopicSpec[]) {
    result.push({
      name: topic.name,
      partitions: layout.partitions[topic.load],
      replicationFactor,
      config: { ...base, 'retention.ms': String(topic.retentionMs) },
      mainTopic: topic.name,
    });
    for (const consumer of topic.consumers) {
      for (const stage of ['retry', 'dlq'] as const) {
        result.push({
          name: failureTopicName(topic.name, consumer, stage),
          partitions: stage === 'retry' ? Math.min(3, layout.partitions[topic.load]) : 1,
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
