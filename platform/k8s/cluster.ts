/** Assembles one cluster from the constructs and an environment file: one chart per component, one file per chart. */
import {
  RUNTIME_ENV,
  SERVICE_DEPENDENCIES,
  SERVICE_NAMES,
  SERVICES,
  imageRef,
  serviceRoutes,
} from '@scalefu/contracts';
import { renderDashboards, rulesDocument } from '@scalefu/dashboards';
import { App, Chart, YamlOutputType } from 'cdk8s';
import { WORKLOAD_KSAS, gcpOutputsOf, type Environment } from '../environments/index';
import { Edge } from './constructs/edge';
import { KafkaCluster } from './constructs/kafka-cluster';
import { KafkaServiceUser } from './constructs/kafka-acls';
import { NetworkPolicyGraph } from './constructs/network-policy-graph';
import { Observability } from './constructs/observability';
import { PlatformNamespace } from './constructs/platform-namespace';
import { PostgresCluster } from './constructs/postgres-cluster';
import { RedisFailover } from './constructs/redis-failover';
import { OPERATIONAL_PATHS, ScaleFuService } from './constructs/scalefu-service';
import { SecretsStore } from './constructs/secrets-store';
import { ACME_EMAIL, APP_NAMESPACE, ARGOCD_METRICS, STORE_NAMES, UPSTREAM_POD_LABELS } from './facts';
import { GRAFANA_DASHBOARD_LABEL, GRAFANA_FOLDER_ANNOTATION } from './gitops/operator-values';
import { declaredGraph } from './graph';
import { wiringOf } from './service-wiring';
import { PodMonitor } from './imports/monitoring.coreos.com';

/**
 * Sync-wave of each chart, read by the Argo CD Application generator. Operators are at -3; the namespace goes first
 * because the Strimzi chart creates its RoleBindings in the namespace it watches.
 */
export const CHART_WAVES: Readonly<Record<string, number>> = {
  namespaces: -4,
  'network-policies': -1,
  secrets: -1,
  kafka: 0,
  postgres: 0,
  redis: 0,
  edge: 1,
  monitoring: 1,
  ...Object.fromEntries(SERVICE_NAMES.map((s) => [s, 2])),
};

export function buildCluster(environment: Environment, outdir?: string): App {
  const { settings, kubernetes: k8s } = environment;
  const app = new App({
    outdir: outdir ?? `clusters/${settings.name}`,
    yamlOutputType: YamlOutputType.FILE_PER_CHART,
  });
  const chart = (name: string) => {
    if (!(name in CHART_WAVES)) throw new Error(`chart "${name}" has no sync wave in CHART_WAVES`);
    return new Chart(app, name, { disableResourceNameHashes: true });
  };
  const names = gcpOutputsOf(settings);
  const ns = APP_NAMESPACE;

  new PlatformNamespace(chart('namespaces'), 'scalefu', { name: ns, ...k8s.quota });
  new NetworkPolicyGraph(chart('network-policies'), 'graph', { graph: declaredGraph(environment) });

  const secrets = chart('secrets');
  const store = new SecretsStore(secrets, 'store', {
    projectId: settings.projectId,
    clusterName: settings.clusterName,
    clusterLocation: settings.region,
    serviceAccount: {
      name: WORKLOAD_KSAS['external-secrets'].serviceAccount,
      namespace: WORKLOAD_KSAS['external-secrets'].namespace,
    },
  });
  const postgresOwner = store.syncSecret(secrets, 'postgres-owner', {
    name: 'postgres-app-credentials',
    namespace: ns,
    type: 'kubernetes.io/basic-auth',
    remote: { password: names.secretIds['postgres-app'] },
    template: { username: STORE_NAMES.postgresOwner, password: '{{ .password }}' },
  });
  const redisAuth = store.syncSecret(secrets, 'redis-auth', {
    name: 'redis-auth',
    namespace: ns,
    remote: { password: names.secretIds['redis-auth'] },
  });

  const kafka = new KafkaCluster(chart('kafka'), 'kafka', {
    name: STORE_NAMES.kafka,
    namespace: ns,
    ...k8s.kafka,
  });
  const postgres = new PostgresCluster(chart('postgres'), 'postgres', {
    name: STORE_NAMES.postgres,
    namespace: ns,
    instances: k8s.postgres.instances,
    storageSize: k8s.postgres.storageSize,
    resources: k8s.postgres.resources,
    backupRetention: k8s.postgres.backupRetention,
    database: STORE_NAMES.postgresDatabase,
    owner: STORE_NAMES.postgresOwner,
    ownerSecretName: postgresOwner.secretName,
    backupBucket: names.buckets.postgresBackups,
    backupServiceAccount: names.workloadServiceAccounts['postgres-backup'],
  });
  const redis = new RedisFailover(chart('redis'), 'redis', {
    name: STORE_NAMES.redis,
    namespace: ns,
    masterSet: STORE_NAMES.redisMasterSet,
    passwordSecretName: redisAuth.secretName,
    highAvailability: k8s.highAvailability,
    ...k8s.redis,
  });

  new Edge(chart('edge'), 'edge', {
    namespace: ns,
    issuer: k8s.acmeIssuer,
    acmeEmail: ACME_EMAIL,
    cloudArmorPolicy: names.apiArmorPolicyName,
    addressName: names.gatewayAddressName,
    // The contracts' route table, the same one the local edge serves (the static site is the CDN's, not the Gateway's).
    routes: serviceRoutes().map((route) => ({
      service: route.backend.service,
      port: SERVICES[route.backend.service].port,
      host: names.hosts[route.host],
      pathPrefixes: route.pathPrefixes,
      healthCheckPath: OPERATIONAL_PATHS.ready,
    })),
  });

  const monitoring = chart('monitoring');
  for (const [id, name, selector] of [
    ['kafka', `${STORE_NAMES.kafka}-kafka`, UPSTREAM_POD_LABELS.kafkaBroker],
    ['kafka-exporter', `${STORE_NAMES.kafka}-kafka-exporter`, UPSTREAM_POD_LABELS.kafkaExporter],
  ] as const) {
    new PodMonitor(monitoring, id, {
      metadata: { name, namespace: ns },
      spec: {
        selector: { matchLabels: { ...selector } },
        podMetricsEndpoints: [{ port: 'tcp-prometheus', interval: '30s' }],
      },
    });
  }

  new Observability(monitoring, 'observability', {
    namespace: ns,
    dashboards: renderDashboards(),
    rules: rulesDocument(),
    dashboardLabel: GRAFANA_DASHBOARD_LABEL,
    folderAnnotation: GRAFANA_FOLDER_ANNOTATION,
    argoCdMetrics: ARGOCD_METRICS,
  });

  const stores = {
    postgresHost: postgres.primaryHost,
    redisHeadless: `${redis.headlessService}.${ns}.svc`,
    redisSentinels: redis.sentinelAddress,
    namespace: ns,
  };
  for (const service of SERVICE_NAMES) {
    const scope = chart(service);
    const user = new KafkaServiceUser(scope, 'kafka-user', { service, clusterName: STORE_NAMES.kafka, namespace: ns });
    const wiring = wiringOf(service, settings, stores);
    const env = Object.keys(wiring.remote).length
      ? store.syncSecret(scope, 'env', {
          name: `${service}-env`,
          namespace: ns,
          remote: wiring.remote,
          template: wiring.secretTemplate,
        })
      : undefined;
    const o = k8s.services[service];
    new ScaleFuService(scope, 'service', {
      service,
      environment: settings.name,
      topics: k8s.kafka.topics,
      namespace: ns,
      image: imageRef(names.imageRegistry, service, settings.imageTag, settings.imageDigests[service]),
      minReplicas: o.minReplicas,
      maxReplicas: o.maxReplicas,
      resources: o.resources,
      highAvailability: k8s.highAvailability,
      caCertificates: [
        ...(SERVICE_DEPENDENCIES[service].includes('postgres')
          ? [{ name: 'postgres', secretName: postgres.caSecretName }]
          : []),
        ...(SERVICE_DEPENDENCIES[service].includes('redis') ? [{ name: 'redis', secretName: redis.caSecretName }] : []),
      ],
      gcpServiceAccount: names.workloadServiceAccounts[service],
      kafka: {
        bootstrapServers: kafka.bootstrapServers,
        caSecretName: kafka.caSecretName,
        userSecretName: user.secretName,
      },
      config: { [RUNTIME_ENV.logLevel]: k8s.logLevel, ...wiring.config },
      secretEnv: env ? Object.fromEntries(env.keys.map((key) => [key, { secretName: env.secretName, key }])) : {},
    });
  }
  return app;
}
