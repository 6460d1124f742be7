import { RUNTIME_ENV } from '@scalefu/contracts';
import {
  ConsumerRunner,
  EventProducer,
  ServiceLifecycle,
  ServiceMetrics,
  createKafka,
  createLogger,
  createPostgresPool,
  postgresReadiness,
  type Logger,
  type PostgresPool,
  type RetryPolicy,
} from '@scalefu/service-kit';
import type { UserConfig } from './config';
import { userConfirmationSent } from './consumers/user-confirmation-sent';
import { userRegistrationRequest } from './consumers/user-registration-request';
import { OutboxRelay } from './outbox/relay';
import type { AdminGuard } from './routes/admin';
import { buildServer, type UserServer } from './server';

/** What tests (and later issues) may change without touching config. */
export interface AppOverrides {
  readonly logger?: Logger;
  /** Listen port; 0 picks a free one. @default config.PORT */
  readonly port?: number;
  /** @default '0.0.0.0' */
  readonly host?: string;
  /** Consumer group, so a test's app does not share partitions with another test's. @default scalefu.user */
  readonly groupId?: string;
  readonly retry?: Partial<RetryPolicy>;
  /** Run the consumers. @default true */
  readonly consumers?: boolean;
  /** Run the outbox relay. @default true */
  readonly relay?: boolean;
  readonly guard?: AdminGuard;
}

export interface RunningApp {
  readonly server: UserServer;
  /** `http://host:port` the server listens on. */
  readonly url: string;
  readonly pool: PostgresPool;
  readonly relay: OutboxRelay | undefined;
  readonly lifecycle: ServiceLifecycle;
  stop(): Promise<void>;
}

/** Wire the kit, the store, the relay, the consumers and the admin API; every step registers how it stops. */
export async function startApp(config: UserConfig, overrides: AppOverrides = {}): Promise<RunningApp> {
  const logger = overrides.logger ?? createLogger({ service: 'user', level: config.LOG_LEVEL });
  const metrics = new ServiceMetrics('user');
  const lifecycle = new ServiceLifecycle(logger, config.SHUTDOWN_TIMEOUT_SECONDS * 1000);
  try {
    const pool = createPostgresPool(
      { url: config[RUNTIME_ENV.databaseUrl], max: config.PG_POOL_MAX, applicationName: 'user' },
      logger,
    );
    lifecycle.onStop('postgres', () => pool.end());

    const kafka = createKafka(
      {
        brokers: config[RUNTIME_ENV.kafkaBrokers],
        clientId: 'user',
        ssl: config[RUNTIME_ENV.kafkaSsl],
        sslCaFile: config[RUNTIME_ENV.kafkaSslCaFile],
        saslUsername: config[RUNTIME_ENV.kafkaSaslUsername],
        saslPassword: config[RUNTIME_ENV.kafkaSaslPassword],
      },
      logger,
    );
    const producer = new EventProducer(kafka, logger, { metrics });
    await producer.connect();
    lifecycle.onStop('producer', () => producer.disconnect());

    let relay: OutboxRelay | undefined;
    if (overrides.relay ?? true) {
      relay = new OutboxRelay({
        pool,
        databaseUrl: config[RUNTIME_ENV.databaseUrl],
        publisher: producer,
        logger: logger.child({ component: 'outbox-relay' }),
        metrics,
        batchSize: config.OUTBOX_BATCH_SIZE,
        pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
        retentionHours: config.OUTBOX_RETENTION_HOURS,
      });
      await relay.start();
      lifecycle.onStop('outbox-relay', () => relay!.stop());
    }

    const readinessChecks = [postgresReadiness(pool), producer.readinessCheck()];
    if (overrides.consumers ?? true) {
      const runner = new ConsumerRunner({
        service: 'user',
        kafka,
        producer,
        logger,
        metrics,
        subscriptions: [userRegistrationRequest(pool), userConfirmationSent(pool)],
        ...(overrides.groupId ? { groupId: overrides.groupId } : {}),
        ...(overrides.retry ? { retry: overrides.retry } : {}),
      });
      await runner.start();
      lifecycle.onStop('consumers', () => runner.stop());
      readinessChecks.push(runner.readinessCheck());
    }

    const server = await buildServer({
      logger,
      metrics,
      readinessChecks,
      deps: { pool, nationalIdHmacKey: config[RUNTIME_ENV.nationalIdHmacKey] },
      ...(overrides.guard ? { guard: overrides.guard } : {}),
    });
    const url = await server.listen({ port: overrides.port ?? config.PORT, host: overrides.host ?? '0.0.0.0' });
    lifecycle.onStop('http', async () => {
      server.markShuttingDown();
      await server.close();
    });
    logger.info({ url }, 'user service started');
    return { server, url, pool, relay, lifecycle, stop: () => lifecycle.shutdown('stop') };
  } catch (error) {
    await lifecycle.shutdown('start failed');
    throw error;
  }
}
