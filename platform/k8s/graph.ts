/**
 * The declared dependency graph: who may open a connection to whom, on which port. NetworkPolicies are generated
 * from this and nothing else, and the reachability test checks the rendered policies against it.
 */
import {
  CLUSTER_PORTS,
  OTEL_COLLECTOR,
  SERVICE_DEPENDENCIES,
  SERVICE_NAMES,
  SERVICES,
  type Dependency,
} from '@scalefu/contracts';
import { GOOGLE_FRONT_END_RANGES, type Environment } from '../environments/index';
import { KafkaCluster } from './constructs/kafka-cluster';
import { selectorLabels } from './constructs/labels';
import { PostgresCluster } from './constructs/postgres-cluster';
import {
  APP_NAMESPACE,
  METRICS_PORTS,
  NETWORK_RANGES,
  OPERATOR_NAMESPACES,
  STORE_NAMES,
  UPSTREAM_POD_LABELS,
} from './facts';

export interface Port {
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP';
}

/** Pods selected by labels in one namespace. */
export interface PodPeer {
  readonly kind: 'pods';
  readonly id: string;
  readonly namespace: string;
  /** Labels that select these pods (and that the pods carry). */
  readonly labels: Readonly<Record<string, string>>;
  /** Whether the pods come from a workload rendered here (true) or are created by an operator / the platform. */
  readonly renderedHere: boolean;
}

/** Addresses outside the cluster. */
export interface CidrPeer {
  readonly kind: 'cidr';
  readonly id: string;
  readonly cidrs: readonly string[];
  readonly except?: readonly string[];
}

export type Peer = PodPeer | CidrPeer;

export interface Edge {
  readonly from: string;
  readonly to: string;
  readonly ports: readonly Port[];
  /** Why the path exists, rendered as an annotation so a reader of the policy sees the reason. */
  readonly why: string;
}

export interface DependencyGraph {
  /** Namespaces whose pods are default-denied and opened only by the edges below. */
  readonly policedNamespaces: readonly string[];
  readonly peers: readonly Peer[];
  readonly edges: readonly Edge[];
}

const tcp = (...ports: number[]): Port[] => ports.map((port) => ({ port, protocol: 'TCP' }));

export const DNS_PEER = 'kube-dns';

/** The graph of one cluster, derived from contracts (services, their dependencies, ports) and the environment. */
export function declaredGraph(environment: Environment): DependencyGraph {
  const ns = APP_NAMESPACE;
  const kafka = KafkaCluster.ports();
  const pg = PostgresCluster.ports();
  const own = (id: string, labels: Record<string, string>, renderedHere: boolean): PodPeer => ({
    kind: 'pods',
    id,
    namespace: ns,
    labels,
    renderedHere,
  });
  const external = (id: string, namespace: string, labels: Record<string, string>): PodPeer => ({
    kind: 'pods',
    id,
    namespace,
    labels,
    renderedHere: false,
  });
  const peers: Peer[] = [
    ...SERVICE_NAMES.map((s) => own(s, selectorLabels(s), true)),
    own('kafka', { ...UPSTREAM_POD_LABELS.kafkaBroker }, false),
    own('kafka-entity-operator', { ...UPSTREAM_POD_LABELS.kafkaEntityOperator }, false),
    own('kafka-exporter', { ...UPSTREAM_POD_LABELS.kafkaExporter }, false),
    own('postgres', { ...UPSTREAM_POD_LABELS.postgres }, false),
    own('redis', selectorLabels(STORE_NAMES.redis), true),
    own('redis-sentinel', selectorLabels(STORE_NAMES.redisSentinel), true),
    own('acme-solver', { ...UPSTREAM_POD_LABELS.acmeSolver }, false),
    external('prometheus', OPERATOR_NAMESPACES.monitoring, { ...UPSTREAM_POD_LABELS.prometheus }),
    external('otel-collector', OTEL_COLLECTOR.namespace, { ...UPSTREAM_POD_LABELS.otelCollector }),
    external('strimzi-operator', OPERATOR_NAMESPACES.strimzi, { ...UPSTREAM_POD_LABELS.strimziOperator }),
    external('cnpg-operator', OPERATOR_NAMESPACES.cloudnativePg, { ...UPSTREAM_POD_LABELS.cnpgOperator }),
    external('keda-operator', OPERATOR_NAMESPACES.keda, { ...UPSTREAM_POD_LABELS.kedaOperator }),
    external(DNS_PEER, 'kube-system', { ...UPSTREAM_POD_LABELS.kubeDns }),
    { kind: 'cidr', id: 'google-front-ends', cidrs: GOOGLE_FRONT_END_RANGES },
    // The GKE control plane's private range, defined once with the GCP facts (CDKTF creates it).
    { kind: 'cidr', id: 'kube-apiserver', cidrs: [environment.settings.controlPlaneCidr] },
    { kind: 'cidr', id: 'gke-metadata', cidrs: [NETWORK_RANGES.gkeMetadata] },
    {
      kind: 'cidr',
      id: 'internet',
      cidrs: ['0.0.0.0/0'],
      except: [...NETWORK_RANGES.private, NETWORK_RANGES.linkLocal],
    },
  ];

  const storeEdges: Record<Dependency, (from: string) => Edge[]> = {
    kafka: (from) => [{ from, to: 'kafka', ports: tcp(kafka.client), why: `${from} produces/consumes events` }],
    postgres: (from) => [{ from, to: 'postgres', ports: tcp(pg.postgres), why: `${from} stores users` }],
    redis: (from) => [
      { from, to: 'redis', ports: tcp(CLUSTER_PORTS.redis), why: `${from} reads and writes the cache` },
      {
        from,
        to: 'redis-sentinel',
        ports: tcp(CLUSTER_PORTS.redisSentinel),
        why: `${from} asks Sentinel for the primary`,
      },
    ],
    smtp: (from) => [
      { from, to: 'internet', ports: tcp(CLUSTER_PORTS.smtp), why: `${from} sends mail via the SMTP relay` },
    ],
  };

  const edges: Edge[] = [
    ...SERVICE_NAMES.flatMap((s) => SERVICE_DEPENDENCIES[s].flatMap((dep) => storeEdges[dep](s))),
    ...SERVICE_NAMES.filter((s) => SERVICES[s].kind === 'http-api').map((s) => ({
      from: 'google-front-ends',
      to: s,
      ports: tcp(SERVICES[s].port),
      why: 'the GKE Gateway load balancer sends public traffic and health checks straight to pods (NEG)',
    })),
    ...SERVICE_NAMES.map((s) => ({
      from: 'prometheus',
      to: s,
      ports: tcp(SERVICES[s].port),
      why: 'Prometheus scrapes /metrics',
    })),
    ...SERVICE_NAMES.map((s) => ({
      from: s,
      to: 'otel-collector',
      ports: tcp(OTEL_COLLECTOR.otlpHttpPort),
      why: 'exports trace spans over OTLP/HTTP to the OpenTelemetry Collector (on to Cloud Trace)',
    })),
    { from: 'prometheus', to: 'kafka', ports: tcp(kafka.metrics), why: 'broker metrics' },
    { from: 'prometheus', to: 'kafka-exporter', ports: tcp(kafka.metrics), why: 'consumer lag metrics' },
    { from: 'prometheus', to: 'postgres', ports: tcp(pg.metrics), why: 'postgres metrics' },
    { from: 'prometheus', to: 'redis', ports: tcp(METRICS_PORTS.redisExporter), why: 'redis exporter' },
    {
      from: 'kafka',
      to: 'kafka',
      ports: tcp(kafka.controlPlane, kafka.replication),
      why: 'KRaft quorum and replication',
    },
    { from: 'kafka', to: 'kube-apiserver', ports: tcp(443), why: 'rack-awareness init reads the node zone' },
    { from: 'kafka-entity-operator', to: 'kafka', ports: tcp(kafka.replication), why: 'topic and user operators' },
    { from: 'kafka-entity-operator', to: 'kube-apiserver', ports: tcp(443), why: 'watches KafkaTopic/KafkaUser' },
    { from: 'kafka-exporter', to: 'kafka', ports: tcp(kafka.replication), why: 'reads offsets for lag metrics' },
    {
      from: 'strimzi-operator',
      to: 'kafka',
      ports: tcp(kafka.controlPlane, kafka.replication, kafka.agent),
      why: 'Strimzi rolls and configures the brokers',
    },
    { from: 'keda-operator', to: 'kafka', ports: tcp(kafka.client), why: 'KEDA reads consumer lag' },
    { from: 'postgres', to: 'postgres', ports: tcp(pg.postgres, pg.status), why: 'streaming replication' },
    { from: 'postgres', to: 'kube-apiserver', ports: tcp(443), why: 'instance manager reconciles from the Cluster' },
    { from: 'postgres', to: 'gke-metadata', ports: tcp(80), why: 'Workload Identity token for backups' },
    { from: 'postgres', to: 'internet', ports: tcp(443), why: 'WAL archive and base backups to GCS' },
    { from: 'cnpg-operator', to: 'postgres', ports: tcp(pg.status), why: 'CloudNativePG reads instance status' },
    { from: 'redis', to: 'redis', ports: tcp(CLUSTER_PORTS.redis), why: 'replication' },
    {
      from: 'redis',
      to: 'redis-sentinel',
      ports: tcp(CLUSTER_PORTS.redisSentinel),
      why: 'start-up asks who is primary',
    },
    { from: 'redis-sentinel', to: 'redis', ports: tcp(CLUSTER_PORTS.redis), why: 'Sentinel monitors and promotes' },
    { from: 'redis-sentinel', to: 'redis-sentinel', ports: tcp(CLUSTER_PORTS.redisSentinel), why: 'Sentinel gossip' },
    {
      from: 'google-front-ends',
      to: 'acme-solver',
      ports: tcp(METRICS_PORTS.acmeSolver),
      why: 'ACME HTTP-01 challenges through the Gateway',
    },
  ];
  // Every pod in a policed namespace resolves names.
  for (const peer of peers) {
    if (peer.kind === 'pods' && peer.namespace === ns) {
      edges.push({
        from: peer.id,
        to: DNS_PEER,
        ports: [
          { port: CLUSTER_PORTS.dns, protocol: 'UDP' },
          { port: CLUSTER_PORTS.dns, protocol: 'TCP' },
        ],
        why: 'DNS',
      });
    }
  }
  return { policedNamespaces: [ns], peers, edges };
}
