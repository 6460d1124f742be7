/**
 * What each service gets from its dependencies: secret env (synced from Secret Manager) and plain config.
 * Derived from SERVICE_DEPENDENCIES so adding a dependency in contracts wires it here without a second list.
 */
import {
  PUBLIC_RATE_LIMIT,
  RUNTIME_ENV,
  SERVICE_DEPENDENCIES,
  type Dependency,
  type ServiceName,
} from '@scalefu/contracts';
import type { EnvironmentNames } from '../environments/index';
import { NETWORK_RANGES, PENDING_RUNTIME_ENV, STORE_NAMES } from './facts';

export interface ServiceWiring {
  /** Template variable -> Secret Manager secret id. */
  readonly remote: Record<string, string>;
  /** Env var -> Go template over the remote variables. */
  readonly secretTemplate: Record<string, string>;
  /** Plain env. */
  readonly config: Record<string, string>;
}

export interface StoreEndpoints {
  readonly postgresHost: string;
  readonly redisHeadless: string;
  readonly redisSentinels: string;
  readonly namespace: string;
}

/** Secrets beyond connection strings, by service (not derivable from dependencies). */
const EXTRA_SECRETS: Readonly<Partial<Record<ServiceName, readonly ('national-id-hmac-key' | 'jwt-signing-key')[]>>> = {
  onboarder: ['national-id-hmac-key'],
  user: ['national-id-hmac-key', 'jwt-signing-key'],
};

const EXTRA_SECRET_ENV = {
  'national-id-hmac-key': RUNTIME_ENV.nationalIdHmacKey,
  'jwt-signing-key': PENDING_RUNTIME_ENV.jwtSigningKey,
} as const;

export function wiringOf(service: ServiceName, names: EnvironmentNames, stores: StoreEndpoints): ServiceWiring {
  const remote: Record<string, string> = {};
  const secretTemplate: Record<string, string> = {};
  const config: Record<string, string> = {};
  const byDependency: Record<Dependency, () => void> = {
    kafka: () => undefined, // SCRAM user and CA come from Strimzi, see ScaleFuService
    postgres: () => {
      remote.postgresPassword = names.secretIds['postgres-app'];
      secretTemplate[RUNTIME_ENV.databaseUrl] =
        `postgresql://${STORE_NAMES.postgresOwner}:{{ .postgresPassword | urlquery }}@${stores.postgresHost}:5432/${STORE_NAMES.postgresDatabase}?sslmode=require`;
    },
    redis: () => {
      remote.redisPassword = names.secretIds['redis-auth'];
      secretTemplate[RUNTIME_ENV.redisUrl] = `redis://:{{ .redisPassword | urlquery }}@${stores.redisHeadless}:6379/0`;
      secretTemplate[PENDING_RUNTIME_ENV.redisPassword] = '{{ .redisPassword }}';
      config[PENDING_RUNTIME_ENV.redisSentinels] = stores.redisSentinels;
      config[PENDING_RUNTIME_ENV.redisSentinelMaster] = STORE_NAMES.redisMasterSet;
    },
    smtp: () => {
      remote.smtpUrl = names.secretIds.smtp;
      secretTemplate[RUNTIME_ENV.smtpUrl] = '{{ .smtpUrl }}';
    },
  };
  for (const dependency of SERVICE_DEPENDENCIES[service]) byDependency[dependency]();
  for (const extra of EXTRA_SECRETS[service] ?? []) {
    const variable = extra.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
    remote[variable] = names.secretIds[extra];
    secretTemplate[EXTRA_SECRET_ENV[extra]] = `{{ .${variable} }}`;
  }
  if (service === 'onboarder') {
    config[RUNTIME_ENV.rateLimitPerMinute] = String(PUBLIC_RATE_LIMIT.max);
    // Only the Google front ends may set the client IP the rate limit keys on.
    config[RUNTIME_ENV.trustedProxies] = NETWORK_RANGES.googleFrontEnds.join(',');
  }
  return { remote, secretTemplate, config };
}
