import type { ServiceName, TopicLayout } from '@scalefu/contracts';
import type { GcpEnvironmentConfig } from '../gcp/config';

/** A deployable environment (a GCP project with one GKE cluster). The local stack is not one of these. */
export type ClusterEnvironment = 'dev' | 'prod';

/** Facts about one environment that both the GCP stacks (CDKTF) and the Kubernetes charts (cdk8s) need. */
export interface EnvironmentSettings {
  /** Environment name; also the `clusters/<name>` folder. */
  readonly name: ClusterEnvironment;
  /** GCP project id that holds everything of this environment. */
  readonly projectId: string;
  /** GCP region of the cluster, the registry and the buckets. */
  readonly region: string;
  /** Zones the regional cluster spreads nodes (and so pods) across. */
  readonly zones: readonly string[];
  /** GKE cluster name. */
  readonly clusterName: string;
  /** DNS zone apex; hosts below are derived from it. */
  readonly dnsDomain: string;
  /** Image tag deployed to this environment; promote by changing it in the environment file. */
  readonly imageTag: string;
  /**
   * Manifest digest of each service's image at `imageTag`, written by the release pipeline (`npm run release`) for
   * dev and copied to prod by the promotion pull request; a service with a digest is deployed by digest.
   */
  readonly imageDigests: Readonly<Partial<Record<ServiceName, string>>>;
  /**
   * The GKE control plane's private /28: the GCP stack reserves it for the cluster, and the cdk8s
   * NetworkPolicies allow egress to the API server there.
   */
  readonly controlPlaneCidr: string;
}

/** Settings every environment file must state itself (identity and the release-owned digests): never inherited. */
export type EnvironmentIdentity = Pick<
  EnvironmentSettings,
  'name' | 'projectId' | 'clusterName' | 'dnsDomain' | 'controlPlaneCidr' | 'imageTag' | 'imageDigests'
>;

/** CPU, memory and scratch disk of one container: requests are what the scheduler reserves, limits what is enforced. */
export interface ResourceSize {
  readonly cpu: { readonly request: string; readonly limit: string };
  readonly memory: { readonly request: string; readonly limit: string };
  /**
   * Node-local disk (logs, writable layers, emptyDirs) the kubelet evicts the pod for exceeding.
   * @default DEFAULT_EPHEMERAL_STORAGE (platform/k8s/constructs/pod-security.ts)
   */
  readonly ephemeralStorage?: { readonly request: string; readonly limit: string };
}

/** How one ScaleFu service runs in an environment. */
export interface ServiceSizing {
  /** Fewest replicas the autoscaler keeps. */
  readonly minReplicas: number;
  /** Most replicas the autoscaler may add; for consumers capped by the partitions they read. */
  readonly maxReplicas: number;
  /** Container resources. */
  readonly resources: ResourceSize;
}

/** Everything that differs between clusters on the Kubernetes side. */
export interface KubernetesSettings {
  /** Spread pods across zones as a hard constraint and require failover-capable data stores. */
  readonly highAvailability: boolean;
  /** Per-service replicas and sizes. */
  readonly services: Readonly<Record<ServiceName, ServiceSizing>>;
  /** Strimzi node pools and the topics on them. */
  readonly kafka: {
    /** Dual-role nodes for a small cluster, or separate controllers and brokers. */
    readonly layout: 'dual-role' | 'separate-controllers';
    readonly controllers: number;
    readonly brokers: number;
    readonly storageSize: string;
    readonly resources: ResourceSize;
    /** Partitions and replication of the contract topics. */
    readonly topics: TopicLayout;
  };
  /** CloudNativePG cluster. */
  readonly postgres: {
    readonly instances: number;
    readonly storageSize: string;
    readonly backupRetention: string;
    readonly resources: ResourceSize;
  };
  /** Redis with Sentinel failover. */
  readonly redis: {
    readonly replicas: number;
    readonly sentinels: number;
    /** Persist to a volume (AOF); without it a restart starts empty, which is fine for a cache. */
    readonly persistence: false | { readonly storageSize: string };
    readonly resources: ResourceSize;
  };
  /** Which ACME ClusterIssuer signs the public certificates. */
  readonly acmeIssuer: 'letsencrypt-staging' | 'letsencrypt-production';
  /** Namespace-wide caps (ResourceQuota). */
  readonly quota: { readonly cpu: string; readonly memory: string; readonly storage: string };
  /** Log level of the services. */
  readonly logLevel: 'debug' | 'info';
}

/**
 * One environment, whole: the settings both sides share, the Kubernetes side and the GCP side. `base.ts` holds the
 * defaults, `dev.ts` and `prod.ts` are deltas on it, so `diff dev.ts prod.ts` is the difference between the two.
 */
export interface Environment {
  /** Facts both CDKTF and cdk8s read (project, zones, hosts, image digests). */
  readonly settings: EnvironmentSettings;
  /** The Kubernetes side (replicas, sizes, partitions, issuers). */
  readonly kubernetes: KubernetesSettings;
  /** The GCP side (network ranges, node pools, protection). */
  readonly gcp: GcpEnvironmentConfig;
}

/** The defaults every environment starts from: everything but the identity. */
export interface EnvironmentBase {
  readonly settings: Omit<EnvironmentSettings, keyof EnvironmentIdentity>;
  readonly kubernetes: KubernetesSettings;
  readonly gcp: GcpEnvironmentConfig;
}

/** Objects merge key by key; arrays and scalars are replaced whole. */
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { readonly [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** What an environment file states: its identity in full, and only what differs from the base otherwise. */
export interface EnvironmentDelta {
  readonly settings: EnvironmentIdentity & DeepPartial<EnvironmentBase['settings']>;
  readonly kubernetes?: DeepPartial<KubernetesSettings>;
  readonly gcp?: DeepPartial<GcpEnvironmentConfig>;
}

/** Names derived from the settings: computed once here so no side retypes them. */
export interface EnvironmentNames {
  /** Public hosts. */
  readonly hosts: { readonly api: string; readonly adminApi: string; readonly web: string };
  /** Artifact Registry path images are pushed to. */
  readonly imageRegistry: string;
  /** Google service account e-mail each workload impersonates through Workload Identity. */
  readonly workloadServiceAccounts: Readonly<
    Record<ServiceName | 'external-secrets' | 'postgres-backup' | 'otel-collector', string>
  >;
  /** GCS buckets. */
  readonly buckets: { readonly postgresBackups: string; readonly adminWeb: string; readonly terraformState: string };
  /** Secret Manager secret ids (shells in CDKTF, read by ExternalSecrets). */
  readonly secretIds: Readonly<
    Record<
      'postgres-app' | 'redis-auth' | 'national-id-hmac-key' | 'smtp' | 'jwt-signing-key' | 'mfa-encryption-key',
      string
    >
  >;
}
