import { PUBLIC_BODY_LIMIT_BYTES } from '@scalefu/contracts';
import {
  createHttpServer,
  type EventProducer,
  type Logger,
  type ReadinessCheck,
  type ServiceMetrics,
} from '@scalefu/service-kit';
import { SERVICE } from './config';
import { OnboarderMetrics } from './metrics';
import { registerOpenApi, serveOpenApi } from './openapi';
import { rateLimitHook } from './routes/rate-limit';
import { REGISTER_PATH, registerRoute } from './routes/register';
import { REGISTRATION_STATUS_PATH, registrationStatusRoute } from './routes/registration-status';
import type { RateLimiter } from './store/rate-limiter';
import type { Reservations } from './store/reservations';

export interface OnboarderServerDeps {
  readonly logger: Logger;
  readonly metrics: ServiceMetrics;
  readonly reservations: Pick<Reservations, 'reserve' | 'release' | 'status'>;
  readonly rateLimiter: Pick<RateLimiter, 'hit'>;
  readonly producer: Pick<EventProducer, 'publish'>;
  readonly nationalIdHmacKey: string;
  readonly trustedProxies: readonly string[] | number | false;
  readonly readinessChecks: readonly ReadinessCheck[];
  /** Browser origins allowed CORS (CORS_ALLOWED_ORIGINS): the register page on the admin web. @default [] */
  readonly allowedOrigins?: readonly string[];
}

/** The HTTP server with every route, but not listening: `startApp` listens, the OpenAPI writer only reads it. */
export async function buildServer(deps: OnboarderServerDeps) {
  const server = await createHttpServer({
    service: SERVICE,
    logger: deps.logger,
    metrics: deps.metrics,
    readinessChecks: deps.readinessChecks,
    bodyLimitBytes: PUBLIC_BODY_LIMIT_BYTES,
    trustedProxies: deps.trustedProxies,
    allowedOrigins: deps.allowedOrigins ?? [],
  });
  const metrics = new OnboarderMetrics(deps.metrics.registry, [REGISTER_PATH, REGISTRATION_STATUS_PATH]);
  const rateLimit = rateLimitHook(deps.rateLimiter, metrics);

  await registerOpenApi(server);
  registerRoute(server, {
    reservations: deps.reservations,
    producer: deps.producer,
    nationalIdHmacKey: deps.nationalIdHmacKey,
    rateLimit,
    metrics,
  });
  registrationStatusRoute(server, { reservations: deps.reservations, rateLimit });
  serveOpenApi(server);
  await server.ready();
  return server;
}
