import { ConsumerRunner, ServiceRuntime, type ConsumerAppOverrides } from '@scalefu/service-kit';
import { SERVICE, type CacheUpdaterConfig } from './config';
import { userConfirmationSentConsumer } from './consumers/user-confirmation-sent';
import { userCreatedConsumer } from './consumers/user-created';
import { userDeletedConsumer } from './consumers/user-deleted';
import { userRegistrationRejectedConsumer } from './consumers/user-registration-rejected';
import { userUpdatedConsumer } from './consumers/user-updated';
import { CacheUpdaterMetrics } from './metrics';
import { CacheStore } from './store/cache-store';

/** What in-process tests may change without touching the environment. */
export type CacheUpdaterOverrides = ConsumerAppOverrides;

/** Wire config → kit → store → consumers → ops endpoints, start consuming, and return how to stop. */
export async function startApp(config: CacheUpdaterConfig, overrides: CacheUpdaterOverrides = {}) {
  const runtime = new ServiceRuntime(SERVICE, config, overrides.logger);
  try {
    const redis = await runtime.connectRedis(config);
    // Only failed records are produced (to the retry and DLQ companions).
    const { kafka, producer } = await runtime.connectKafka(config);

    const deps = { store: new CacheStore(redis), metrics: new CacheUpdaterMetrics(runtime.metrics.registry) };
    const runner = new ConsumerRunner({
      service: SERVICE,
      kafka,
      producer,
      logger: runtime.logger,
      metrics: runtime.metrics,
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
    runtime.addReadinessCheck(runner.readinessCheck());

    const server = await runtime.createHttpServer();
    await runtime.serve(server);
    await runtime.consume(runner);

    runtime.logger.info({ port: config.PORT }, 'cache-updater started');
    return { server, lifecycle: runtime.lifecycle, stop: () => runtime.lifecycle.shutdown('stop') };
  } catch (error) {
    // Whatever connected before the failing step (Redis, Kafka) is closed, not leaked.
    await runtime.lifecycle.shutdown('start failed');
    throw error;
  }
}

export type CacheUpdaterApp = Awaited<ReturnType<typeof startApp>>;
