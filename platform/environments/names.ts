import { SERVICE_NAMES, publicHostName, type ServiceName } from '@scalefu/contracts';
import type { EnvironmentNames, EnvironmentSettings } from './types';

/** Everything both sides derive from an environment's settings, derived in exactly one place. */
export function namesOf(env: EnvironmentSettings): EnvironmentNames {
  const sa = (id: string) => `${id}@${env.projectId}.iam.gserviceaccount.com`;
  const workloads = Object.fromEntries(SERVICE_NAMES.map((s) => [s, sa(`scalefu-${s}`)])) as Record<
    ServiceName,
    string
  >;
  return {
    hosts: {
      api: publicHostName('api', env.dnsDomain),
      adminApi: publicHostName('adminApi', env.dnsDomain),
      web: publicHostName('web', env.dnsDomain),
    },
    imageRegistry: `${env.region}-docker.pkg.dev/${env.projectId}/scalefu`,
    workloadServiceAccounts: {
      ...workloads,
      'external-secrets': sa('scalefu-external-secrets'),
      'postgres-backup': sa('scalefu-postgres-backup'),
      'otel-collector': sa('scalefu-otel-collector'),
    },
    buckets: {
      postgresBackups: `${env.projectId}-postgres-backups`,
      adminWeb: `${env.projectId}-admin-web`,
      terraformState: `${env.projectId}-tfstate`,
    },
    secretIds: {
      'postgres-app': 'scalefu-postgres-app',
      'redis-auth': 'scalefu-redis-auth',
      'national-id-hmac-key': 'scalefu-national-id-hmac-key',
      smtp: 'scalefu-smtp',
      'jwt-signing-key': 'scalefu-jwt-signing-key',
      'mfa-encryption-key': 'scalefu-mfa-encryption-key',
    },
  };
}
