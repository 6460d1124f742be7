import swagger from '@fastify/swagger';
import { API_WIDE_RULES } from '@scalefu/contracts';
import {
  createAccessGuard,
  createHttpServer,
  type Logger,
  type ReadinessCheck,
  type ServiceMetrics,
} from '@scalefu/service-kit';
import { SERVICE } from './config';
import { registerAdminRoutes, type AdminGuard } from './routes/admin';
import { registerAuthRoutes } from './routes/auth/index';
import type { AuthDeps } from './routes/auth/shared';
import type { RouteDeps } from './routes/shared';
import { activeTokenVersion } from './store/admin-accounts';

export interface UserServerOptions {
  readonly logger: Logger;
  readonly metrics: ServiceMetrics;
  readonly readinessChecks?: readonly ReadinessCheck[];
  readonly deps: RouteDeps;
  /** Sign-in, tokens, throttling and audit. */
  readonly auth: AuthDeps;
  /** Browser origins allowed CORS with credentials (CORS_ALLOWED_ORIGINS). @default [] */
  readonly allowedOrigins?: readonly string[];
  /** Admin API check. @default the kit's access guard over `auth`'s keys (JWT, role, MFA, token version, step-up) */
  readonly guard?: AdminGuard;
  /** Whose X-Forwarded-For is believed (see the kit). @default false */
  readonly trustedProxies?: string[] | number | false;
}

export const OPENAPI_PATH = '/openapi.json';

/** The kit's HTTP server plus the OpenAPI document, the auth routes and the guarded admin API. */
export async function buildServer(options: UserServerOptions) {
  const app = await createHttpServer({
    service: SERVICE,
    logger: options.logger,
    metrics: options.metrics,
    readinessChecks: options.readinessChecks ?? [],
    trustedProxies: options.trustedProxies ?? false,
    allowedOrigins: options.allowedOrigins ?? [],
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'ScaleFu user service',
        description:
          'Admin API over the users store, and admin sign-in. Success envelope {status:"success", data}; errors {status:"error", message, code, errors?, traceId?}. ' +
          'Admin routes need `Authorization: Bearer <access token>`: 401 UNAUTHORIZED (sign in), 401 STEP_UP_REQUIRED ' +
          '(re-enter a code at /api/v1/auth/mfa/step-up), 403 MFA_ENROLMENT_REQUIRED, 403 FORBIDDEN (role). ' +
          API_WIDE_RULES,
        version: '1.0.0',
      },
      tags: [
        { name: 'users', description: 'Admin user management' },
        { name: 'auth', description: 'Admin sign-in: password, TOTP, tokens, devices' },
        { name: 'audit', description: 'Audit trail' },
      ],
      // Every route needs a bearer token unless it says otherwise (the sign-in steps and the JWKS say `security: []`).
      security: [{ bearer: [] }],
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT (EdDSA, typ at+jwt)' } },
      },
    },
  });
  app.get(OPENAPI_PATH, { schema: { hide: true } }, async () => app.swagger());
  const guard =
    options.guard ??
    createAccessGuard({
      verify: options.auth.tokens.verifyAccessToken,
      currentTokenVersion: (accountId) => activeTokenVersion(options.deps.pool, accountId),
      stepUpSeconds: options.auth.stepUpSeconds,
    });
  registerAuthRoutes(app, options.auth);
  await registerAdminRoutes(app, options.deps, guard, options.auth);
  return app;
}

export type UserServer = Awaited<ReturnType<typeof buildServer>>;
