/**
 * What each service gets from its dependencies: secret env (synced from Secret Manager) and plain config.
 * Derived from SERVICE_DEPENDENCIES so adding a dependency in contracts wires it here without a second list.
 */
import {
  CLUSTER_PORTS,
  CLUSTER_TRUSTED_PROXY_HOPS,
  PUBLIC_RATE_LIMIT,
  RUNTIME_ENV,
  SERVICES,
  SERVICE_DEPENDENCIES,
  type Dependency,
  type ServiceName,
} from '@scalefu/contracts';
import { namesOf, type EnvironmentSettings } from '../environments/index';
import { STORE_NAMES } from './facts';
import { caCertificatePath } from './constructs/scalefu-service';

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
const EXTRA_SECRETS: Readonly<
  Partial<Record<ServiceName, readonly ('national-id-hmac-key' | 'jwt-signing-key' | 'mfa-encryption-key')[]>>
> = {
  onboarder: ['national-id-hmac-key'],
  user: ['national-id-hmac-key', 'jwt-signing-key', 'mfa-encryption-key'],
};

const EXTRA_SECRET_ENV = {
  'national-id-hmac-key': RUNTIME_ENV.nationalIdHmacKey,
  'jwt-signing-key': RUNTIME_ENV.jwtSigningKey,
  'mfa-encryption-key': RUNTIME_ENV.mfaEncryptionKey,
} as const;

export function wiringOf(service: ServiceName, env: EnvironmentSettings, stores: StoreEndpoints): ServiceWiring {
  const names = namesOf(env);
  const remote: Record<string, string> = {};
  const secretTemplate: Record<string, string> = {};
  const config: Record<string, string> = {};
  const byDependency: Record<Dependency, () => void> = {
    kafka: () => undefined, // SCRAM user and CA come from Strimzi, see ScaleFuService
    postgres: () => {
      remote.postgresPassword = names.secretIds['postgres-app'];
      secretTemplate[RUNTIME_ENV.databaseUrl] =
        `postgresql://${STORE_NAMES.postgresOwner}:{{ .postgresPassword | urlquery }}@${stores.postgresHost}:${CLUSTER_PORTS.postgres}/${STORE_NAMES.postgresDatabase}` +
        // verify-full: the server's certificate must chain to CNPG's CA and name the host; `require` checks neither.
        `?sslmode=verify-full&sslrootcert=${caCertificatePath('postgres')}`;
    },
    redis: () => {
      remote.redisPassword = names.secretIds['redis-auth'];
      // rediss: Redis listens on TLS only; the kit verifies its certificate against the mounted CA.
      secretTemplate[RUNTIME_ENV.redisUrl] =
        `rediss://:{{ .redisPassword | urlquery }}@${stores.redisHeadless}:${CLUSTER_PORTS.redis}/0`;
      secretTemplate[RUNTIME_ENV.redisPassword] = '{{ .redisPassword }}';
      config[RUNTIME_ENV.redisSentinels] = stores.redisSentinels;
      config[RUNTIME_ENV.redisSentinelMaster] = STORE_NAMES.redisMasterSet;
      config[RUNTIME_ENV.redisTls] = 'true';
      config[RUNTIME_ENV.redisTlsCaFile] = caCertificatePath('redis');
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
    // Behind Google's LB the socket peer is a front end and the LB appends its own address to X-Forwarded-For,
    // so the client is the entry before the last two hops. Trusting the front-end CIDRs instead would key every
    // client's rate limit on the LB's address.
    config[RUNTIME_ENV.trustedProxies] = String(CLUSTER_TRUSTED_PROXY_HOPS);
  }
  if (service === 'user') {
    // Sign-in throttling keys on the client IP, found the same way as the onboarder's rate limit.
    config[RUNTIME_ENV.trustedProxies] = String(CLUSTER_TRUSTED_PROXY_HOPS);
  }
  if (SERVICES[service].kind === 'http-api') {
    // The admin web (register page, admin console) is the only browser origin the APIs grant CORS to.
    config[RUNTIME_ENV.corsAllowedOrigins] = `https://${names.hosts.web}`;
  }
  if (service === 'notifier') {
    // Links in confirmation mails open the admin web's status page; mail comes from the environment's own domain.
    config[RUNTIME_ENV.publicBaseUrl] = `https://${names.hosts.web}`;
    config[RUNTIME_ENV.mailFrom] = `no-reply@${env.dnsDomain}`;
  }
  return { remote, secretTemplate, config };
}
