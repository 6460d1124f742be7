import { CLUSTER_PORTS, VERSIONS, brokerTopics, type TopicLayout } from '@scalefu/contracts';
import { Construct } from 'constructs';
import type { ResourceSize } from '../../environments/index';
import { KAFKA_PORTS } from '../facts';
import { invalid } from './labels';
import {
  Kafka,
  KafkaNodePool,
  KafkaNodePoolSpecResourcesLimits,
  KafkaNodePoolSpecResourcesRequests,
  KafkaNodePoolSpecRoles,
  KafkaNodePoolSpecStorageType,
  KafkaNodePoolSpecStorageVolumesKraftMetadata,
  KafkaNodePoolSpecStorageVolumesType,
  KafkaSpecEntityOperatorTopicOperatorResourcesLimits,
  KafkaSpecEntityOperatorTopicOperatorResourcesRequests,
  KafkaSpecEntityOperatorUserOperatorResourcesLimits,
  KafkaSpecEntityOperatorUserOperatorResourcesRequests,
  KafkaSpecKafkaAuthorizationType,
  KafkaSpecKafkaExporterResourcesLimits,
  KafkaSpecKafkaExporterResourcesRequests,
  KafkaSpecKafkaListenersAuthenticationType,
  KafkaSpecKafkaListenersType,
  KafkaSpecKafkaMetricsConfigType,
  KafkaSpecKafkaRackType,
  KafkaTopic,
} from '../imports/kafka.strimzi.io';
import { typedResources } from './pod-security';

export interface KafkaClusterProps {
  /** Strimzi cluster name; pods, services and secrets are named after it. */
  readonly name: string;
  /** Namespace of the cluster and its topics and users. */
  readonly namespace: string;
  /** Partitions and replication of the contracts topics (from the environment file). */
  readonly topics: TopicLayout;
  /** `dual-role`: every node is controller and broker (small); `separate-controllers`: dedicated KRaft quorum. */
  readonly layout: 'dual-role' | 'separate-controllers';
  /** KRaft controllers (the quorum); equals `brokers` for dual-role. */
  readonly controllers: number;
  /** Brokers. */
  readonly brokers: number;
  /** Persistent volume size per node. */
  readonly storageSize: string;
  /** Kafka container resources per node. */
  readonly resources: ResourceSize;
  /**
   * Port of the TLS + SCRAM-SHA-512 listener clients use.
   * @default CLUSTER_PORTS.kafkaTls (9093)
   */
  readonly clientPort?: number;
}

/**
 * Strimzi Kafka in KRaft mode: node pools, rack awareness by zone, TLS + SCRAM client listener with the simple
 * authorizer, Kafka Exporter, and one KafkaTopic per `brokerTopics(topics)` entry (main topics and retry/DLQ companions).
 */
export class KafkaCluster extends Construct {
  /** `host:port` clients bootstrap from. */
  public readonly bootstrapServers: string;
  /** Secret with the cluster CA certificate (`ca.crt`) clients trust. */
  public readonly caSecretName: string;
  /** Port of the client listener. */
  public readonly clientPort: number;

  constructor(scope: Construct, id: string, props: KafkaClusterProps) {
    super(scope, id);
    const { replicationFactor, minInSyncReplicas } = props.topics;
    validate(props, replicationFactor, minInSyncReplicas);
    this.clientPort = props.clientPort ?? CLUSTER_PORTS.kafkaTls;
    this.bootstrapServers = `${props.name}-kafka-bootstrap.${props.namespace}.svc:${this.clientPort}`;
    this.caSecretName = `${props.name}-cluster-ca-cert`;
    const clusterLabel = { 'strimzi.io/cluster': props.name };
    const small = { cpu: { request: '50m', limit: '500m' }, memory: { request: '256Mi', limit: '512Mi' } };

    new Kafka(this, 'kafka', {
      metadata: { name: props.name, namespace: props.namespace },
      spec: {
        kafka: {
          version: VERSIONS.kafka,
          listeners: [
            {
              name: 'tls',
              port: this.clientPort,
              type: KafkaSpecKafkaListenersType.INTERNAL,
              tls: true,
              authentication: { type: KafkaSpecKafkaListenersAuthenticationType.SCRAM_HYPHEN_SHA_HYPHEN_512 },
            },
          ],
          authorization: { type: KafkaSpecKafkaAuthorizationType.SIMPLE },
          rack: { type: KafkaSpecKafkaRackType.TOPOLOGY_HYPHEN_LABEL, topologyKey: 'topology.kubernetes.io/zone' },
          config: {
            'default.replication.factor': replicationFactor,
            'min.insync.replicas': minInSyncReplicas,
            'offsets.topic.replication.factor': replicationFactor,
            'transaction.state.log.replication.factor': replicationFactor,
            'transaction.state.log.min.isr': minInSyncReplicas,
            // Topics come only from KafkaTopic resources; a typo in a client must not create one.
            'auto.create.topics.enable': false,
            // Never trade acknowledged writes for availability.
            'unclean.leader.election.enable': false,
          },
          metricsConfig: {
            type: KafkaSpecKafkaMetricsConfigType.STRIMZI_METRICS_REPORTER,
            values: { allowList: ['kafka_server.*', 'kafka_network.*', 'kafka_controller.*', 'kafka_log.*'] },
          },
        },
        entityOperator: {
          topicOperator: {
            resources: typedResources(
              'KafkaCluster',
              small,
              KafkaSpecEntityOperatorTopicOperatorResourcesRequests.fromString,
              KafkaSpecEntityOperatorTopicOperatorResourcesLimits.fromString,
            ),
          },
          userOperator: {
            resources: typedResources(
              'KafkaCluster',
              small,
              KafkaSpecEntityOperatorUserOperatorResourcesRequests.fromString,
              KafkaSpecEntityOperatorUserOperatorResourcesLimits.fromString,
            ),
          },
        },
        kafkaExporter: {
          topicRegex: '.*',
          groupRegex: 'scalefu\\..*',
          resources: typedResources(
            'KafkaCluster',
            small,
            KafkaSpecKafkaExporterResourcesRequests.fromString,
            KafkaSpecKafkaExporterResourcesLimits.fromString,
          ),
        },
      },
    });

    const storage = {
      type: KafkaNodePoolSpecStorageType.JBOD,
      volumes: [
        {
          id: 0,
          type: KafkaNodePoolSpecStorageVolumesType.PERSISTENT_HYPHEN_CLAIM,
          size: props.storageSize,
          deleteClaim: false,
          kraftMetadata: KafkaNodePoolSpecStorageVolumesKraftMetadata.SHARED,
        },
      ],
    };
    const { CONTROLLER, BROKER } = KafkaNodePoolSpecRoles;
    const pools: { name: string; roles: KafkaNodePoolSpecRoles[]; replicas: number }[] =
      props.layout === 'dual-role'
        ? [{ name: 'dual-role', roles: [CONTROLLER, BROKER], replicas: props.brokers }]
        : [
            { name: 'controllers', roles: [CONTROLLER], replicas: props.controllers },
            { name: 'brokers', roles: [BROKER], replicas: props.brokers },
          ];
    for (const pool of pools) {
      new KafkaNodePool(this, `pool-${pool.name}`, {
        metadata: { name: pool.name, namespace: props.namespace, labels: clusterLabel },
        spec: {
          replicas: pool.replicas,
          roles: pool.roles,
          storage,
          resources: typedResources(
            'KafkaCluster',
            props.resources,
            KafkaNodePoolSpecResourcesRequests.fromString,
            KafkaNodePoolSpecResourcesLimits.fromString,
          ),
        },
      });
    }

    for (const topic of brokerTopics(props.topics)) {
      new KafkaTopic(this, `topic-${topic.name}`, {
        metadata: { name: topic.name, namespace: props.namespace, labels: clusterLabel },
        spec: {
          topicName: topic.name,
          partitions: topic.partitions,
          replicas: topic.replicationFactor,
          config: { ...topic.config },
        },
      });
    }
  }

  /** Ports of the Kafka pods other components need, by purpose (for the NetworkPolicy graph). */
  public static ports(clientPort: number = CLUSTER_PORTS.kafkaTls) {
    return { client: clientPort, ...KAFKA_PORTS };
  }
}

function validate(props: KafkaClusterProps, replicationFactor: number, minIsr: number): void {
  const where = `KafkaCluster(${props.name})`;
  if (props.brokers < replicationFactor) {
    invalid(where, `${props.brokers} broker(s) cannot hold replication factor ${replicationFactor}`);
  }
  if (replicationFactor > 1 && minIsr >= replicationFactor) {
    invalid(
      where,
      `min.insync.replicas ${minIsr} must be below replication factor ${replicationFactor} to survive a broker loss`,
    );
  }
  if (props.controllers % 2 === 0)
    invalid(where, `KRaft needs an odd number of controllers for a quorum, got ${props.controllers}`);
  if (props.layout === 'dual-role' && props.controllers !== props.brokers) {
    invalid(
      where,
      `dual-role nodes are both controller and broker, so controllers (${props.controllers}) must equal brokers (${props.brokers})`,
    );
  }
}
