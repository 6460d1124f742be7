import { base } from './base';
import { deriveEnvironment } from './derive';
import type { ResourceSize } from './types';

const service: ResourceSize = {
  cpu: { request: '500m', limit: '2' },
  memory: { request: '256Mi', limit: '512Mi' },
};

/** prod: three of everything stateful (one per zone), at least two of every service, production certificates. */
export const prod = deriveEnvironment(base, {
  settings: {
    name: 'prod',
    projectId: 'scalefu-prod',
    clusterName: 'scalefu-prod',
    dnsDomain: 'scalefu.jadepalace.co.th',
    controlPlaneCidr: '172.16.0.16/28',
    // release-digests:begin (written by scripts/release.ts; do not edit by hand)
    imageTag: '0.1.0',
    imageDigests: {},
    // release-digests:end
  },
  kubernetes: {
    highAvailability: true,
    services: {
      onboarder: { minReplicas: 3, maxReplicas: 30, resources: service },
      user: { minReplicas: 3, maxReplicas: 24, resources: service },
      notifier: { minReplicas: 2, maxReplicas: 24, resources: service },
      'cache-updater': { minReplicas: 2, maxReplicas: 12, resources: service },
    },
    kafka: {
      layout: 'separate-controllers',
      controllers: 3,
      brokers: 3,
      storageSize: '200Gi',
      // Sized by the capacity model (platform/capacity) for the prod peak; capacity.test.ts keeps them in step.
      resources: { cpu: { request: '4', limit: '4' }, memory: { request: '8Gi', limit: '8Gi' } },
      topics: { partitions: { hot: 24, warm: 12 }, replicationFactor: 3, minInSyncReplicas: 2 },
    },
    postgres: {
      instances: 3,
      storageSize: '100Gi',
      backupRetention: '30d',
      // Sized by the capacity model (platform/capacity) for the prod peak; capacity.test.ts keeps them in step.
      resources: { cpu: { request: '4', limit: '4' }, memory: { request: '8Gi', limit: '8Gi' } },
    },
    redis: {
      replicas: 3,
      sentinels: 3,
      persistence: { storageSize: '10Gi' },
      resources: { cpu: { request: '250m', limit: '1' }, memory: { request: '1Gi', limit: '1Gi' } },
    },
    acmeIssuer: 'letsencrypt-production',
    quota: { cpu: '96', memory: '192Gi', storage: '2Ti' },
    logLevel: 'info',
  },
  gcp: {
    releaseChannel: 'STABLE',
    nodePools: [
      ...base.gcp.nodePools,
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
});
