import { RUNTIME_ENV } from '@scalefu/contracts';
import {
  ConsumerRunner,
  ServiceRuntime,
  type Logger,
  type PostgresPool,
  type RetryPolicy,
  type ServiceLifecycle,
  parseOrigins,
} from '@scalefu/service-kit';
import { authDepsOf } from './auth-deps';
import type { Redis } from 'ioredis';
import { SERVICE, trustedProxiesOf, type UserConfig } from './config';
import { userConfirmationSent } from './consumers/user-confirmation-sent';
import { userRegistrationRequest } from './consumers/user-registration-request';
import { UserMetrics } from './metrics';
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
  readonly redis: Redis;
  readonly relay: OutboxRelay | undefined;
  readonly lifecycle: ServiceLifecycle;
  stop(): Promise<void>;
}

/** Wire the kit, the store, the relay, the consumers and the admin API; every step registers how it stops. */
export async function startApp(config: UserConfig, overrides: AppOverrides = {}): Promise<RunningApp> {
  const runtime = new ServiceRuntime(SERVICE, config, overrides.logger);
  const { logger, metrics, lifecycle } = runtime;
  try {
    const pool = runtime.connectPostgres(config);
    const redis = await runtime.connectRedis(config);
    const { kafka, producer } = await runtime.connectKafka(config);

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

    const userMetrics = new UserMetrics(metrics);
    let runner: ConsumerRunner | undefined;
    if (overrides.consumers ?? true) {
      runner = new ConsumerRunner({
        service: SERVICE,
        kafka,
        producer,
        logger,
        metrics,
        subscriptions: [userRegistrationRequest(pool, userMetrics), userConfirmationSent(pool, userMetrics)],
        ...(overrides.groupId ? { groupId: overrides.groupId } : {}),
        ...(overrides.retry ? { retry: overrides.retry } : {}),
      });
      runtime.addReadinessCheck(runner.readinessCheck());
    }

    const server = await buildServer({
      logger,
      metrics,
      readinessChecks: runtime.readinessChecks,
      deps: { pool, nationalIdHmacKey: config[RUNTIME_ENV.nationalIdHmacKey] },
      auth: authDepsOf(config, pool, redis, logger, metrics),
      trustedProxies: trustedProxiesOf(config),
      allowedOrigins: parseOrigins(config[RUNTIME_ENV.corsAllowedOrigins]),
      ...(overrides.guard ? { guard: overrides.guard } : {}),
    });
    if (runner) await runtime.consume(runner);
    const url = await runtime.serve(server, { port: overrides.port ?? config.PORT, host: overrides.host ?? '0.0.0.0' });
    logger.info({ url }, 'user service started');
    return { server, url, pool, redis, relay, lifecycle, stop: () => lifecycle.shutdown('stop') };
  } catch (error) {
    await lifecycle.shutdown('start failed');
    throw error;
  }
}
