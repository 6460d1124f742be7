import swagger from '@fastify/swagger';
import { API_WIDE_RULES } from '@scalefu/contracts';
import { createHttpServer, type Logger, type ReadinessCheck, type ServiceMetrics } from '@scalefu/service-kit';
import { SERVICE } from './config';
import { registerAdminRoutes, type AdminGuard } from './routes/admin';
import type { RouteDeps } from './routes/shared';

export interface UserServerOptions {
  readonly logger: Logger;
  readonly metrics: ServiceMetrics;
  readonly readinessChecks?: readonly ReadinessCheck[];
  readonly deps: RouteDeps;
  /** Browser origins allowed CORS with credentials (CORS_ALLOWED_ORIGINS). @default [] */
  readonly allowedOrigins?: readonly string[];
  /** Admin auth hook (the auth issue supplies it). @default allow all */
  readonly guard?: AdminGuard;
}

export const OPENAPI_PATH = '/openapi.json';

/** The kit's HTTP server plus the OpenAPI document and the admin API. Handlers touch `deps` only when called. */
export async function buildServer(options: UserServerOptions) {
  const app = await createHttpServer({
    service: SERVICE,
    logger: options.logger,
    metrics: options.metrics,
    readinessChecks: options.readinessChecks ?? [],
    allowedOrigins: options.allowedOrigins ?? [],
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'ScaleFu user service',
        description:
          'Admin API over the users store. Success envelope {status:"success", data}; errors {status:"error", message, code, errors?, traceId?}. ' +
          API_WIDE_RULES,
        version: '1.0.0',
      },
      tags: [{ name: 'users', description: 'Admin user management' }],
    },
  });
  app.get(OPENAPI_PATH, { schema: { hide: true } }, async () => app.swagger());
  await registerAdminRoutes(app, options.deps, options.guard);
  return app;
}

export type UserServer = Awaited<ReturnType<typeof buildServer>>;
