import { SERVICES } from '@scalefu/contracts';
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
import { SERVICE, type NotifierConfig } from './config';
import { userCreatedConsumer } from './consumers/user-created';
import { createMailer, smtpReadiness } from './mail/smtp';
import { NotifierMetrics } from './metrics';
import { SentConfirmations } from './store/sent-confirmations';

/** What in-process tests may change without touching the environment. */
export interface NotifierOverrides {
  readonly logger?: Logger;
  /** Consumer retry policy (tests use a short one). */
  readonly retry?: Partial<RetryPolicy>;
  /** Consumer group (tests use a unique one). @default consumerGroupOf('notifier') */
  readonly groupId?: string;
}

/** Wire config → kit → store → consumer → ops endpoints, start consuming, and return how to stop. */
export async function startApp(config: NotifierConfig, overrides: NotifierOverrides = {}) {
  const logger = overrides.logger ?? createLogger({ service: SERVICE, level: config.LOG_LEVEL });
  const metrics = new ServiceMetrics(SERVICE);
  const lifecycle = new ServiceLifecycle(logger, config.SHUTDOWN_TIMEOUT_SECONDS * 1000);

  const redis = createRedis({ url: config.REDIS_URL, connectionName: SERVICE }, logger);
  await redis.connect();
  lifecycle.onStop('redis', async () => void (await redis.quit()));

  const mailer = createMailer({ url: config.SMTP_URL, poolSize: config.SMTP_POOL_SIZE }, logger);
  lifecycle.onStop('smtp', async () => mailer.close());

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

  const runner = new ConsumerRunner({
    service: SERVICE,
    kafka,
    producer,
    logger,
    metrics,
    subscriptions: [
      userCreatedConsumer({
        store: new SentConfirmations(redis, config.SEND_LEASE_SECONDS),
        mailer,
        producer,
        metrics: new NotifierMetrics(metrics.registry),
        mailFrom: config.MAIL_FROM,
        publicBaseUrl: config.PUBLIC_BASE_URL,
      }),
    ],
    ...(overrides.retry ? { retry: overrides.retry } : {}),
    ...(overrides.groupId ? { groupId: overrides.groupId } : {}),
  });

  const server = await createHttpServer({
    service: SERVICE,
    logger,
    metrics,
    readinessChecks: [runner.readinessCheck(), producer.readinessCheck(), redisReadiness(redis), smtpReadiness(mailer)],
  });
  await server.listen({ host: '0.0.0.0', port: config.PORT });
  lifecycle.onStop('http', () => server.close());

  await runner.start();
  lifecycle.onStop('kafka-consumer', () => runner.stop());
  lifecycle.onStop('readiness', async () => server.markShuttingDown());

  logger.info({ port: config.PORT, kind: SERVICES[SERVICE].kind }, 'notifier started');
  return { server, lifecycle, stop: () => lifecycle.shutdown('stop') };
}

export type NotifierApp = Awaited<ReturnType<typeof startApp>>;
