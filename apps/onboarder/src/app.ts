import { PUBLIC_RATE_LIMIT, RUNTIME_ENV, SERVICES } from '@scalefu/contracts';
import { ServiceRuntime, parseOrigins, type Logger } from '@scalefu/service-kit';
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
  const runtime = new ServiceRuntime(SERVICE, config, overrides.logger);
  try {
    const redis = await runtime.connectRedis(config);
    const { producer } = await runtime.connectKafka(config);

    const server = await buildServer({
      logger: runtime.logger,
      metrics: runtime.metrics,
      reservations: new Reservations(redis),
      rateLimiter: new RateLimiter(redis, config[RUNTIME_ENV.rateLimitPerMinute], PUBLIC_RATE_LIMIT.windowMs),
      producer,
      nationalIdHmacKey: config[RUNTIME_ENV.nationalIdHmacKey],
      trustedProxies: trustedProxiesOf(config),
      readinessChecks: runtime.readinessChecks,
      allowedOrigins: parseOrigins(config[RUNTIME_ENV.corsAllowedOrigins]),
    });
    await runtime.serve(server, { port: overrides.port ?? config.PORT });

    runtime.logger.info({ port: config.PORT, kind: SERVICES[SERVICE].kind }, 'onboarder started');
    return { server, lifecycle: runtime.lifecycle, producer, redis, stop: () => runtime.lifecycle.shutdown('stop') };
  } catch (error) {
    // Whatever connected before the failing step (Redis, Kafka) is closed, not leaked.
    await runtime.lifecycle.shutdown('start failed');
    throw error;
  }
}

export type OnboarderApp = Awaited<ReturnType<typeof startApp>>;
