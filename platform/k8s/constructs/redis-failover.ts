import { CLUSTER_PORTS } from '@scalefu/contracts';
import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { ResourceSize } from '../../environments/index';
import { METRICS_PORTS, REDIS_IMAGES } from '../facts';
import { appLabels, assertQuantity, invalid, selectorLabels } from './labels';
import { resourceRequirements, restrictedContainerSecurity, restrictedPodSecurity, zoneSpread } from './pod-security';
import { redisInitScript, sentinelInitScript } from './redis-scripts';

/** UID of the `redis` user in the official image. */
const REDIS_UID = 999;

export interface RedisFailoverProps {
  /** Name of the Redis StatefulSet; Sentinel is `<name>-sentinel`. */
  readonly name: string;
  /** Namespace. */
  readonly namespace: string;
  /** Redis pods: one primary, the rest replicas. */
  readonly replicas: number;
  /** Sentinel pods; an odd number so a majority can agree on a failover. */
  readonly sentinels: number;
  /** Sentinel's name for the primary (`sentinel monitor <masterSet> ...`). */
  readonly masterSet: string;
  /** Secret with the Redis password under `password`. */
  readonly passwordSecretName: string;
  /** AOF persistence on a volume, or none (a cache that refills). */
  readonly persistence: false | { readonly storageSize: string };
  /** Resources of each Redis container. */
  readonly resources: ResourceSize;
  /**
   * Spread strictly across zones (prod).
   * @default false
   */
  readonly highAvailability?: boolean;
}

/** Redis primary/replicas with Sentinel-driven automatic failover, password auth and a metrics exporter, on upstream images. */
export class RedisFailover extends Construct {
  /** Headless service whose per-pod DNS names Sentinel announces. */
  public readonly headlessService: string;
  /** Service clients ask for the current primary (`host:port`). */
  public readonly sentinelAddress: string;
  /** Pod labels of the Redis pods. */
  public readonly redisPodLabels: Readonly<Record<string, string>>;
  /** Pod labels of the Sentinel pods. */
  public readonly sentinelPodLabels: Readonly<Record<string, string>>;

  private readonly namespace: string;

  constructor(scope: Construct, id: string, props: RedisFailoverProps) {
    super(scope, id);
    this.namespace = props.namespace;
    const where = `RedisFailover(${props.name})`;
    if (props.replicas < 1) invalid(where, `replicas must be >= 1, got ${props.replicas}`);
    if (props.sentinels < 1 || props.sentinels % 2 === 0) {
      invalid(where, `sentinels must be odd so a majority exists, got ${props.sentinels}`);
    }
    if (props.highAvailability && (props.replicas < 2 || props.sentinels < 3)) {
      invalid(where, 'highAvailability needs >= 2 Redis pods and >= 3 Sentinels');
    }
    if (props.persistence) assertQuantity(where, 'persistence.storageSize', props.persistence.storageSize);

    const ns = props.namespace;
    const sentinelName = `${props.name}-sentinel`;
    this.headlessService = `${props.name}-headless`;
    const sentinelHeadless = `${sentinelName}-headless`;
    const fqdn = (svc: string) => `${svc}.${ns}.svc.cluster.local`;
    this.sentinelAddress = `${sentinelName}.${ns}.svc:${CLUSTER_PORTS.redisSentinel}`;
    this.redisPodLabels = selectorLabels(props.name);
    this.sentinelPodLabels = selectorLabels(sentinelName);
    const quorum = Math.floor(props.sentinels / 2) + 1;

    const scripts = new k8s.KubeConfigMap(this, 'scripts', {
      metadata: { name: `${props.name}-scripts`, namespace: ns, labels: appLabels(props.name, 'cache') },
      data: {
        'init-redis.sh': redisInitScript({
          headless: fqdn(this.headlessService),
          sentinelHost: `${sentinelName}.${ns}.svc`,
          masterSet: props.masterSet,
          persistence: props.persistence !== false,
        }),
        'init-sentinel.sh': sentinelInitScript({
          redisHeadless: fqdn(this.headlessService),
          sentinelHeadless: fqdn(sentinelHeadless),
          sentinelHost: `${sentinelName}.${ns}.svc`,
          masterSet: props.masterSet,
          redisStatefulSet: props.name,
          quorum,
        }),
      },
    });

    const password: k8s.EnvVar = {
      name: 'REDIS_PASSWORD',
      valueFrom: { secretKeyRef: { name: props.passwordSecretName, key: 'password' } },
    };
    // redis-cli reads the password from REDISCLI_AUTH, which keeps it off the process list.
    const cliAuth: k8s.EnvVar = { ...password, name: 'REDISCLI_AUTH' };
    const redisResources = resourceRequirements(where, props.resources);
    const smallResources = resourceRequirements(where, {
      cpu: { request: '25m', limit: '200m' },
      memory: { request: '32Mi', limit: '64Mi' },
    });
    const security = restrictedContainerSecurity(REDIS_UID);
    const scriptVolume: k8s.Volume = { name: 'scripts', configMap: { name: scripts.name, defaultMode: 0o555 } };
    const pingProbe = (port: number): k8s.Probe => ({
      exec: { command: ['sh', '-c', `redis-cli -p ${port} ping | grep -q PONG`] },
      periodSeconds: 5,
      timeoutSeconds: 3,
      failureThreshold: 3,
    });

    this.headless(this.headlessService, props.name, { redis: CLUSTER_PORTS.redis }, true);
    new k8s.KubeStatefulSet(this, 'redis', {
      metadata: { name: props.name, namespace: ns, labels: appLabels(props.name, 'cache') },
      spec: {
        serviceName: this.headlessService,
        replicas: props.replicas,
        podManagementPolicy: 'OrderedReady',
        selector: { matchLabels: { ...this.redisPodLabels } },
        template: {
          metadata: { labels: appLabels(props.name, 'cache') },
          spec: {
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurity(REDIS_UID),
            topologySpreadConstraints: zoneSpread({ ...this.redisPodLabels }, props.highAvailability ?? false),
            initContainers: [
              {
                name: 'config',
                image: REDIS_IMAGES.redis,
                command: ['/scripts/init-redis.sh'],
                env: [password],
                securityContext: security,
                resources: smallResources,
                volumeMounts: [
                  { name: 'data', mountPath: '/data' },
                  { name: 'scripts', mountPath: '/scripts' },
                ],
              },
            ],
            containers: [
              {
                name: 'redis',
                image: REDIS_IMAGES.redis,
                command: ['redis-server', '/data/conf/redis.conf'],
                ports: [{ name: 'redis', containerPort: CLUSTER_PORTS.redis }],
                env: [cliAuth],
                securityContext: security,
                resources: redisResources,
                startupProbe: { ...pingProbe(CLUSTER_PORTS.redis), failureThreshold: 30, periodSeconds: 2 },
                livenessProbe: {
                  tcpSocket: { port: k8s.IntOrString.fromNumber(CLUSTER_PORTS.redis) },
                  periodSeconds: 10,
                },
                readinessProbe: pingProbe(CLUSTER_PORTS.redis),
                volumeMounts: [{ name: 'data', mountPath: '/data' }],
              },
              {
                name: 'exporter',
                image: REDIS_IMAGES.exporter,
                env: [{ name: 'REDIS_ADDR', value: `redis://localhost:${CLUSTER_PORTS.redis}` }, password],
                ports: [{ name: 'metrics', containerPort: METRICS_PORTS.redisExporter }],
                securityContext: restrictedContainerSecurity(),
                resources: smallResources,
                startupProbe: this.httpProbe('/health', METRICS_PORTS.redisExporter, 30),
                livenessProbe: this.httpProbe('/health', METRICS_PORTS.redisExporter, 3),
                readinessProbe: this.httpProbe('/health', METRICS_PORTS.redisExporter, 3),
              },
            ],
            volumes: [scriptVolume, ...(props.persistence ? [] : [{ name: 'data', emptyDir: {} }])],
          },
        },
        ...(props.persistence
          ? {
              volumeClaimTemplates: [
                {
                  metadata: { name: 'data' },
                  spec: {
                    accessModes: ['ReadWriteOnce'],
                    resources: { requests: { storage: k8s.Quantity.fromString(props.persistence.storageSize) } },
                  },
                },
              ],
            }
          : {}),
      },
    });

    this.headless(sentinelHeadless, sentinelName, { sentinel: CLUSTER_PORTS.redisSentinel }, true);
    this.headless(sentinelName, sentinelName, { sentinel: CLUSTER_PORTS.redisSentinel }, false);
    new k8s.KubeStatefulSet(this, 'sentinel', {
      metadata: { name: sentinelName, namespace: ns, labels: appLabels(sentinelName, 'cache-failover') },
      spec: {
        serviceName: sentinelHeadless,
        replicas: props.sentinels,
        podManagementPolicy: 'Parallel',
        selector: { matchLabels: { ...this.sentinelPodLabels } },
        template: {
          metadata: { labels: appLabels(sentinelName, 'cache-failover') },
          spec: {
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurity(REDIS_UID),
            topologySpreadConstraints: zoneSpread({ ...this.sentinelPodLabels }, props.highAvailability ?? false),
            initContainers: [
              {
                name: 'config',
                image: REDIS_IMAGES.redis,
                command: ['/scripts/init-sentinel.sh'],
                env: [password],
                securityContext: security,
                resources: smallResources,
                volumeMounts: [
                  { name: 'data', mountPath: '/data' },
                  { name: 'scripts', mountPath: '/scripts' },
                ],
              },
            ],
            containers: [
              {
                name: 'sentinel',
                image: REDIS_IMAGES.redis,
                command: ['redis-server', '/data/sentinel.conf', '--sentinel'],
                ports: [{ name: 'sentinel', containerPort: CLUSTER_PORTS.redisSentinel }],
                securityContext: security,
                resources: smallResources,
                startupProbe: { ...pingProbe(CLUSTER_PORTS.redisSentinel), failureThreshold: 30, periodSeconds: 2 },
                livenessProbe: {
                  tcpSocket: { port: k8s.IntOrString.fromNumber(CLUSTER_PORTS.redisSentinel) },
                  periodSeconds: 10,
                },
                readinessProbe: pingProbe(CLUSTER_PORTS.redisSentinel),
                volumeMounts: [{ name: 'data', mountPath: '/data' }],
              },
            ],
            volumes: [scriptVolume, { name: 'data', emptyDir: {} }],
          },
        },
      },
    });

    for (const [pdbId, labels] of [
      [props.name, this.redisPodLabels],
      [sentinelName, this.sentinelPodLabels],
    ] as const) {
      new k8s.KubePodDisruptionBudget(this, `pdb-${pdbId}`, {
        metadata: { name: pdbId, namespace: ns },
        spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: { ...labels } } },
      });
    }

    new ApiObject(this, 'pod-monitor', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: { name: props.name, namespace: ns },
      spec: {
        selector: { matchLabels: { ...this.redisPodLabels } },
        podMetricsEndpoints: [{ port: 'metrics', interval: '30s' }],
      },
    });
  }

  private headless(name: string, app: string, ports: Record<string, number>, headless: boolean): void {
    new k8s.KubeService(this, `svc-${name}`, {
      metadata: { name, namespace: this.namespace, labels: appLabels(app, 'cache') },
      spec: {
        ...(headless ? { clusterIp: 'None', publishNotReadyAddresses: true } : {}),
        selector: selectorLabels(app),
        ports: Object.entries(ports).map(([portName, port]) => ({
          name: portName,
          port,
          targetPort: k8s.IntOrString.fromNumber(port),
        })),
      },
    });
  }

  private httpProbe(path: string, port: number, failureThreshold: number): k8s.Probe {
    return { httpGet: { path, port: k8s.IntOrString.fromNumber(port) }, periodSeconds: 5, failureThreshold };
  }
}
