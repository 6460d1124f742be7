import type { FastifyCorsOptions } from '@fastify/cors';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors';

/** Request headers a browser may send cross-origin to ScaleFu APIs (answered to preflights). */
export const CORS_ALLOWED_HEADERS = ['authorization', 'content-type', 'if-match', 'if-none-match', 'x-request-id'];
/** Response headers a browser script may read. */
const EXPOSED_HEADERS = ['etag', 'location', 'retry-after', 'x-request-id'];

/** Parse a comma-separated origin list (`CORS_ALLOWED_ORIGINS`) into exact origins; throws on anything that is not one. */
export function parseOrigins(list: string): string[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((origin) => {
      const url = new URL(origin);
      if (url.origin !== origin) throw new Error(`"${origin}" is not an origin (scheme://host[:port], no path)`);
      return origin;
    });
}

/** Seconds a browser may cache a preflight answer. */
export const CORS_MAX_AGE_SECONDS = 600;

/**
 * CORS for an allowlist of exact origins only, with credentials (the admin web's refresh cookie). Another origin
 * gets no CORS header at all: nothing is ever reflected, and `Vary: Origin` keeps caches from mixing the two.
 * Preflights are answered by the kit's unmatched-request hook (`OPTIONS` on a known path: 204 with `Allow` and,
 * for an allowed origin, the path's own methods), not by the plugin's catch-all `OPTIONS *` route, which would
 * answer unknown paths and bare `OPTIONS` outside the envelope.
 */
export function corsOptions(allowedOrigins: readonly string[]): FastifyCorsOptions {
  const allowed = new Set(allowedOrigins);
  return {
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    credentials: true,
    exposedHeaders: EXPOSED_HEADERS,
    preflight: false,
  };
}

/**
 * `onRequest` hook for cookie-authenticated endpoints (refresh, logout): the request must come from an allowed
 * origin. SameSite=Strict already keeps the cookie off cross-site requests; this also refuses a same-site sibling
 * origin and a request without `Origin` (browsers always send it on POST), so CSRF needs two failures, not one.
 */
export function requireAllowedOrigin(allowedOrigins: readonly string[]) {
  const allowed = new Set(allowedOrigins);
  return async function checkOrigin(request: FastifyRequest): Promise<void> {
    const origin = request.headers.origin;
    if (typeof origin !== 'string') throw new AppError('FORBIDDEN', 'Origin header required');
    if (!allowed.has(origin)) throw new AppError('FORBIDDEN', 'Origin not allowed');
  };
}
