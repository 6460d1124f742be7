/** Helm values of the pinned operators; only what ScaleFu needs to differ from the chart defaults, with the reason. */
import { OTEL_COLLECTOR } from '@scalefu/contracts';
import { WORKLOAD_KSAS, type EnvironmentNames } from '../../environments/index';
import { APP_NAMESPACE, OTEL_COLLECTOR_IMAGE, type OperatorId } from '../facts';

/** Label and value the Grafana dashboard sidecar watches ConfigMaps for (the clusters' dashboards carry them). */
export const GRAFANA_DASHBOARD_LABEL = { name: 'grafana_dashboard', value: '1' } as const;
/** Annotation naming the Grafana folder a dashboard ConfigMap lands in. */
export const GRAFANA_FOLDER_ANNOTATION = 'grafana_folder';

export function operatorValues(id: OperatorId, names: EnvironmentNames): Record<string, unknown> {
  switch (id) {
    case 'strimzi':
      return {
        watchNamespaces: [APP_NAMESPACE],
        extraEnvs: [
          // Our NetworkPolicyGraph owns every policy; Strimzi's own would open listeners to all pods.
          { name: 'STRIMZI_NETWORK_POLICY_GENERATION', value: 'false' },
          // The app namespace enforces the restricted Pod Security Standard.
          { name: 'STRIMZI_POD_SECURITY_PROVIDER_CLASS', value: 'restricted' },
        ],
      };
    case 'cloudnativePg':
      return { crds: { create: true } };
    case 'certManager':
      return {
        crds: { enabled: true, keep: true },
        // HTTP-01 solvers attach HTTPRoutes to the Gateway.
        config: {
          apiVersion: 'controller.config.cert-manager.io/v1alpha1',
          kind: 'ControllerConfiguration',
          enableGatewayAPI: true,
        },
      };
    case 'externalSecrets':
      return {
        installCRDs: true,
        serviceAccount: {
          name: WORKLOAD_KSAS['external-secrets'].serviceAccount,
          annotations: { 'iam.gke.io/gcp-service-account': names.workloadServiceAccounts['external-secrets'] },
        },
      };
    case 'keda':
      return {};
    case 'monitoring':
      return {
        // Pick up ServiceMonitors/PodMonitors/PrometheusRules from every namespace, not only this release's.
        prometheus: {
          prometheusSpec: {
            serviceMonitorSelectorNilUsesHelmValues: false,
            podMonitorSelectorNilUsesHelmValues: false,
            ruleSelectorNilUsesHelmValues: false,
          },
        },
        // Alertmanager receives the PrometheusRule alerts; its receivers are configured per team in the cluster.
        alertmanager: { enabled: true },
        // Grafana (upstream chart, in the users' cluster only) loads the dashboards from the ConfigMaps rendered
        // into clusters/<env>/monitoring.k8s.yaml, which live in the app namespace.
        grafana: {
          enabled: true,
          sidecar: {
            dashboards: {
              enabled: true,
              label: GRAFANA_DASHBOARD_LABEL.name,
              labelValue: GRAFANA_DASHBOARD_LABEL.value,
              searchNamespace: 'ALL',
              folderAnnotation: GRAFANA_FOLDER_ANNOTATION,
              provider: { foldersFromFilesStructure: true },
            },
          },
        },
      };
    case 'otelCollector':
      return otelCollectorValues(names);
  }
}

/**
 * The clusters' OpenTelemetry Collector (ARCHITECTURE §11): OTLP/HTTP in on `OTEL_COLLECTOR.otlpHttpPort`, spans to
 * Google Cloud Trace and OTLP logs to Cloud Logging with the `googlecloud` exporter, authenticated by Workload
 * Identity as its own Google service account (roles/cloudtrace.agent + roles/logging.logWriter, see platform/gcp).
 * Sampling is decided in the services (parent-based, contracts' `TRACE_SAMPLING`), so the collector keeps all.
 */
function otelCollectorValues(names: EnvironmentNames): Record<string, unknown> {
  const ksa = WORKLOAD_KSAS['otel-collector'];
  const pipeline = { receivers: ['otlp'], processors: ['memory_limiter', 'resourcedetection', 'batch'] };
  return {
    mode: 'deployment',
    replicaCount: 2,
    // The Service (and so the address the services export to) is `OTEL_COLLECTOR.serviceName`.
    fullnameOverride: OTEL_COLLECTOR.serviceName,
    image: {
      repository: OTEL_COLLECTOR_IMAGE.repository,
      tag: OTEL_COLLECTOR_IMAGE.tag,
      ...(OTEL_COLLECTOR_IMAGE.digest ? { digest: OTEL_COLLECTOR_IMAGE.digest } : {}),
    },
    command: { name: OTEL_COLLECTOR_IMAGE.command },
    serviceAccount: {
      create: true,
      name: ksa.serviceAccount,
      annotations: { 'iam.gke.io/gcp-service-account': names.workloadServiceAccounts['otel-collector'] },
    },
    // Only OTLP/HTTP: the chart's default Jaeger, Zipkin and gRPC receivers would be open ports nobody uses.
    ports: {
      'otlp-http': {
        enabled: true,
        containerPort: OTEL_COLLECTOR.otlpHttpPort,
        servicePort: OTEL_COLLECTOR.otlpHttpPort,
      },
      otlp: { enabled: false },
      'jaeger-compact': { enabled: false },
      'jaeger-thrift': { enabled: false },
      'jaeger-grpc': { enabled: false },
      zipkin: { enabled: false },
    },
    resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } },
    // Merged over the chart's default config. Its other receivers (Jaeger, Zipkin, Prometheus) are in no pipeline
    // we define, so the collector never starts them; their ports stay closed above. (cdk8s drops nulls, so they
    // cannot be deleted here.)
    config: {
      receivers: {
        otlp: { protocols: { http: { endpoint: `\${env:MY_POD_IP}:${OTEL_COLLECTOR.otlpHttpPort}` } } },
      },
      processors: {
        memory_limiter: { check_interval: '1s', limit_percentage: 80, spike_limit_percentage: 25 },
        resourcedetection: { detectors: ['gcp'], timeout: '10s' },
        batch: {},
      },
      exporters: { googlecloud: { log: { default_log_name: 'scalefu' } } },
      service: {
        pipelines: {
          traces: { ...pipeline, exporters: ['googlecloud'] },
          logs: { ...pipeline, exporters: ['googlecloud'] },
        },
      },
    },
  };
}
