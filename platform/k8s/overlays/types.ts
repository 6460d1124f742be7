import type { ServiceName } from '@scalefu/contracts';
import type { EnvironmentSettings } from '../../environments/index';

/** CPU and memory of one container: requests are what the scheduler reserves, limits what the kernel enforces. */
export interface ResourceSize {
  readonly cpu: { readonly request: string; readonly limit: string };
  readonly memory: { readonly request: string; readonly limit: string };
}

/** How one ScaleFu service runs in an environment. */
export interface ServiceOverlay {
  /** Fewest replicas the autoscaler keeps. */
  readonly minReplicas: number;
  /** Most replicas the autoscaler may add; for consumers capped by the partitions they read. */
  readonly maxReplicas: number;
  /** Container resources. */
  readonly resources: ResourceSize;
}

/**
 * Everything that differs between dev and prod. The constructs are the base; an environment is this object.
 * Keep it small: a knob belongs here only if dev and prod really need different values.
 */
export interface ClusterOverlay {
  /** GCP facts shared with the CDKTF side (project, zones, hosts, image tag). */
  readonly settings: EnvironmentSettings;
  /** Per-service replicas and sizes. */
  readonly services: Readonly<Record<ServiceName, ServiceOverlay>>;
  /** Strimzi node pools: dual-role nodes for a small cluster, or separate controllers and brokers. */
  readonly kafka: {
    readonly layout: 'dual-role' | 'separate-controllers';
    readonly controllers: number;
    readonly brokers: number;
    readonly storageSize: string;
    readonly resources: ResourceSize;
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
