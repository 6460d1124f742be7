import { RUNTIME_ENV } from '@scalefu/contracts';
import {
  parseOrigins,
  parseSigningKeySet,
  type Logger,
  type PostgresPool,
  type ServiceMetrics,
} from '@scalefu/service-kit';
import type { Redis } from 'ioredis';
import { createHash } from 'node:crypto';
import type { UserConfig } from './config';
import { TokenIssuer } from './domain/auth/tokens';
import type { AuthDeps } from './routes/auth/shared';
import { AuthThrottle } from './store/auth-throttle';

/** The auth routes' dependencies from config: keys, lifetimes, allowed origins, plus the connections. */
export function authDepsOf(
  config: UserConfig,
  pool: PostgresPool,
  redis: Redis,
  logger: Logger,
  metrics: ServiceMetrics,
): AuthDeps {
  const keys = parseSigningKeySet(config[RUNTIME_ENV.jwtSigningKey]);
  return {
    pool,
    redis,
    logger: logger.child({ component: 'auth' }),
    tokens: new TokenIssuer(keys, {
      accessToken: config.AUTH_ACCESS_TOKEN_SECONDS,
      challenge: config.AUTH_CHALLENGE_SECONDS,
      trustedDevice: config.AUTH_TRUSTED_DEVICE_SECONDS,
    }),
    throttle: new AuthThrottle(redis),
    refresh: { idle: config.AUTH_REFRESH_IDLE_SECONDS, absolute: config.AUTH_REFRESH_ABSOLUTE_SECONDS },
    stepUpSeconds: config.AUTH_STEP_UP_SECONDS,
    trustedDeviceSeconds: config.AUTH_TRUSTED_DEVICE_SECONDS,
    // The same allowlist the kit grants CORS to: the admin web is the one browser origin of the admin API.
    allowedOrigins: new Set(parseOrigins(config[RUNTIME_ENV.corsAllowedOrigins])),
    cookieSecure: config.AUTH_COOKIE_SECURE,
    mfaKey: Buffer.from(config[RUNTIME_ENV.mfaEncryptionKey], 'hex'),
    // Derived from a secret every replica shares, so an unknown e-mail's timing profile is the same on each.
    dummySaltKey: createHash('sha256').update('dummy-salt\0').update(config[RUNTIME_ENV.jwtSigningKey]).digest(),
    events: metrics.authEvents,
  };
}
