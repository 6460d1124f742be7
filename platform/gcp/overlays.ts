import type { ClusterEnvironment } from '../environments';
import type { GcpEnvironmentConfig } from './config';

/**
 * The whole difference between the dev and prod GCP stacks. Names (project, cluster, buckets, service
 * accounts...) and the control plane CIDR are not here: they come from `platform/environments` so the cdk8s side reads the same ones.
 */
const base: GcpEnvironmentConfig = {
  nodesCidr: '10.10.0.0/20',
  podsCidr: '10.16.0.0/14',
  servicesCidr: '10.20.0.0/20',
  flowLogSampling: 0.5,
  // TEST-NET-3 (RFC 5737) reaches nothing: until an operator replaces it with their VPN/office egress,
  // the control plane answers only the VPC. Never 0.0.0.0/0 (the constructor refuses it).
  authorizedNetworks: [{ cidr: '203.0.113.0/24', name: 'operators (replace with your egress CIDR)' }],
  releaseChannel: 'REGULAR',
  nodePools: [
    {
      name: 'general',
      machineType: 'n2-standard-4',
      minNodesPerZone: 1,
      maxNodesPerZone: 5,
      spot: false,
      diskSizeGb: 100,
      labels: { 'scalefu.io/pool': 'general' },
    },
  ],
  deletionProtection: true,
  armorRateLimitMultiplier: 3,
  immutableImageTags: true,
  backupSoftDeleteDays: 30,
};

export const GCP_OVERLAYS: Readonly<Record<ClusterEnvironment, GcpEnvironmentConfig>> = {
  dev: {
    ...base,
    flowLogSampling: 0.1,
    nodePools: [
      {
        name: 'general',
        machineType: 'e2-standard-4',
        minNodesPerZone: 1,
        maxNodesPerZone: 2,
        spot: true,
        diskSizeGb: 50,
        labels: { 'scalefu.io/pool': 'general' },
      },
    ],
    deletionProtection: false,
    immutableImageTags: false,
    backupSoftDeleteDays: 7,
  },
  prod: {
    ...base,
    releaseChannel: 'STABLE',
    nodePools: [
      ...base.nodePools,
      // Kafka brokers and Postgres instances prefer these (node affinity on the label); no taint, so a
      // missing affinity only costs placement, never availability.
      {
        name: 'data',
        machineType: 'n2-highmem-4',
        minNodesPerZone: 1,
        maxNodesPerZone: 2,
        spot: false,
        diskSizeGb: 100,
        labels: { 'scalefu.io/pool': 'data' },
      },
    ],
  },
};
