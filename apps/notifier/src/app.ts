import { RUNTIME_ENV, SERVICES } from '@scalefu/contracts';
import { ConsumerRunner, ServiceRuntime, type ConsumerAppOverrides } from '@scalefu/service-kit';
import { SERVICE, type NotifierConfig } from './config';
import { userCreatedConsumer } from './consumers/user-created';
import { createMailer, smtpReadiness } from './mail/smtp';
import { NotifierMetrics } from './metrics';
import { SentConfirmations } from './store/sent-confirmations';

/** What in-process tests may change without touching the environment. */
export type NotifierOverrides = ConsumerAppOverrides;

/** Wire config → kit → store → consumer → ops endpoints, start consuming, and return how to stop. */
export async function startApp(config: NotifierConfig, overrides: NotifierOverrides = {}) {
  const runtime = new ServiceRuntime(SERVICE, config, overrides.logger);
  try {
    const redis = await runtime.connectRedis(config);
    const mailer = createMailer(
      { url: config[RUNTIME_ENV.smtpUrl], poolSize: config[RUNTIME_ENV.smtpPoolSize] },
      runtime.logger,
    );
    runtime.lifecycle.onStop('smtp', async () => mailer.close());
    runtime.addReadinessCheck(smtpReadiness(mailer));
    const { kafka, producer } = await runtime.connectKafka(config);

    const runner = new ConsumerRunner({
      service: SERVICE,
      kafka,
      producer,
      logger: runtime.logger,
      metrics: runtime.metrics,
      subscriptions: [
        userCreatedConsumer({
          store: new SentConfirmations(redis, config.SEND_LEASE_SECONDS),
          mailer,
          producer,
          metrics: new NotifierMetrics(runtime.metrics.registry),
          mailFrom: config[RUNTIME_ENV.mailFrom],
          maxMailsInFlight: config[RUNTIME_ENV.smtpMaxInFlight],
          publicBaseUrl: config[RUNTIME_ENV.publicBaseUrl],
        }),
      ],
      ...(overrides.retry ? { retry: overrides.retry } : {}),
      ...(overrides.groupId ? { groupId: overrides.groupId } : {}),
    });
    runtime.addReadinessCheck(runner.readinessCheck());

    const server = await runtime.createHttpServer();
    await runtime.serve(server);
    await runtime.consume(runner);

    runtime.logger.info({ port: config.PORT, kind: SERVICES[SERVICE].kind }, 'notifier started');
    return { server, lifecycle: runtime.lifecycle, stop: () => runtime.lifecycle.shutdown('stop') };
  } catch (error) {
    // Whatever connected before the failing step (Redis, SMTP pool, Kafka) is closed, not leaked.
    await runtime.lifecycle.shutdown('start failed');
    throw error;
  }
}

export type NotifierApp = Awaited<ReturnType<typeof startApp>>;
