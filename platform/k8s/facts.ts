/**
 * Facts the Kubernetes side needs that are not (yet) in `@scalefu/contracts` or `platform/environments`.
 * Each is stated once here; see the "facts for contracts" list in platform/README.md for the ones that
 * should move to the contracts package.
 */
import { OTEL_COLLECTOR, REDIS_SENTINEL_MASTER_SET, SOURCE_REPO, VERSIONS } from '@scalefu/contracts';
import { EXTERNAL_SECRETS_NAMESPACE, POSTGRES_CLUSTER_NAME } from '../environments/index';
import { THIRD_PARTY_IMAGES, pinnedImage } from './third-party-images';

/** The one namespace ScaleFu workloads and their data stores share (ADR 0010); defined with the GCP side's KSAs. */
export { APP_NAMESPACE } from '../environments/index';

/** Namespaces the pinned operators are installed into by their Argo CD Applications. */
export const OPERATOR_NAMESPACES = {
  strimzi: 'strimzi',
  cloudnativePg: 'cnpg-system',
  certManager: 'cert-manager',
  externalSecrets: EXTERNAL_SECRETS_NAMESPACE,
  keda: 'keda',
  monitoring: 'monitoring',
  otelCollector: OTEL_COLLECTOR.namespace,
} as const;
export type OperatorId = keyof typeof OPERATOR_NAMESPACES;

/** Names of the operated data stores; client connection strings and NetworkPolicy peers derive from these. */
export const STORE_NAMES = {
  kafka: 'scalefu-kafka',
  postgres: POSTGRES_CLUSTER_NAME,
  redis: 'redis',
  redisSentinel: 'redis-sentinel',
  /** Sentinel's name for the monitored primary. */
  redisMasterSet: REDIS_SENTINEL_MASTER_SET,
  postgresDatabase: 'scalefu_user',
  postgresOwner: 'scalefu_user',
} as const;

/**
 * How every ScaleFu pod stops on a rollout or node drain. On SIGTERM the service kit turns /readyz 503 and waits
 * `drainSeconds` (so the load balancer and endpoints stop sending), closes the listener, then gives in-flight
 * work up to `timeoutSeconds`. The pod's grace period is their sum plus `marginSeconds`, so the kubelet never
 * SIGKILLs a shutdown that keeps to its budget.
 */
export const SHUTDOWN_TIMING = { drainSeconds: 5, timeoutSeconds: 20, marginSeconds: 5 } as const;

/** Strimzi listener ports (fixed by Strimzi) plus the client listener ScaleFu declares. */
export const KAFKA_PORTS = { controlPlane: 9090, replication: 9091, agent: 8443, metrics: 9404 } as const;

/** Exporter / metrics ports of the operated stores. */
export const METRICS_PORTS = { postgres: 9187, redisExporter: 9121, cnpgStatus: 8000, acmeSolver: 8089 } as const;

/** Upstream images for Redis (official image) and its Prometheus exporter, pinned by digest in the lock table. */
export const REDIS_IMAGES = {
  redis: pinnedImage('redis'),
  exporter: pinnedImage('redisExporter'),
} as const;

/**
 * CloudNativePG operand image (PostgreSQL `VERSIONS.postgresMajor`), pinned by digest in the lock table; the `system`
 * flavour because it carries barman-cloud for GCS backups. CNPG reads the major from the tag, so tag and digest both.
 */
export const POSTGRES_IMAGE = pinnedImage('postgres');

/**
 * The OpenTelemetry Collector image: the contrib distribution, because the `googlecloud` exporter and the `gcp`
 * resource detector live there. Tag from the lock table; its digest too once the lock table has one.
 */
export const OTEL_COLLECTOR_IMAGE = {
  repository: THIRD_PARTY_IMAGES.otelCollector.image.replace(/^docker\.io\//, ''),
  tag: THIRD_PARTY_IMAGES.otelCollector.tag,
  digest: THIRD_PARTY_IMAGES.otelCollector.digest,
  command: 'otelcol-contrib',
} as const;

/** Argo CD's metrics Service (application controller), which the deploy annotations read `argocd_app_sync_total` from. */
export const ARGOCD_METRICS = {
  namespace: 'argocd',
  selector: { 'app.kubernetes.io/name': 'argocd-metrics' },
  port: 'metrics',
} as const;

/** Git repository Argo CD syncs; the AppProject allows only this repo and the pinned Helm repositories. */
export const GITOPS_REPO = SOURCE_REPO;

/**
 * Helm charts of the upstream operators. `appVersion` comes from contracts (the versions whose CRDs sit in
 * ../shared/crds); `chartVersion` is the chart release that ships exactly that app version.
 */
export const OPERATOR_CHARTS: Readonly<
  Record<OperatorId, { repoURL: string; chart: string; chartVersion: string; appVersion: string }>
> = {
  strimzi: {
    repoURL: 'https://strimzi.io/charts/',
    chart: 'strimzi-kafka-operator',
    chartVersion: VERSIONS.operators.strimzi,
    appVersion: VERSIONS.operators.strimzi,
  },
  cloudnativePg: {
    repoURL: 'https://cloudnative-pg.github.io/charts',
    chart: 'cloudnative-pg',
    chartVersion: '0.29.0',
    appVersion: VERSIONS.operators.cloudnativePg,
  },
  certManager: {
    repoURL: 'https://charts.jetstack.io',
    chart: 'cert-manager',
    chartVersion: `v${VERSIONS.operators.certManager}`,
    appVersion: VERSIONS.operators.certManager,
  },
  externalSecrets: {
    repoURL: 'https://charts.external-secrets.io',
    chart: 'external-secrets',
    chartVersion: VERSIONS.operators.externalSecrets,
    appVersion: VERSIONS.operators.externalSecrets,
  },
  keda: {
    repoURL: 'https://kedacore.github.io/charts',
    chart: 'keda',
    chartVersion: VERSIONS.operators.keda,
    appVersion: VERSIONS.operators.keda,
  },
  monitoring: {
    repoURL: 'https://prometheus-community.github.io/helm-charts',
    chart: 'kube-prometheus-stack',
    chartVersion: '88.0.0',
    appVersion: VERSIONS.operators.prometheusOperator,
  },
  // Not an operator: the collector itself (traces -> Cloud Trace, logs -> Cloud Logging), pinned the same way.
  otelCollector: {
    repoURL: 'https://open-telemetry.github.io/opentelemetry-helm-charts',
    chart: 'opentelemetry-collector',
    chartVersion: '0.127.2',
    appVersion: OTEL_COLLECTOR_IMAGE.tag,
  },
};

/** Labels the upstream operators put on the pods they run; NetworkPolicy peers select on these. */
export const UPSTREAM_POD_LABELS = {
  strimziOperator: { 'strimzi.io/kind': 'cluster-operator' },
  cnpgOperator: { 'app.kubernetes.io/name': 'cloudnative-pg' },
  kedaOperator: { 'app.kubernetes.io/name': 'keda-operator' },
  prometheus: { 'app.kubernetes.io/name': 'prometheus' },
  /** Pods of the upstream opentelemetry-collector chart (its chart name; OTEL_COLLECTOR in contracts). */
  otelCollector: { 'app.kubernetes.io/name': 'opentelemetry-collector' },
  kubeDns: { 'k8s-app': 'kube-dns' },
  // All node-pool pods (brokers and controllers) carry `<cluster>-kafka` as strimzi.io/name; the entity operator
  // and exporter share cluster and kind labels, so the name is what tells them apart.
  kafkaBroker: {
    'strimzi.io/cluster': STORE_NAMES.kafka,
    'strimzi.io/kind': 'Kafka',
    'strimzi.io/name': `${STORE_NAMES.kafka}-kafka`,
  },
  kafkaEntityOperator: { 'strimzi.io/name': `${STORE_NAMES.kafka}-entity-operator` },
  kafkaExporter: { 'strimzi.io/name': `${STORE_NAMES.kafka}-kafka-exporter` },
  // Instances and CloudNativePG's bootstrap/join jobs alike: both reach the API server and the other instances.
  postgres: { 'cnpg.io/cluster': STORE_NAMES.postgres },
  acmeSolver: { 'acme.cert-manager.io/http01-solver': 'true' },
} as const;

/** Address ranges outside the cluster that pods talk to or hear from. */
export const NETWORK_RANGES = {
  /** Private address space: excluded from "the internet" so internet egress never reaches in-cluster peers. */
  private: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'],
  /** Link-local range (metadata servers): never part of "the internet". */
  linkLocal: '169.254.0.0/16',
  /** GKE metadata server (Workload Identity token exchange). */
  gkeMetadata: '169.254.169.254/32',
} as const;

/** ACME account e-mail for Let's Encrypt expiry notices. */
export const ACME_EMAIL = 'platform@jadepalace.co.th';
