import { ENVIRONMENT_SETTINGS } from '../../environments/index';
import type { ClusterOverlay, ResourceSize } from './types';

const service: ResourceSize = {
  cpu: { request: '500m', limit: '2' },
  memory: { request: '256Mi', limit: '512Mi' },
};

/** prod: three of everything stateful (one per zone), at least two of every service, production certificates. */
export const prod: ClusterOverlay = {
  settings: ENVIRONMENT_SETTINGS.prod,
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
};
