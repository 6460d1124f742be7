import { ContainerCluster } from '@cdktf/provider-google/lib/container-cluster/index.js';
import { ContainerNodePool } from '@cdktf/provider-google/lib/container-node-pool/index.js';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member/index.js';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account/index.js';
import { Construct } from 'constructs';
import { parseCidr } from '../cidr';
import type { AuthorizedNetwork, NodePoolSpec } from '../config';

const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

export interface GkeClusterProps {
  /** Cluster name. */
  readonly name: string;
  /** Project id (names the Workload Identity pool). */
  readonly projectId: string;
  /** Region: the cluster is regional, so its control plane is replicated across zones. */
  readonly region: string;
  /** Zones for the nodes; every one must be in `region`. */
  readonly zones: readonly string[];
  /** VPC id. */
  readonly networkId: string;
  /** Node subnet id. */
  readonly subnetworkId: string;
  /** Secondary range of the subnet that pods take IPs from. */
  readonly podsRangeName: string;
  /** Secondary range of the subnet for services. */
  readonly servicesRangeName: string;
  /** /28 of the control plane's private endpoint. */
  readonly controlPlaneCidr: string;
  /** Public blocks allowed to the control plane endpoint. Never 0.0.0.0/0. */
  readonly authorizedNetworks: readonly AuthorizedNetwork[];
  /** GKE release channel. @default 'REGULAR' */
  readonly releaseChannel?: 'RAPID' | 'REGULAR' | 'STABLE';
  /** Node pools (at least one). */
  readonly nodePools: readonly NodePoolSpec[];
  /** E-mail of the node service account this construct creates; its account id is the local part. */
  readonly nodeServiceAccountEmail: string;
  /** Cloud KMS key id that encrypts Kubernetes Secrets in etcd. */
  readonly databaseEncryptionKeyId: string;
  /** Network tag on every node (firewall rules target it). */
  readonly nodeTag: string;
  /** Refuse `terraform destroy` of the cluster. @default true */
  readonly deletionProtection?: boolean;
  /**
   * Labels on the cluster resource (billing, inventory); the provider's default labels do not reach it.
   * @default {}
   */
  readonly resourceLabels?: Readonly<Record<string, string>>;
}

/**
 * A regional, private, VPC-native GKE Standard cluster: private nodes, control plane limited to authorized
 * networks, Workload Identity, Dataplane V2 (eBPF NetworkPolicy enforcement), shielded nodes, Secrets
 * encrypted with Cloud KMS, auto-repairing and auto-upgrading autoscaled node pools running as a
 * least-privilege service account.
 */
export class GkeCluster extends Construct {
  readonly cluster: ContainerCluster;
  readonly nodeServiceAccount: ServiceAccount;
  readonly nodePools: readonly ContainerNodePool[];

  constructor(scope: Construct, id: string, props: GkeClusterProps) {
    super(scope, id);
    validate(props);

    this.nodeServiceAccount = new ServiceAccount(this, 'node-sa', {
      accountId: props.nodeServiceAccountEmail.split('@')[0]!,
      displayName: `GKE nodes of ${props.name}`,
      description: 'Least-privilege node identity: logs, metrics, image pulls. Workloads use their own GSAs.',
    });
    // The Google-curated minimum for nodes (logging, monitoring, metadata) instead of the Compute default
    // SA's Editor. Image pulls are granted on the repository itself (Registry.grantRead).
    new ProjectIamMember(this, 'node-sa-default-node-role', {
      project: props.projectId,
      role: 'roles/container.defaultNodeServiceAccount',
      member: this.nodeServiceAccount.member,
    });

    // Even the throwaway default pool must not boot as the Compute default SA, so the cluster-level
    // node config carries the same hardened identity.
    const hardenedNode = {
      serviceAccount: this.nodeServiceAccount.email,
      oauthScopes: [CLOUD_PLATFORM_SCOPE],
      shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
      // Pods see the GKE metadata server (Workload Identity), never the node's credentials.
      workloadMetadataConfig: { mode: 'GKE_METADATA' },
      metadata: { 'disable-legacy-endpoints': 'true' },
      tags: [props.nodeTag],
    };

    this.cluster = new ContainerCluster(this, 'cluster', {
      name: props.name,
      location: props.region,
      nodeLocations: [...props.zones],
      network: props.networkId,
      subnetwork: props.subnetworkId,
      removeDefaultNodePool: true,
      initialNodeCount: 1,
      nodeConfig: hardenedNode,
      networkingMode: 'VPC_NATIVE',
      ipAllocationPolicy: {
        clusterSecondaryRangeName: props.podsRangeName,
        servicesSecondaryRangeName: props.servicesRangeName,
      },
      privateClusterConfig: {
        enablePrivateNodes: true,
        // The public endpoint stays, fenced by authorized networks, so operators need no bastion.
        enablePrivateEndpoint: false,
        masterIpv4CidrBlock: props.controlPlaneCidr,
        masterGlobalAccessConfig: { enabled: true },
      },
      masterAuthorizedNetworksConfig: {
        cidrBlocks: props.authorizedNetworks.map((n) => ({ cidrBlock: n.cidr, displayName: n.name })),
        // Without this, any Google Cloud IP (anyone's Cloud Shell, Cloud Build) could reach the endpoint.
        gcpPublicCidrsAccessEnabled: false,
      },
      masterAuth: { clientCertificateConfig: { issueClientCertificate: false } },
      enableLegacyAbac: false,
      workloadIdentityConfig: { workloadPool: `${props.projectId}.svc.id.goog` },
      // Dataplane V2 enforces NetworkPolicy itself; the legacy Calico network_policy block must stay unset.
      datapathProvider: 'ADVANCED_DATAPATH',
      // Pod-to-pod traffic on one node goes through the VPC too, so flow logs see it.
      enableIntranodeVisibility: true,
      resourceLabels: { ...props.resourceLabels },
      releaseChannel: { channel: props.releaseChannel ?? 'REGULAR' },
      enableShieldedNodes: true,
      databaseEncryption: { state: 'ENCRYPTED', keyName: props.databaseEncryptionKeyId },
      loggingConfig: { enableComponents: ['SYSTEM_COMPONENTS', 'WORKLOADS'] },
      // Workload metrics come from the in-cluster Prometheus (ARCHITECTURE §6), not Managed Prometheus.
      monitoringConfig: { enableComponents: ['SYSTEM_COMPONENTS'], managedPrometheus: { enabled: false } },
      addonsConfig: {
        httpLoadBalancing: { disabled: false },
        horizontalPodAutoscaling: { disabled: false },
        gcePersistentDiskCsiDriverConfig: { enabled: true },
        dnsCacheConfig: { enabled: true },
      },
      // The GKE Gateway controller (and GCPBackendPolicy for Cloud Armor) needs the GKE-managed Gateway CRDs.
      gatewayApiConfig: { channel: 'CHANNEL_STANDARD' },
      // Upgrades at night in Thailand (17:00-23:00 UTC = 00:00-06:00 ICT) on weekends.
      maintenancePolicy: {
        recurringWindow: {
          startTime: '2025-01-04T17:00:00Z',
          endTime: '2025-01-04T23:00:00Z',
          recurrence: 'FREQ=WEEKLY;BYDAY=SA,SU',
        },
      },
      deletionProtection: props.deletionProtection ?? true,
      // The cluster-level node_config only shapes the default pool, which is deleted right after creation;
      // GKE then reports it differently and Terraform would want to recreate the cluster.
      lifecycle: { ignoreChanges: ['node_config'] },
    });

    this.nodePools = props.nodePools.map(
      (pool) =>
        new ContainerNodePool(this, `pool-${pool.name}`, {
          name: pool.name,
          cluster: this.cluster.id,
          location: props.region,
          nodeLocations: [...props.zones],
          autoscaling: {
            minNodeCount: pool.minNodesPerZone,
            maxNodeCount: pool.maxNodesPerZone,
            locationPolicy: 'BALANCED',
          },
          management: { autoRepair: true, autoUpgrade: true },
          upgradeSettings: { strategy: 'SURGE', maxSurge: 1, maxUnavailable: 0 },
          nodeConfig: {
            ...hardenedNode,
            machineType: pool.machineType,
            spot: pool.spot,
            diskSizeGb: pool.diskSizeGb,
            diskType: 'pd-balanced',
            imageType: 'COS_CONTAINERD',
            labels: { ...pool.labels },
          },
        }),
    );
  }
}

function validate(props: GkeClusterProps): void {
  if (props.zones.length === 0) throw new Error(`GkeCluster ${props.name}: zones must not be empty`);
  for (const zone of props.zones) {
    if (!zone.startsWith(`${props.region}-`)) {
      throw new Error(`GkeCluster ${props.name}: zone ${zone} is not in region ${props.region}`);
    }
  }
  if (props.nodePools.length === 0) throw new Error(`GkeCluster ${props.name}: at least one node pool is required`);
  const poolNames = props.nodePools.map((p) => p.name);
  if (new Set(poolNames).size !== poolNames.length) {
    throw new Error(`GkeCluster ${props.name}: node pool names must be unique (${poolNames.join(', ')})`);
  }
  for (const p of props.nodePools) {
    if (!(Number.isInteger(p.minNodesPerZone) && p.minNodesPerZone >= 0 && p.maxNodesPerZone >= 1)) {
      throw new Error(`GkeCluster ${props.name}: pool ${p.name} needs min >= 0 and max >= 1 nodes per zone`);
    }
    if (p.minNodesPerZone > p.maxNodesPerZone) {
      throw new Error(
        `GkeCluster ${props.name}: pool ${p.name} has min ${p.minNodesPerZone} > max ${p.maxNodesPerZone}`,
      );
    }
  }
  if (props.authorizedNetworks.length === 0) {
    throw new Error(`GkeCluster ${props.name}: authorizedNetworks must name at least one block`);
  }
  for (const n of props.authorizedNetworks) {
    if (parseCidr(n.cidr).prefix < 8) {
      throw new Error(
        `GkeCluster ${props.name}: authorized network ${n.cidr} (${n.name}) is too wide; open to the world?`,
      );
    }
  }
  if (
    !props.nodeServiceAccountEmail.includes('@') ||
    props.nodeServiceAccountEmail.endsWith('-compute@developer.gserviceaccount.com')
  ) {
    throw new Error(
      `GkeCluster ${props.name}: nodes need a dedicated service account, not ${props.nodeServiceAccountEmail}`,
    );
  }
}
