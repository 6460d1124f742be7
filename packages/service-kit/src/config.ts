import {
  ENVIRONMENTS,
  INFRA_PORTS,
  LOCAL_DATABASE_URL,
  REDIS_SENTINEL_MASTER_SET,
  RUNTIME_ENV,
  SERVICES,
  localEdgeOrigin,
  type ServiceName,
} from '@scalefu/contracts';
import { Type, type Static, type TObject, type TProperties, type TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { ConfigError, type FieldError } from './errors';

/** Values of these variables may hold credentials, so errors never echo them. */
const SECRET_LIKE = /PASSWORD|SECRET|TOKEN|KEY|URL/;

/** Human wording of what a variable must be: the literal choices for unions, else TypeBox's first complaint. */
function describeRule(property: TSchema, value: unknown): string {
  const choices = (property as { anyOf?: { const?: unknown }[] }).anyOf?.map((option) => option.const);
  if (choices && choices.every((c) => c !== undefined)) return `must be one of ${choices.join(', ')}`;
  return [...Value.Errors(property, value)][0]?.message ?? 'is invalid';
}

/** Variables every service reads; a service adds its own with `serviceConfigSchema`. */
export function baseConfigProperties(service: ServiceName) {
  return {
    [RUNTIME_ENV.port]: Type.Integer({ minimum: 1, maximum: 65535, default: SERVICES[service].port }),
    [RUNTIME_ENV.logLevel]: Type.Union(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
      { default: 'info' },
    ),
    [RUNTIME_ENV.environment]: Type.Union(
      ENVIRONMENTS.map((e) => Type.Literal(e)),
      { default: 'local' },
    ),
    /** Seconds to drain in-flight work on SIGTERM before exiting anyway. */
    [RUNTIME_ENV.shutdownTimeoutSeconds]: Type.Integer({ minimum: 1, default: 25 }),
    /** Seconds between /readyz turning 503 and the listener closing (0 locally; the clusters set it). */
    [RUNTIME_ENV.shutdownDrainSeconds]: Type.Integer({ minimum: 0, maximum: 60, default: 0 }),
    /** Browser origins allowed CORS with credentials: the admin web's (the local edge's web host by default). */
    [RUNTIME_ENV.corsAllowedOrigins]: Type.String({
      pattern: '^https?://[^,\\s/]+(,https?://[^,\\s/]+)*$',
      default: localEdgeOrigin('web'),
    }),
  } as const;
}

export const kafkaConfigProperties = {
  [RUNTIME_ENV.kafkaBrokers]: Type.String({
    minLength: 1,
    default: '127.0.0.1:9092',
    pattern: '^[^,\\s]+(,[^,\\s]+)*$',
  }),
  [RUNTIME_ENV.kafkaSsl]: Type.Boolean({ default: false }),
  [RUNTIME_ENV.kafkaSslCaFile]: Type.Optional(Type.String({ minLength: 1 })),
  [RUNTIME_ENV.kafkaSaslUsername]: Type.Optional(Type.String({ minLength: 1 })),
  [RUNTIME_ENV.kafkaSaslPassword]: Type.Optional(Type.String({ minLength: 1 })),
} as const;

export const postgresConfigProperties = {
  [RUNTIME_ENV.databaseUrl]: Type.String({
    pattern: '^postgres(ql)?://',
    default: LOCAL_DATABASE_URL,
  }),
  PG_POOL_MAX: Type.Integer({ minimum: 1, default: 10 }),
} as const;

export const redisConfigProperties = {
  [RUNTIME_ENV.redisUrl]: Type.String({
    pattern: '^rediss?://',
    default: `redis://127.0.0.1:${INFRA_PORTS.redis.port}`,
  }),
  /** Set in the clusters: clients ask these Sentinels for the current primary instead of dialling REDIS_URL. */
  [RUNTIME_ENV.redisSentinels]: Type.Optional(Type.String({ pattern: '^[^,\\s]+:\\d+(,[^,\\s]+:\\d+)*$' })),
  [RUNTIME_ENV.redisSentinelMaster]: Type.String({ minLength: 1, default: REDIS_SENTINEL_MASTER_SET }),
  [RUNTIME_ENV.redisPassword]: Type.Optional(Type.String({ minLength: 1 })),
  [RUNTIME_ENV.redisTls]: Type.Boolean({ default: false }),
  [RUNTIME_ENV.redisTlsCaFile]: Type.Optional(Type.String({ minLength: 1 })),
} as const;

export const smtpConfigProperties = {
  [RUNTIME_ENV.smtpUrl]: Type.String({ pattern: '^smtps?://', default: `smtp://127.0.0.1:${INFRA_PORTS.smtp.port}` }),
} as const;

/** A service's config schema: the base variables plus its own. */
export function serviceConfigSchema<P extends TProperties>(service: ServiceName, properties: P) {
  return Type.Object({ ...baseConfigProperties(service), ...properties });
}

/**
 * Read and validate configuration once at start-up. Strings from the environment are converted to the
 * schema's types and defaults filled in; anything wrong throws one `ConfigError` naming every variable.
 */
export function loadConfig<S extends TObject>(
  service: string,
  schema: S,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Static<S> {
  const raw: Record<string, unknown> = {};
  const withDefaults: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(schema.properties as TProperties)) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = withDefaults[key] = value;
    // Defaults fill only unset variables: Value.Default would also replace an invalid value with the default,
    // silently turning a typo in a production DATABASE_URL into the local one.
    else if ('default' in property) withDefaults[key] = (property as { default: unknown }).default;
  }
  const value = Value.Convert(schema, withDefaults) as Record<string, unknown>;
  // Each variable is checked on its own: TypeBox caps one error list, and a failed union fills it with noise.
  const problems: FieldError[] = [];
  for (const [key, property] of Object.entries(schema.properties as TProperties)) {
    const optional = (schema.required ?? []).indexOf(key) === -1;
    if (value[key] === undefined) {
      if (!optional) problems.push({ field: key, message: 'is required' });
      continue;
    }
    if (Value.Check(property, value[key])) continue;
    const echo = raw[key] !== undefined && !SECRET_LIKE.test(key) ? ` (got "${String(raw[key])}")` : '';
    problems.push({ field: key, message: `${describeRule(property, value[key])}${echo}` });
  }
  if (problems.length > 0) throw new ConfigError(service, problems);
  return value as Static<S>;
}

/**
 * Whose `X-Forwarded-For` is believed: a hop count (the clusters: CLUSTER_TRUSTED_PROXY_HOPS, because Google's load
 * balancer appends its own address), or comma-separated IPs/CIDRs of the proxies; empty = the socket address.
 */
export const trustedProxiesConfigProperties = {
  [RUNTIME_ENV.trustedProxies]: Type.String({ default: '', pattern: '^[0-9a-fA-F.:/,\\s]*$' }),
};

/**
 * `TRUSTED_PROXIES` as the HTTP server's `trustedProxies` option: an integer N trusts the last N hops (the client is
 * the X-Forwarded-For entry before them, whatever the client put further left); otherwise the list of IPs/CIDRs.
 */
export function parseTrustedProxies(raw: string): string[] | number | false {
  const value = raw.trim();
  if (/^\d+$/.test(value)) return Number(value) > 0 ? Number(value) : false;
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return list.length ? list : false;
}
