import type { EnvironmentBase, ResourceSize } from './types';

const small: ResourceSize = {
  cpu: { request: '100m', limit: '500m' },
  memory: { request: '128Mi', limit: '256Mi' },
};

/** A service's limit holds its V8 heap ceiling and what it keeps outside the heap (SERVICE_MEMORY_LIMIT_FLOOR_MIB). */
const service: ResourceSize = {
  cpu: small.cpu,
  memory: { request: '256Mi', limit: '512Mi' },
};

/**
 * What every environment starts from. Kubernetes sizes are the smallest that run the whole system (one of each
 * store, one replica per service); GCP protection is on. `dev.ts` and `prod.ts` state only how they differ.
 */
export const base: EnvironmentBase = {
  settings: {
    region: 'asia-southeast1',
    zones: ['asia-southeast1-a', 'asia-southeast1-b', 'asia-southeast1-c'],
  },
  kubernetes: {
    highAvailability: false,
    services: {
      onboarder: { minReplicas: 1, maxReplicas: 3, resources: service },
      user: { minReplicas: 1, maxReplicas: 3, resources: service },
      notifier: { minReplicas: 1, maxReplicas: 3, resources: service },
      'cache-updater': { minReplicas: 1, maxReplicas: 3, resources: service },
    },
    kafka: {
      layout: 'dual-role',
      controllers: 1,
      brokers: 1,
      storageSize: '10Gi',
      resources: { cpu: { request: '250m', limit: '1' }, memory: { request: '1Gi', limit: '1Gi' } },
      topics: { partitions: { hot: 6, warm: 3 }, replicationFactor: 1, minInSyncReplicas: 1 },
    },
    postgres: {
      instances: 1,
      storageSize: '5Gi',
      backupRetention: '7d',
      resources: { cpu: { request: '100m', limit: '500m' }, memory: { request: '256Mi', limit: '512Mi' } },
    },
    redis: { replicas: 1, sentinels: 1, persistence: false, resources: small },
    acmeIssuer: 'letsencrypt-staging',
    quota: { cpu: '16', memory: '32Gi', storage: '100Gi' },
    logLevel: 'debug',
  },
  gcp: {
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
  },
};
