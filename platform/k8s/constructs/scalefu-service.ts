import { createHash } from 'node:crypto';
import {
  OTEL_COLLECTOR_TRACES_URL,
  RUNTIME_ENV,
  SERVICES,
  SERVICE_MEMORY_LIMIT_FLOOR_MIB,
  TRACE_SAMPLING,
  consumerGroupOf,
  topicsConsumedBy,
  type ServiceName,
  type ServiceSpec,
  type TopicLayout,
} from '@scalefu/contracts';
import { ApiObject, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { ClusterEnvironment, ResourceSize } from '../../environments/index';
import { SHUTDOWN_TIMING } from '../facts';
import { appLabels, invalid, memoryMebibytes, selectorLabels } from './labels';
import { NON_ROOT_UID, hostAntiAffinity, resourceRequirements, zoneSpread } from './pod-security';
import { WAIVER_REASONS, waiverAnnotations } from './scanner-waivers';
import { ScaledObject, TriggerAuthentication } from '../imports/keda.sh';
import { ServiceMonitor, ServiceMonitorSpecEndpointsScheme } from '../imports/monitoring.coreos.com';

/** Pod-template annotation carrying a hash of the service's ConfigMap data. */
export const CONFIG_HASH_ANNOTATION = 'scalefu.th/config-hash';

function configHashOf(data: Readonly<Record<string, string>>): string {
  const canonical = JSON.stringify(
    Object.keys(data)
      .sort()
      .map((k) => [k, data[k]]),
  );
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

/** How a service reaches Kafka: bootstrap address, cluster CA and its own SCRAM user. */
export interface KafkaClientConnection {
  /** `host:port` of the TLS + SCRAM listener. */
  readonly bootstrapServers: string;
  /** Secret holding the cluster CA certificate under `ca.crt` (Strimzi's `<cluster>-cluster-ca-cert`). */
  readonly caSecretName: string;
  /** Secret Strimzi creates for the service's KafkaUser, with the SCRAM password under `password`. */
  readonly userSecretName: string;
}

/** A Secret key exposed to the container as an env var. */
export interface SecretEnvRef {
  /** Secret name. */
  readonly secretName: string;
  /** Key inside the Secret. */
  readonly key: string;
}

/** Seconds a pod gets to stop: drain, then in-flight work, then a margin before the kubelet kills it. */
export interface ShutdownTiming {
  /** Seconds /readyz answers 503 before the listener closes (`SHUTDOWN_DRAIN_SECONDS`). */
  readonly drainSeconds: number;
  /** Seconds in-flight work may take after the drain (`SHUTDOWN_TIMEOUT_SECONDS`). */
  readonly timeoutSeconds: number;
  /** Seconds added on top of both for the pod's `terminationGracePeriodSeconds`. */
  readonly marginSeconds: number;
}

export interface ScaleFuServiceProps {
  /** Which app this is; port and kind (http-api or consumer) come from contracts. */
  readonly service: ServiceName;
  /** Environment name, passed to the app as `SCALEFU_ENV`. */
  readonly environment: ClusterEnvironment;
  /** The environment's topic layout: a consumer never scales above the partitions of what it reads. */
  readonly topics: TopicLayout;
  /** Namespace to deploy into. */
  readonly namespace: string;
  /** Full, pinned image reference (from `imageRef`); `latest` is refused. */
  readonly image: string;
  /** Fewest replicas. */
  readonly minReplicas: number;
  /** Most replicas; for a consumer never above the partitions of the topics it reads. */
  readonly maxReplicas: number;
  /** Container requests and limits. */
  readonly resources: ResourceSize;
  /** Kafka connection details. */
  readonly kafka: KafkaClientConnection;
  /**
   * Extra non-secret environment (rendered into the service's ConfigMap).
   * @default {}
   */
  readonly config?: Readonly<Record<string, string>>;
  /**
   * Secret environment, by env var name.
   * @default {}
   */
  readonly secretEnv?: Readonly<Record<string, SecretEnvRef>>;
  /**
   * CA certificates the service verifies its data stores with (TLS, full verification): each secret's `ca.crt` (and
   * nothing else of it) is mounted at `caCertificatePath(name)`.
   * @default []
   */
  readonly caCertificates?: readonly { readonly name: string; readonly secretName: string }[];
  /**
   * Google service account the pod acts as through Workload Identity.
   * @default - no Workload Identity binding
   */
  readonly gcpServiceAccount?: string;
  /**
   * Require at least two replicas and a hard zone spread (prod).
   * @default false
   */
  readonly highAvailability?: boolean;
  /**
   * Consumer lag per replica above which KEDA adds a replica.
   * @default 100
   */
  readonly lagThreshold?: number;
  /**
   * Average CPU utilisation the HPA of an HTTP service aims for, in percent.
   * @default 70
   */
  readonly targetCpuUtilization?: number;
  /**
   * Graceful-shutdown budget, passed to the app and turned into the pod's grace period.
   * @default SHUTDOWN_TIMING from facts
   */
  readonly shutdown?: ShutdownTiming;
  /**
   * Share (0..1) of new root traces kept; parent-based, so a kept trace is kept by every hop. Spans go over OTLP to
   * the monitoring namespace's OpenTelemetry Collector (Cloud Trace).
   * @default TRACE_SAMPLING.clusterRatio (10 %)
   */
  readonly traceSampleRatio?: number;
}

/** The pod's `terminationGracePeriodSeconds`: drain + in-flight timeout + margin. */
export function terminationGraceSeconds(shutdown: ShutdownTiming): number {
  return shutdown.drainSeconds + shutdown.timeoutSeconds + shutdown.marginSeconds;
}

/**
 * The service kit's operational endpoints. Restated here rather than imported because platform depends on
 * contracts only, never on the kit: a rename in the kit must be made here too (the policy test pins the paths).
 */
export const OPERATIONAL_PATHS = { live: '/healthz', ready: '/readyz', metrics: '/metrics' } as const;
const KAFKA_CA_DIR = '/etc/scalefu/kafka-ca';

/** Where a data store's CA certificate is mounted in a ScaleFu pod (`caCertificates`). */
export function caCertificatePath(name: string): string {
  return `/etc/scalefu/${name}-ca/ca.crt`;
}

/**
 * One ScaleFu app: Deployment, Service, autoscaler (HPA for HTTP APIs, KEDA lag scaler for consumers), PDB,
 * ServiceMonitor, ConfigMap, service account. Pods run under the restricted Pod Security Standard.
 */
export class ScaleFuService extends Construct {
  /** Contracts entry of the service (port, kind). */
  public readonly spec: ServiceSpec;
  /** Labels on every pod of the service; what Services, PDBs and NetworkPolicies select. */
  public readonly podLabels: Readonly<Record<string, string>>;
  /** Name of the ConfigMap holding the service's non-secret environment. */
  public readonly configMapName: string;

  private readonly props: ScaleFuServiceProps;
  private readonly shutdown: ShutdownTiming;

  constructor(scope: Construct, id: string, props: ScaleFuServiceProps) {
    super(scope, id);
    this.props = props;
    this.spec = SERVICES[props.service];
    this.shutdown = props.shutdown ?? SHUTDOWN_TIMING;
    validate(props, this.spec, this.shutdown);
    const name = props.service;
    this.podLabels = selectorLabels(name);
    const labels = appLabels(name, this.spec.kind === 'http-api' ? 'api' : 'consumer');
    this.configMapName = `${name}-config`;

    const serviceAccount = new kplus.ServiceAccount(this, 'service-account', {
      metadata: {
        name,
        namespace: props.namespace,
        labels,
        ...(props.gcpServiceAccount
          ? { annotations: { 'iam.gke.io/gcp-service-account': props.gcpServiceAccount } }
          : {}),
      },
      // The apps never call the Kubernetes API; Workload Identity works without a mounted token.
      automountToken: false,
    });

    const plainEnvironment = this.plainEnvironment();
    const configMap = new kplus.ConfigMap(this, 'config', {
      metadata: { name: this.configMapName, namespace: props.namespace, labels },
      data: plainEnvironment,
    });

    const deployment = this.renderDeployment(labels, serviceAccount, configMap, configHashOf(plainEnvironment));
    new kplus.Service(this, 'service', {
      metadata: { name, namespace: props.namespace, labels },
      selector: deployment,
      ports: [{ name: 'http', port: this.spec.port, targetPort: this.spec.port }],
    });
    if (this.spec.kind === 'http-api') this.scaleOnCpu(deployment);
    else this.scaleOnConsumerLag(deployment, labels);

    new kplus.k8s.KubePodDisruptionBudget(this, 'pdb', {
      metadata: { name, namespace: props.namespace, labels },
      spec: {
        // With one replica (dev) maxUnavailable still lets a node drain; with more it keeps all but one serving.
        maxUnavailable: kplus.k8s.IntOrString.fromNumber(1),
        selector: { matchLabels: { ...this.podLabels } },
        // A crash-looping pod must not block a node drain: evicting it cannot make availability worse.
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
    });

    new ServiceMonitor(this, 'service-monitor', {
      metadata: { name, namespace: props.namespace, labels },
      spec: {
        selector: { matchLabels: { ...this.podLabels } },
        endpoints: [
          {
            port: 'http',
            path: OPERATIONAL_PATHS.metrics,
            interval: '15s',
            scheme: ServiceMonitorSpecEndpointsScheme.HTTP,
          },
        ],
      },
    });
  }

  /** Kafka topics whose consumer lag drives this service's replica count (empty for HTTP APIs). */
  public lagTopics(): string[] {
    return this.spec.kind === 'consumer' ? topicsConsumedBy(this.props.service).map((t) => t.name) : [];
  }

  private plainEnvironment(): Record<string, string> {
    const { props } = this;
    const env: Record<string, string> = {
      [RUNTIME_ENV.port]: String(this.spec.port),
      [RUNTIME_ENV.environment]: props.environment,
      [RUNTIME_ENV.kafkaBrokers]: props.kafka.bootstrapServers,
      [RUNTIME_ENV.kafkaSsl]: 'true',
      [RUNTIME_ENV.kafkaSslCaFile]: `${KAFKA_CA_DIR}/ca.crt`,
      [RUNTIME_ENV.kafkaSaslUsername]: props.service,
      [RUNTIME_ENV.shutdownDrainSeconds]: String(this.shutdown.drainSeconds),
      [RUNTIME_ENV.shutdownTimeoutSeconds]: String(this.shutdown.timeoutSeconds),
      [RUNTIME_ENV.otelServiceName]: props.service,
      [RUNTIME_ENV.otelTracesExporter]: 'otlp',
      [RUNTIME_ENV.otelTracesEndpoint]: OTEL_COLLECTOR_TRACES_URL,
      [RUNTIME_ENV.otelTracesSamplerArg]: String(props.traceSampleRatio ?? TRACE_SAMPLING.clusterRatio),
      ...props.config,
    };
    return Object.fromEntries(Object.entries(env).sort(([a], [b]) => a.localeCompare(b)));
  }

  private renderDeployment(
    labels: Record<string, string>,
    serviceAccount: kplus.ServiceAccount,
    configMap: kplus.ConfigMap,
    configHash: string,
  ): kplus.Deployment {
    const { props, spec } = this;
    const deployment = new kplus.Deployment(this, 'deployment', {
      metadata: {
        name: props.service,
        namespace: props.namespace,
        labels,
        annotations: waiverAnnotations({
          checkov: {
            CKV_K8S_35: WAIVER_REASONS.secretsAsEnv,
            ...(props.image.includes('@sha256:') ? {} : { CKV_K8S_43: WAIVER_REASONS.noDigestYet }),
          },
          kubeScore: spec.kind === 'consumer' ? { 'deployment-replicas': WAIVER_REASONS.kedaReplicas } : {},
        }),
      },
      // envFrom is read at container start only: the hash makes a config change in git roll the pods.
      podMetadata: { labels, annotations: { [CONFIG_HASH_ANNOTATION]: configHash } },
      select: false,
      serviceAccount,
      automountServiceAccountToken: false,
      securityContext: { ensureNonRoot: true, user: NON_ROOT_UID, group: NON_ROOT_UID, fsGroup: NON_ROOT_UID },
      terminationGracePeriod: Duration.seconds(terminationGraceSeconds(this.shutdown)),
      strategy: kplus.DeploymentStrategy.rollingUpdate({
        maxSurge: kplus.PercentOrAbsolute.percent(25),
        maxUnavailable: kplus.PercentOrAbsolute.absolute(0),
      }),
    });
    deployment.select(kplus.LabelSelector.of({ labels: { ...this.podLabels } }));

    const http = { port: spec.port };
    const container = deployment.addContainer({
      name: props.service,
      image: props.image,
      // Always: with a digest the kubelet only re-checks the manifest, and a tag can never run stale bits.
      imagePullPolicy: kplus.ImagePullPolicy.ALWAYS,
      ports: [{ name: 'http', number: spec.port }],
      envFrom: [kplus.Env.fromConfigMap(configMap)],
      securityContext: {
        ensureNonRoot: true,
        user: NON_ROOT_UID,
        group: NON_ROOT_UID,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        privileged: false,
        capabilities: { drop: [kplus.Capability.ALL] },
        seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
      },
      startup: kplus.Probe.fromHttpGet(OPERATIONAL_PATHS.live, {
        ...http,
        periodSeconds: Duration.seconds(2),
        failureThreshold: 30,
      }),
      liveness: kplus.Probe.fromHttpGet(OPERATIONAL_PATHS.live, { ...http, periodSeconds: Duration.seconds(10) }),
      readiness: kplus.Probe.fromHttpGet(OPERATIONAL_PATHS.ready, {
        ...http,
        periodSeconds: Duration.seconds(5),
        failureThreshold: 2,
      }),
    });
    container.env.addVariable(
      RUNTIME_ENV.kafkaSaslPassword,
      kplus.EnvValue.fromSecretValue({
        secret: kplus.Secret.fromSecretName(this, 'kafka-user-secret', props.kafka.userSecretName),
        key: 'password',
      }),
    );
    for (const [envName, ref] of Object.entries(props.secretEnv ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
      container.env.addVariable(
        envName,
        kplus.EnvValue.fromSecretValue({
          secret: kplus.Secret.fromSecretName(this, `secret-${envName}`, ref.secretName),
          key: ref.key,
        }),
      );
    }
    // A read-only root filesystem still needs a scratch directory for Node's temp files.
    container.mount('/tmp', kplus.Volume.fromEmptyDir(this, 'tmp', 'tmp', { sizeLimit: Size.mebibytes(64) }));
    container.mount(
      KAFKA_CA_DIR,
      kplus.Volume.fromSecret(
        this,
        'kafka-ca',
        kplus.Secret.fromSecretName(this, 'kafka-ca-secret', props.kafka.caSecretName),
        {
          name: 'kafka-ca',
        },
      ),
      { readOnly: true },
    );
    for (const ca of props.caCertificates ?? []) {
      container.mount(
        caCertificatePath(ca.name).replace(/\/ca\.crt$/, ''),
        kplus.Volume.fromSecret(
          this,
          `${ca.name}-ca`,
          kplus.Secret.fromSecretName(this, `${ca.name}-ca-secret`, ca.secretName),
          {
            name: `${ca.name}-ca`,
            // The operator's CA secret also holds the CA's private key: project only the certificate.
            items: { 'ca.crt': { path: 'ca.crt' } },
          },
        ),
        { readOnly: true },
      );
    }

    const podSpec = ApiObject.of(deployment);
    podSpec.addJsonPatch(
      // Patches apply before the typed k8s serialisation, hence Quantity objects rather than strings.
      JsonPatch.add(
        '/spec/template/spec/containers/0/resources',
        resourceRequirements('ScaleFuService', props.resources),
      ),
      JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }),
      JsonPatch.add(
        '/spec/template/spec/topologySpreadConstraints',
        zoneSpread({ ...this.podLabels }, props.highAvailability ?? false),
      ),
      // Prefer one replica per node, so a node loss takes at most one; preferred, so a small pool still schedules.
      JsonPatch.add('/spec/template/spec/affinity', hostAntiAffinity({ ...this.podLabels })),
    );
    return deployment;
  }

  private scaleOnCpu(deployment: kplus.Deployment): void {
    const { props } = this;
    new kplus.HorizontalPodAutoscaler(this, 'hpa', {
      metadata: {
        name: props.service,
        namespace: props.namespace,
        annotations: waiverAnnotations({
          kubeScore: props.minReplicas < 2 ? { 'horizontalpodautoscaler-replicas': WAIVER_REASONS.oneReplica } : {},
        }),
      },
      target: deployment,
      minReplicas: props.minReplicas,
      maxReplicas: props.maxReplicas,
      metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(props.targetCpuUtilization ?? 70))],
    });
  }

  private scaleOnConsumerLag(deployment: kplus.Deployment, labels: Record<string, string>): void {
    const { props } = this;
    // KEDA owns the replica count through the HPA it creates; the Deployment must not fight it.
    deployment.markHasAutoscaler();
    const authName = `${props.service}-kafka`;
    new TriggerAuthentication(this, 'trigger-auth', {
      metadata: { name: authName, namespace: props.namespace, labels },
      spec: {
        secretTargetRef: [
          { parameter: 'password', name: props.kafka.userSecretName, key: 'password' },
          { parameter: 'ca', name: props.kafka.caSecretName, key: 'ca.crt' },
        ],
        configMapTargetRef: [{ parameter: 'username', name: this.configMapName, key: RUNTIME_ENV.kafkaSaslUsername }],
      },
    });
    new ScaledObject(this, 'scaled-object', {
      metadata: { name: props.service, namespace: props.namespace, labels },
      spec: {
        scaleTargetRef: { name: props.service },
        minReplicaCount: props.minReplicas,
        maxReplicaCount: props.maxReplicas,
        pollingInterval: 15,
        cooldownPeriod: 300,
        triggers: this.lagTopics().map((topic) => ({
          type: 'kafka',
          name: topic.replaceAll('.', '-'),
          metadata: {
            bootstrapServers: props.kafka.bootstrapServers,
            consumerGroup: consumerGroupOf(props.service),
            topic,
            lagThreshold: String(props.lagThreshold ?? 100),
            offsetResetPolicy: 'earliest',
            // Replicas beyond the partition count would sit idle; KEDA caps at partitions with this off.
            allowIdleConsumers: 'false',
            sasl: 'scram_sha512',
            tls: 'enable',
          },
          authenticationRef: { name: authName },
        })),
      },
    });
  }
}

function validate(props: ScaleFuServiceProps, spec: ServiceSpec, shutdown: ShutdownTiming): void {
  const where = `ScaleFuService(${props.service})`;
  if (!spec) invalid('ScaleFuService', `unknown service "${String(props.service)}"`);
  for (const [key, seconds] of Object.entries(shutdown)) {
    if (!Number.isInteger(seconds) || seconds < 0)
      invalid(where, `shutdown.${key} must be an integer >= 0, got ${seconds}`);
  }
  if (shutdown.marginSeconds < 1) {
    invalid(
      where,
      'shutdown.marginSeconds must be >= 1 so the kubelet never kills a shutdown that keeps to its budget',
    );
  }
  const ratio = props.traceSampleRatio;
  if (ratio !== undefined && !(ratio >= 0 && ratio <= 1)) {
    invalid(where, `traceSampleRatio must be between 0 and 1 (a share of traces), got ${ratio}`);
  }
  const tag = /:([^/:@]+)$/.exec(props.image)?.[1];
  if (!tag || tag === 'latest') invalid(where, `image "${props.image}" must carry a pinned tag other than latest`);
  const memoryLimit = memoryMebibytes(where, 'resources.memory.limit', props.resources.memory.limit);
  if (memoryLimit < SERVICE_MEMORY_LIMIT_FLOOR_MIB) {
    invalid(
      where,
      `resources.memory.limit ${props.resources.memory.limit} is below the ${SERVICE_MEMORY_LIMIT_FLOOR_MIB}Mi a service needs ` +
        '(its V8 old-space ceiling, young generation and memory outside the heap: packages/contracts/src/memory.ts)',
    );
  }
  if (!Number.isInteger(props.minReplicas) || props.minReplicas < 1) {
    invalid(where, `minReplicas must be an integer >= 1, got ${props.minReplicas}`);
  }
  if (props.maxReplicas < props.minReplicas) {
    invalid(where, `maxReplicas (${props.maxReplicas}) is below minReplicas (${props.minReplicas})`);
  }
  if (props.highAvailability && props.minReplicas < 2) {
    invalid(
      where,
      `highAvailability needs minReplicas >= 2 so a voluntary disruption never takes it down, got ${props.minReplicas}`,
    );
  }
  if (spec.kind === 'consumer') {
    const topics = topicsConsumedBy(props.service);
    if (topics.length === 0) invalid(where, 'a consumer must consume at least one topic');
    const partitions = Math.min(...topics.map((t) => props.topics.partitions[t.load]));
    if (props.maxReplicas > partitions) {
      invalid(
        where,
        `maxReplicas (${props.maxReplicas}) exceeds ${partitions} partitions of its consumed topics in ${props.environment}`,
      );
    }
  }
}
