import { RateLimitedError } from '@scalefu/service-kit';
import type { FastifyRequest } from 'fastify';
import type { OnboarderMetrics } from '../metrics';
import type { RateLimiter } from '../store/rate-limiter';

/**
 * `onRequest` hook of the public routes: counts the client before its body is even read, refuses with 429 and
 * `Retry-After` over the limit. `request.ip` is the socket address unless the hop is a trusted proxy (the kit's
 * `trustedProxies`), so a client cannot pick its own key with a forged `X-Forwarded-For`.
 */
export function rateLimitHook(limiter: Pick<RateLimiter, 'hit'>, metrics: OnboarderMetrics) {
  return async function rateLimit(request: FastifyRequest): Promise<void> {
    const decision = await limiter.hit(request.ip);
    if (!decision.allowed) {
      metrics.rateLimited.inc({ route: request.routeOptions.url ?? 'unmatched' });
      throw new RateLimitedError(decision.retryAfterSeconds);
    }
  };
}
