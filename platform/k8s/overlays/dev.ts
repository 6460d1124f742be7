import { ENVIRONMENT_SETTINGS } from '../../environments/index';
import type { ClusterOverlay, ResourceSize } from './types';

const small: ResourceSize = {
  cpu: { request: '100m', limit: '500m' },
  memory: { request: '128Mi', limit: '256Mi' },
};

/** dev: one replica where that is enough, small disks, staging certificates; same constructs as prod. */
export const dev: ClusterOverlay = {
  settings: ENVIRONMENT_SETTINGS.dev,
  services: {
    onboarder: { minReplicas: 1, maxReplicas: 3, resources: small },
    user: { minReplicas: 1, maxReplicas: 3, resources: small },
    notifier: { minReplicas: 1, maxReplicas: 3, resources: small },
    'cache-updater': { minReplicas: 1, maxReplicas: 3, resources: small },
  },
  kafka: {
    layout: 'dual-role',
    controllers: 1,
    brokers: 1,
    storageSize: '10Gi',
    resources: { cpu: { request: '250m', limit: '1' }, memory: { request: '1Gi', limit: '1Gi' } },
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
};
