import { PUBLIC_RATE_LIMIT, RUNTIME_ENV, SERVICES } from '@scalefu/contracts';
import {
  EventProducer,
  ServiceLifecycle,
  ServiceMetrics,
  createKafka,
  createLogger,
  createRedis,
  redisReadiness,
  type Logger,
} from '@scalefu/service-kit';
import { SERVICE, trustedProxiesOf, type OnboarderConfig } from './config';
import { buildServer } from './server';
import { RateLimiter } from './store/rate-limiter';
import { Reservations } from './store/reservations';

/** What in-process tests may change without touching the environment. */
export interface OnboarderOverrides {
  readonly logger?: Logger;
  /** Port to listen on; 0 picks a free one. @default config.PORT */
  readonly port?: number;
}

/** Wire config → kit → store → routes, listen, and return how to stop (plus handles tests use to break things). */
export async function startApp(config: OnboarderConfig, overrides: OnboarderOverrides = {}) {
  const logger = overrides.logger ?? createLogger({ service: SERVICE, level: config.LOG_LEVEL });
  const metrics = new ServiceMetrics(SERVICE);
  const lifecycle = new ServiceLifecycle(logger, config.SHUTDOWN_TIMEOUT_SECONDS * 1000);

  const redis = createRedis({ url: config.REDIS_URL, connectionName: SERVICE }, logger);
  await redis.connect();
  lifecycle.onStop('redis', async () => void (await redis.quit().catch(() => redis.disconnect())));

  const kafka = createKafka(
    {
      brokers: config.KAFKA_BROKERS,
      clientId: SERVICE,
      ssl: config.KAFKA_SSL,
      ...(config.KAFKA_SSL_CA_FILE ? { sslCaFile: config.KAFKA_SSL_CA_FILE } : {}),
      ...(config.KAFKA_SASL_USERNAME ? { saslUsername: config.KAFKA_SASL_USERNAME } : {}),
      ...(config.KAFKA_SASL_PASSWORD ? { saslPassword: config.KAFKA_SASL_PASSWORD } : {}),
    },
    logger,
  );
  const producer = new EventProducer(kafka, logger, { metrics });
  await producer.connect();
  lifecycle.onStop('kafka-producer', () => producer.disconnect());

  const server = await buildServer({
    logger,
    metrics,
    reservations: new Reservations(redis),
    rateLimiter: new RateLimiter(redis, config[RUNTIME_ENV.rateLimitPerMinute], PUBLIC_RATE_LIMIT.windowMs),
    producer,
    nationalIdHmacKey: config[RUNTIME_ENV.nationalIdHmacKey],
    trustedProxies: trustedProxiesOf(config),
    readinessChecks: [redisReadiness(redis), producer.readinessCheck()],
  });
  await server.listen({ host: '0.0.0.0', port: overrides.port ?? config.PORT });
  lifecycle.onStop('http', () => server.close());
  lifecycle.onStop('readiness', async () => server.markShuttingDown());

  logger.info({ port: config.PORT, kind: SERVICES[SERVICE].kind }, 'onboarder started');
  return { server, lifecycle, producer, redis, stop: () => lifecycle.shutdown('stop') };
}

export type OnboarderApp = Awaited<ReturnType<typeof startApp>>;
