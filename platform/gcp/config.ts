/** Types of the per-environment GCP settings; the values live in `platform/environments/{base,dev,prod}.ts`. */

/** One GKE node pool. Autoscaling bounds are per zone (GKE multiplies them by the zone count). */
export interface NodePoolSpec {
  /** Pool name, unique within the cluster. */
  readonly name: string;
  /** Compute Engine machine type. */
  readonly machineType: string;
  /** Fewest nodes per zone the autoscaler keeps. */
  readonly minNodesPerZone: number;
  /** Most nodes per zone the autoscaler adds. */
  readonly maxNodesPerZone: number;
  /** Spot VMs: much cheaper, can be reclaimed at any time (dev only). */
  readonly spot: boolean;
  /** Boot disk size in GB. */
  readonly diskSizeGb: number;
  /** Kubernetes node labels; the cdk8s side may select on them. */
  readonly labels: Readonly<Record<string, string>>;
}

/** An IPv4 block allowed to reach the GKE control plane's public endpoint. */
export interface AuthorizedNetwork {
  /** CIDR block. */
  readonly cidr: string;
  /** Who this is (shown in the console). */
  readonly name: string;
}

/** Everything that differs between the dev and prod GCP stacks. */
export interface GcpEnvironmentConfig {
  /** Primary range of the GKE node subnet. */
  readonly nodesCidr: string;
  /** Secondary range for pod IPs (VPC-native). */
  readonly podsCidr: string;
  /** Secondary range for ClusterIP services. */
  readonly servicesCidr: string;
  /** Share of flows the subnet logs (0..1]. */
  readonly flowLogSampling: number;
  /** Who may reach the control plane; nodes reach it privately regardless. */
  readonly authorizedNetworks: readonly AuthorizedNetwork[];
  /** GKE release channel. */
  readonly releaseChannel: 'RAPID' | 'REGULAR' | 'STABLE';
  /** Node pools. */
  readonly nodePools: readonly NodePoolSpec[];
  /** GKE deletion protection and bucket force-destroy refusal: on in prod only. */
  readonly deletionProtection: boolean;
  /** Cloud Armor per-IP threshold as a multiple of the app's own public rate limit. */
  readonly armorRateLimitMultiplier: number;
  /** Artifact Registry refuses to move an existing tag. */
  readonly immutableImageTags: boolean;
  /** Days a Postgres backup object is kept after CNPG deletes it (bucket soft delete). */
  readonly backupSoftDeleteDays: number;
}
