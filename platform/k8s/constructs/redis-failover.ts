import { CLUSTER_PORTS } from '@scalefu/contracts';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { ResourceSize } from '../../environments/index';
import { METRICS_PORTS, REDIS_IMAGES } from '../facts';
import { appLabels, assertQuantity, invalid, selectorLabels } from './labels';
import {
  NON_ROOT_UID,
  hostAntiAffinity,
  resourceRequirements,
  restrictedContainerSecurity,
  restrictedPodSecurity,
  zoneSpread,
} from './pod-security';
import { InClusterCa } from './in-cluster-ca';
import { REDIS_CLI_TLS, REDIS_TLS_DIR, redisInitScript, sentinelInitScript, tlsRenewal } from './redis-scripts';
import { WAIVER_REASONS, waiverAnnotations } from './scanner-waivers';
import { PodMonitor } from '../imports/monitoring.coreos.com';

/**
 * Redis runs as ScaleFu's non-root UID rather than the image's `redis` user (999): a UID below 10000 may collide with
 * a host account. The image needs no user of its own: the entrypoint is bypassed and every path it writes is a volume.
 */
const REDIS_UID = NON_ROOT_UID;

/** The rendered config (it holds the password) lives on a memory-backed volume, never on the persistent one. */
const CONF_DIR = '/conf';

/** Where the exporter mounts the CA certificate it verifies Redis with. */
const EXPORTER_CA_DIR = '/etc/redis-ca';

/** Size cap of the non-persistent data volume (replication's RDB transfer file). */
const REDIS_SCRATCH = '1Gi';

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

/**
 * Redis primary/replicas with Sentinel-driven automatic failover, password auth and a metrics exporter, on upstream
 * images. Every connection is TLS: Redis and Sentinel listen on their TLS ports only (the plaintext port is closed),
 * replicate and gossip over TLS, with a certificate from a cert-manager CA of their own (`caSecretName`).
 */
export class RedisFailover extends Construct {
  /** Headless service whose per-pod DNS names Sentinel announces. */
  public readonly headlessService: string;
  /** Service clients ask for the current primary (`host:port`). */
  public readonly sentinelAddress: string;
  /** Pod labels of the Redis pods. */
  public readonly redisPodLabels: Readonly<Record<string, string>>;
  /** Pod labels of the Sentinel pods. */
  public readonly sentinelPodLabels: Readonly<Record<string, string>>;
  /** Secret whose `ca.crt` verifies Redis and Sentinel (mount that key only: the secret also holds the CA key). */
  public readonly caSecretName: string;

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

    const ca = new InClusterCa(this, 'ca', {
      name: `${props.name}-ca`,
      namespace: ns,
      commonName: `${props.name}.${ns} in-cluster CA`,
      labels: appLabels(props.name, 'cache'),
    });
    this.caSecretName = ca.caSecretName;
    // One certificate for both StatefulSets: every name a client, a replica, a Sentinel or a probe dials. Sentinel
    // announces the pods by their headless FQDNs, and clients verify the host they are handed.
    const tlsSecretName = ca.issueServerCertificate('tls', {
      name: `${props.name}-tls`,
      dnsNames: [
        `${sentinelName}.${ns}.svc`,
        fqdn(sentinelName),
        `*.${fqdn(sentinelHeadless)}`,
        `${this.headlessService}.${ns}.svc`,
        fqdn(this.headlessService),
        `*.${fqdn(this.headlessService)}`,
        'localhost',
      ],
      ipAddresses: ['127.0.0.1'],
    });

    const scripts = new k8s.KubeConfigMap(this, 'scripts', {
      metadata: { name: `${props.name}-scripts`, namespace: ns, labels: appLabels(props.name, 'cache') },
      data: {
        'init-redis.sh': redisInitScript({
          headless: fqdn(this.headlessService),
          sentinelHost: `${sentinelName}.${ns}.svc`,
          masterSet: props.masterSet,
          persistence: props.persistence !== false,
          confDir: CONF_DIR,
        }),
        'init-sentinel.sh': sentinelInitScript({
          redisHeadless: fqdn(this.headlessService),
          sentinelHeadless: fqdn(sentinelHeadless),
          sentinelHost: `${sentinelName}.${ns}.svc`,
          masterSet: props.masterSet,
          redisStatefulSet: props.name,
          quorum,
          confDir: CONF_DIR,
        }),
      },
    });

    const password: k8s.EnvVar = {
      name: 'REDIS_PASSWORD',
      valueFrom: { secretKeyRef: { name: props.passwordSecretName, key: 'password' } },
    };
    // redis-cli reads the password from REDISCLI_AUTH, which keeps it off the process list.
    const cliAuth: k8s.EnvVar = { ...password, name: 'REDISCLI_AUTH' };
    // Without persistence the data emptyDir holds replication's RDB transfer file; it counts against the pod's
    // ephemeral-storage, so the Redis container's limit covers it.
    const redisResources = resourceRequirements(where, {
      ...props.resources,
      ephemeralStorage: props.resources.ephemeralStorage ?? { request: '64Mi', limit: REDIS_SCRATCH },
    });
    const smallResources = resourceRequirements(where, {
      cpu: { request: '25m', limit: '200m' },
      memory: { request: '32Mi', limit: '64Mi' },
    });
    const security = restrictedContainerSecurity(REDIS_UID);
    const scriptVolume: k8s.Volume = { name: 'scripts', configMap: { name: scripts.name, defaultMode: 0o555 } };
    // Group-readable through fsGroup: the key is readable by the pod's user and nobody else.
    const tlsVolume: k8s.Volume = { name: 'tls', secret: { secretName: tlsSecretName, defaultMode: 0o440 } };
    const tlsMount: k8s.VolumeMount = { name: 'tls', mountPath: REDIS_TLS_DIR, readOnly: true };
    // The exporter only verifies the server: it gets the CA certificate, not the key.
    const exporterCaVolume: k8s.Volume = {
      name: 'tls-ca',
      secret: { secretName: tlsSecretName, defaultMode: 0o440, items: [{ key: 'ca.crt', path: 'ca.crt' }] },
    };
    const confVolume: k8s.Volume = {
      name: 'conf',
      emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString('1Mi') },
    };
    const confMount: k8s.VolumeMount = { name: 'conf', mountPath: CONF_DIR };
    const pingCommand = (port: number) => `${REDIS_CLI_TLS} -h localhost -p ${port} ping | grep -q PONG`;
    const pingProbe = (port: number): k8s.Probe => ({
      exec: { command: ['sh', '-c', pingCommand(port)] },
      periodSeconds: 5,
      timeoutSeconds: 3,
      failureThreshold: 3,
    });

    this.headless(this.headlessService, props.name, { 'redis-tls': CLUSTER_PORTS.redis }, true);
    new k8s.KubeStatefulSet(this, 'redis', {
      metadata: {
        name: props.name,
        namespace: ns,
        labels: appLabels(props.name, 'cache'),
        annotations: waiverAnnotations({ checkov: { CKV_K8S_35: WAIVER_REASONS.secretsAsEnv } }),
      },
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
            affinity: hostAntiAffinity({ ...this.redisPodLabels }),
            initContainers: [
              {
                name: 'config',
                image: REDIS_IMAGES.redis,
                imagePullPolicy: 'Always',
                command: ['/scripts/init-redis.sh'],
                env: [password],
                securityContext: security,
                resources: smallResources,
                volumeMounts: [confMount, tlsMount, { name: 'scripts', mountPath: '/scripts' }],
              },
            ],
            containers: [
              {
                name: 'redis',
                image: REDIS_IMAGES.redis,
                imagePullPolicy: 'Always',
                command: tlsRenewal.start(CONF_DIR, `redis-server ${CONF_DIR}/redis.conf`),
                ports: [{ name: 'redis-tls', containerPort: CLUSTER_PORTS.redis }],
                env: [cliAuth],
                securityContext: security,
                resources: redisResources,
                startupProbe: { ...pingProbe(CLUSTER_PORTS.redis), failureThreshold: 30, periodSeconds: 2 },
                livenessProbe: {
                  tcpSocket: { port: k8s.IntOrString.fromNumber(CLUSTER_PORTS.redis) },
                  periodSeconds: 10,
                },
                // Also loads a renewed certificate in place (no restart, no failover); ready only if that worked.
                readinessProbe: {
                  ...pingProbe(CLUSTER_PORTS.redis),
                  exec: {
                    command: [
                      'sh',
                      '-c',
                      `${tlsRenewal.reloadRedis(CONF_DIR, CLUSTER_PORTS.redis)} && ${pingCommand(CLUSTER_PORTS.redis)}`,
                    ],
                  },
                },
                volumeMounts: [{ name: 'data', mountPath: '/data' }, confMount, tlsMount],
              },
              {
                name: 'exporter',
                image: REDIS_IMAGES.exporter,
                imagePullPolicy: 'Always',
                env: [
                  // rediss: TLS to the local Redis, verified against the CA (`localhost` is on the certificate).
                  { name: 'REDIS_ADDR', value: `rediss://localhost:${CLUSTER_PORTS.redis}` },
                  { name: 'REDIS_EXPORTER_TLS_CA_CERT_FILE', value: `${EXPORTER_CA_DIR}/ca.crt` },
                  { name: 'REDIS_EXPORTER_SKIP_TLS_VERIFICATION', value: 'false' },
                  password,
                ],
                ports: [{ name: 'metrics', containerPort: METRICS_PORTS.redisExporter }],
                securityContext: restrictedContainerSecurity(),
                resources: smallResources,
                startupProbe: this.httpProbe('/health', METRICS_PORTS.redisExporter, 30),
                // Alive while it listens; ready while it answers /health. Distinct, so a slow scrape makes it
                // unready (no restart) and only a hung process is restarted.
                livenessProbe: {
                  tcpSocket: { port: k8s.IntOrString.fromNumber(METRICS_PORTS.redisExporter) },
                  periodSeconds: 10,
                  failureThreshold: 3,
                },
                readinessProbe: this.httpProbe('/health', METRICS_PORTS.redisExporter, 3),
                volumeMounts: [{ name: 'tls-ca', mountPath: EXPORTER_CA_DIR, readOnly: true }],
              },
            ],
            volumes: [
              scriptVolume,
              confVolume,
              tlsVolume,
              exporterCaVolume,
              ...(props.persistence
                ? []
                : [{ name: 'data', emptyDir: { sizeLimit: k8s.Quantity.fromString(REDIS_SCRATCH) } }]),
            ],
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

    this.headless(sentinelHeadless, sentinelName, { 'sentinel-tls': CLUSTER_PORTS.redisSentinel }, true);
    this.headless(sentinelName, sentinelName, { 'sentinel-tls': CLUSTER_PORTS.redisSentinel }, false);
    new k8s.KubeStatefulSet(this, 'sentinel', {
      metadata: {
        name: sentinelName,
        namespace: ns,
        labels: appLabels(sentinelName, 'cache-failover'),
        annotations: waiverAnnotations({ checkov: { CKV_K8S_35: WAIVER_REASONS.secretsAsEnv } }),
      },
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
            affinity: hostAntiAffinity({ ...this.sentinelPodLabels }),
            initContainers: [
              {
                name: 'config',
                image: REDIS_IMAGES.redis,
                imagePullPolicy: 'Always',
                command: ['/scripts/init-sentinel.sh'],
                env: [password],
                securityContext: security,
                resources: smallResources,
                volumeMounts: [confMount, tlsMount, { name: 'scripts', mountPath: '/scripts' }],
              },
            ],
            containers: [
              {
                name: 'sentinel',
                image: REDIS_IMAGES.redis,
                imagePullPolicy: 'Always',
                command: tlsRenewal.start(CONF_DIR, `redis-server ${CONF_DIR}/sentinel.conf --sentinel`),
                ports: [{ name: 'sentinel-tls', containerPort: CLUSTER_PORTS.redisSentinel }],
                securityContext: security,
                resources: smallResources,
                startupProbe: { ...pingProbe(CLUSTER_PORTS.redisSentinel), failureThreshold: 30, periodSeconds: 2 },
                // Restarted once its certificate was renewed (Sentinel cannot reload it); otherwise alive while it
                // answers at all.
                livenessProbe: {
                  exec: {
                    command: [
                      'sh',
                      '-c',
                      `${tlsRenewal.unchanged(CONF_DIR)} && ${REDIS_CLI_TLS} -h localhost -p ${CLUSTER_PORTS.redisSentinel} ping >/dev/null`,
                    ],
                  },
                  periodSeconds: 10,
                  timeoutSeconds: 3,
                  failureThreshold: 3,
                },
                readinessProbe: pingProbe(CLUSTER_PORTS.redisSentinel),
                volumeMounts: [confMount, tlsMount],
              },
            ],
            volumes: [scriptVolume, confVolume, tlsVolume],
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
        spec: {
          maxUnavailable: k8s.IntOrString.fromNumber(1),
          selector: { matchLabels: { ...labels } },
          // A crash-looping pod must not block a node drain: evicting it cannot make availability worse.
          unhealthyPodEvictionPolicy: 'AlwaysAllow',
        },
      });
    }

    new PodMonitor(this, 'pod-monitor', {
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
