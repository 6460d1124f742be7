import { RUNTIME_ENV, SERVICES, type ServiceName } from '@scalefu/contracts';
import { Type, type Static, type TObject, type TProperties } from 'typebox';
import { Value } from 'typebox/value';
import { ConfigError } from './errors';
import { toFieldErrors } from './schema-errors';

/** Values of these variables may hold credentials, so errors never echo them. */
const SECRET_LIKE = /PASSWORD|SECRET|TOKEN|KEY|URL/;

/** Variables every service reads; a service adds its own with `serviceConfigSchema`. */
export function baseConfigProperties(service: ServiceName) {
  return {
    [RUNTIME_ENV.port]: Type.Integer({ minimum: 1, maximum: 65535, default: SERVICES[service].port }),
    [RUNTIME_ENV.logLevel]: Type.Union(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
      { default: 'info' },
    ),
    [RUNTIME_ENV.environment]: Type.Union([Type.Literal('local'), Type.Literal('dev'), Type.Literal('prod')], {
      default: 'local',
    }),
    /** Seconds to drain in-flight work on SIGTERM before exiting anyway. */
    SHUTDOWN_TIMEOUT_SECONDS: Type.Integer({ minimum: 1, default: 25 }),
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
    default: 'postgres://scalefu:scalefu@127.0.0.1:5432/scalefu',
  }),
  PG_POOL_MAX: Type.Integer({ minimum: 1, default: 10 }),
} as const;

export const redisConfigProperties = {
  [RUNTIME_ENV.redisUrl]: Type.String({ pattern: '^rediss?://', default: 'redis://127.0.0.1:6379' }),
} as const;

export const smtpConfigProperties = {
  [RUNTIME_ENV.smtpUrl]: Type.String({ pattern: '^smtps?://', default: 'smtp://127.0.0.1:1025' }),
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
  for (const key of Object.keys(schema.properties)) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const value = Value.Default(schema, Value.Convert(schema, raw));
  const errors = [...Value.Errors(schema, value)];
  if (errors.length > 0) {
    const problems = toFieldErrors(errors).map((p) => {
      const got = raw[p.field];
      const echo = got !== undefined && !SECRET_LIKE.test(p.field);
      return { field: p.field, message: echo ? `${p.message} (got "${String(got)}")` : p.message };
    });
    throw new ConfigError(service, problems);
  }
  return value as Static<S>;
}
