import type { ServiceName } from './services';

/** Backing components a service talks to; drives the local stack wiring and the NetworkPolicy graph. */
export type Dependency = 'kafka' | 'postgres' | 'redis' | 'smtp';

export const SERVICE_DEPENDENCIES: Readonly<Record<ServiceName, readonly Dependency[]>> = {
  onboarder: ['kafka', 'redis'],
  user: ['kafka', 'postgres', 'redis'],
  notifier: ['kafka', 'smtp', 'redis'],
  'cache-updater': ['kafka', 'redis'],
};

/**
 * Environment variables a service reads, by purpose. The service kit's config schemas and the Kubernetes
 * Deployments both use these names, so a rename happens here once.
 */
export const RUNTIME_ENV = {
  port: 'PORT',
  logLevel: 'LOG_LEVEL',
  environment: 'SCALEFU_ENV',
  kafkaBrokers: 'KAFKA_BROKERS',
  kafkaSsl: 'KAFKA_SSL',
  kafkaSslCaFile: 'KAFKA_SSL_CA_FILE',
  kafkaSaslUsername: 'KAFKA_SASL_USERNAME',
  kafkaSaslPassword: 'KAFKA_SASL_PASSWORD',
  databaseUrl: 'DATABASE_URL',
  redisUrl: 'REDIS_URL',
  /** Comma-separated `host:port` of Redis Sentinels; when set, clients follow the Sentinel-elected primary. */
  redisSentinels: 'REDIS_SENTINELS',
  redisSentinelMaster: 'REDIS_SENTINEL_MASTER',
  redisPassword: 'REDIS_PASSWORD',
  /** `true`: TLS to Redis and to the Sentinels (the clusters); the local stack's loopback Redis is plaintext. */
  redisTls: 'REDIS_TLS',
  /** PEM file of the CA that signs the Redis and Sentinel certificates (with `REDIS_TLS`). */
  redisTlsCaFile: 'REDIS_TLS_CA_FILE',
  /** Ed25519 private JWKs `{"keys":[current, previous?]}` the user service signs access tokens with. */
  jwtSigningKey: 'JWT_SIGNING_KEY',
  /** 64 hex characters (AES-256 key) sealing TOTP secrets at rest in the user service's Postgres. */
  mfaEncryptionKey: 'MFA_ENCRYPTION_KEY',
  /** `smtp://` or `smtps://` URL of the relay (the local stack's mailpit) the notifier sends through. */
  smtpUrl: 'SMTP_URL',
  /** Pooled SMTP connections per notifier process (the notifier's config schema; ADR 0152). */
  smtpPoolSize: 'SMTP_POOL_SIZE',
  /** Confirmation mails handed to the SMTP pool at once per notifier process (the notifier's config schema). */
  smtpMaxInFlight: 'SMTP_MAX_IN_FLIGHT',
  nationalIdHmacKey: 'NATIONAL_ID_HMAC_KEY',
  trustedProxies: 'TRUSTED_PROXIES',
  /** Comma-separated browser origins allowed to call the API with CORS (credentials included); nothing else is. */
  corsAllowedOrigins: 'CORS_ALLOWED_ORIGINS',
  rateLimitPerMinute: 'RATE_LIMIT_PER_MINUTE',
  /** Chaos tests only: `name=kill@N,…` makes the kit's `failpoint(name)` SIGKILL the process at its Nth hit. */
  failpoints: 'FAILPOINTS',
  /** OpenTelemetry's own variable names (the SDK spec's), read by the kit's tracing (packages/service-kit/src/tracing). */
  otelSdkDisabled: 'OTEL_SDK_DISABLED',
  otelServiceName: 'OTEL_SERVICE_NAME',
  /** `otlp` (the clusters' collector), `zipkin` (the local stack's Zipkin) or `none`. */
  otelTracesExporter: 'OTEL_TRACES_EXPORTER',
  otelTracesEndpoint: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  otelZipkinEndpoint: 'OTEL_EXPORTER_ZIPKIN_ENDPOINT',
  /** Share (0..1) of new root traces kept; the sampler is always parent-based. */
  otelTracesSamplerArg: 'OTEL_TRACES_SAMPLER_ARG',
  /** Public origin of the admin web (the registration status page linked from confirmation mails). */
  publicBaseUrl: 'PUBLIC_BASE_URL',
  /** Sender address of ScaleFu mails. */
  mailFrom: 'MAIL_FROM',
  /** Seconds between turning /readyz to 503 and closing the listener, so load balancers stop sending first. */
  shutdownDrainSeconds: 'SHUTDOWN_DRAIN_SECONDS',
  /** Seconds a service may take to drain in-flight work on SIGTERM before it exits anyway. */
  shutdownTimeoutSeconds: 'SHUTDOWN_TIMEOUT_SECONDS',
} as const;

/** Connection variable of each dependency. */
export const DEPENDENCY_ENV: Readonly<Record<Dependency, string>> = {
  kafka: RUNTIME_ENV.kafkaBrokers,
  postgres: RUNTIME_ENV.databaseUrl,
  redis: RUNTIME_ENV.redisUrl,
  smtp: RUNTIME_ENV.smtpUrl,
};
