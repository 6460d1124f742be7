import {
  ConsumerRunner,
  EventProducer,
  ServiceLifecycle,
  ServiceMetrics,
  createHttpServer,
  createKafka,
  createLogger,
  createRedis,
  redisReadiness,
  type Logger,
  type RetryPolicy,
} from '@scalefu/service-kit';
import { SERVICE, type CacheUpdaterConfig } from './config';
import { userConfirmationSentConsumer } from './consumers/user-confirmation-sent';
import { userCreatedConsumer } from './consumers/user-created';
import { userDeletedConsumer } from './consumers/user-deleted';
import { userRegistrationRejectedConsumer } from './consumers/user-registration-rejected';
import { userUpdatedConsumer } from './consumers/user-updated';
import { CacheUpdaterMetrics } from './metrics';
import { CacheStore } from './store/cache-store';

/** What in-process tests may change without touching the environment. */
export interface CacheUpdaterOverrides {
  readonly logger?: Logger;
  /** Consumer retry policy (tests use a short one). */
  readonly retry?: Partial<RetryPolicy>;
  /** Consumer group (tests use a unique one). @default consumerGroupOf('cache-updater') */
  readonly groupId?: string;
}

/** Wire config → kit → store → consumers → ops endpoints, start consuming, and return how to stop. */
export async function startApp(config: CacheUpdaterConfig, overrides: CacheUpdaterOverrides = {}) {
  const logger = overrides.logger ?? createLogger({ service: SERVICE, level: config.LOG_LEVEL });
  const metrics = new ServiceMetrics(SERVICE);
  const lifecycle = new ServiceLifecycle(logger, config.SHUTDOWN_TIMEOUT_SECONDS * 1000);

  const redis = createRedis({ url: config.REDIS_URL, connectionName: SERVICE }, logger);
  await redis.connect();
  lifecycle.onStop('redis', async () => void (await redis.quit()));

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
  // Only failed records are produced (to the retry and DLQ companions).
  const producer = new EventProducer(kafka, logger, { metrics });
  await producer.connect();
  lifecycle.onStop('kafka-producer', () => producer.disconnect());

  const deps = { store: new CacheStore(redis), metrics: new CacheUpdaterMetrics(metrics.registry) };
  const runner = new ConsumerRunner({
    service: SERVICE,
    kafka,
    producer,
    logger,
    metrics,
    subscriptions: [
      userCreatedConsumer(deps),
      userUpdatedConsumer(deps),
      userDeletedConsumer(deps),
      userConfirmationSentConsumer(deps),
      userRegistrationRejectedConsumer(deps),
    ],
    ...(overrides.retry ? { retry: overrides.retry } : {}),
    ...(overrides.groupId ? { groupId: overrides.groupId } : {}),
  });

  const server = await createHttpServer({
    service: SERVICE,
    logger,
    metrics,
    readinessChecks: [runner.readinessCheck(), producer.readinessCheck(), redisReadiness(redis)],
  });
  await server.listen({ host: '0.0.0.0', port: config.PORT });
  lifecycle.onStop('http', () => server.close());

  await runner.start();
  lifecycle.onStop('kafka-consumer', () => runner.stop());
  lifecycle.onStop('readiness', async () => server.markShuttingDown());

  logger.info({ port: config.PORT }, 'cache-updater started');
  return { server, lifecycle, stop: () => lifecycle.shutdown('stop') };
}

export type CacheUpdaterApp = Awaited<ReturnType<typeof startApp>>;
