/**
 * FAKE pods standing in for the ones operators and the platform create at run time (they are not in the rendered
 * manifests). Labels are the full sets the upstream projects put on them, not just the selectors we use, so a
 * selector that also catches a sibling (e.g. the Strimzi entity operator) shows up as an ambiguous mapping.
 */
import { APP_NAMESPACE, OPERATOR_NAMESPACES, STORE_NAMES } from '../facts';

export interface FakePod {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
}

const kafka = STORE_NAMES.kafka;
const strimziCommon = {
  'strimzi.io/cluster': kafka,
  'strimzi.io/kind': 'Kafka',
  'app.kubernetes.io/managed-by': 'strimzi-cluster-operator',
};

export const FAKE_UPSTREAM_PODS: readonly FakePod[] = [
  {
    name: 'fake-kafka-broker',
    namespace: APP_NAMESPACE,
    labels: {
      ...strimziCommon,
      'strimzi.io/name': `${kafka}-kafka`,
      'strimzi.io/component-type': 'kafka',
      'strimzi.io/pool-name': 'brokers',
      'strimzi.io/broker-role': 'true',
    },
  },
  {
    name: 'fake-kafka-controller',
    namespace: APP_NAMESPACE,
    labels: {
      ...strimziCommon,
      'strimzi.io/name': `${kafka}-kafka`,
      'strimzi.io/component-type': 'kafka',
      'strimzi.io/pool-name': 'controllers',
      'strimzi.io/controller-role': 'true',
    },
  },
  {
    name: 'fake-kafka-entity-operator',
    namespace: APP_NAMESPACE,
    labels: {
      ...strimziCommon,
      'strimzi.io/name': `${kafka}-entity-operator`,
      'strimzi.io/component-type': 'entity-operator',
    },
  },
  {
    name: 'fake-kafka-exporter',
    namespace: APP_NAMESPACE,
    labels: {
      ...strimziCommon,
      'strimzi.io/name': `${kafka}-kafka-exporter`,
      'strimzi.io/component-type': 'kafka-exporter',
    },
  },
  {
    name: 'fake-postgres-1',
    namespace: APP_NAMESPACE,
    labels: {
      'cnpg.io/cluster': STORE_NAMES.postgres,
      'cnpg.io/instanceName': `${STORE_NAMES.postgres}-1`,
      'cnpg.io/podRole': 'instance',
      role: 'primary',
    },
  },
  {
    name: 'fake-postgres-backup-job',
    namespace: APP_NAMESPACE,
    // Jobs CloudNativePG runs (initdb, join) carry the cluster label but not podRole=instance.
    labels: { 'cnpg.io/cluster': STORE_NAMES.postgres, 'cnpg.io/jobRole': 'initdb' },
  },
  {
    name: 'fake-acme-solver',
    namespace: APP_NAMESPACE,
    labels: {
      'acme.cert-manager.io/http01-solver': 'true',
      'acme.cert-manager.io/http-domain': '1234',
      'acme.cert-manager.io/http-token': '5678',
    },
  },
  {
    name: 'fake-prometheus',
    namespace: OPERATOR_NAMESPACES.monitoring,
    labels: {
      'app.kubernetes.io/name': 'prometheus',
      'app.kubernetes.io/instance': 'kube-prometheus-stack-prometheus',
      prometheus: 'kube-prometheus-stack-prometheus',
    },
  },
  {
    name: 'fake-otel-collector',
    namespace: OPERATOR_NAMESPACES.monitoring,
    // What the upstream opentelemetry-collector chart puts on its pods.
    labels: {
      'app.kubernetes.io/name': 'opentelemetry-collector',
      'app.kubernetes.io/instance': 'otel-collector',
      component: 'standalone-collector',
    },
  },
  {
    name: 'fake-grafana',
    namespace: OPERATOR_NAMESPACES.monitoring,
    labels: { 'app.kubernetes.io/name': 'grafana' },
  },
  {
    name: 'fake-strimzi-operator',
    namespace: OPERATOR_NAMESPACES.strimzi,
    labels: { name: 'strimzi-cluster-operator', 'strimzi.io/kind': 'cluster-operator' },
  },
  {
    name: 'fake-cnpg-operator',
    namespace: OPERATOR_NAMESPACES.cloudnativePg,
    labels: { 'app.kubernetes.io/name': 'cloudnative-pg', 'app.kubernetes.io/instance': 'cloudnative-pg' },
  },
  {
    name: 'fake-keda-operator',
    namespace: OPERATOR_NAMESPACES.keda,
    labels: { app: 'keda-operator', 'app.kubernetes.io/name': 'keda-operator' },
  },
  {
    name: 'fake-keda-metrics-server',
    namespace: OPERATOR_NAMESPACES.keda,
    labels: { app: 'keda-operator-metrics-apiserver', 'app.kubernetes.io/name': 'keda-operator-metrics-apiserver' },
  },
  { name: 'fake-kube-dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
  { name: 'fake-stranger', namespace: 'default', labels: { app: 'stranger' } },
];
