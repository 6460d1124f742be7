import type { FastifyRequest } from 'fastify';
import FindMyWay from 'find-my-way';
import { AppError } from '../errors';

/**
 * Every (path template, method) the server declares, in a router of its own: fastify's router answers "no route"
 * for both an unknown path and a known path with an unserved method, but only the first is a 404 (RFC 9110 §15.5.6).
 */
export class MethodRegistry {
  private readonly router = FindMyWay({ maxParamLength: 200 });
  private readonly methodsByUrl = new Map<string, Set<string>>();

  constructor(private readonly alwaysAllowed: readonly string[] = []) {}

  /** Record a route (call from `onRoute`); wildcard catch-alls such as CORS's `OPTIONS *` are not a path's methods. */
  add(method: string | readonly string[], url: string): void {
    if (url === '*' || url.endsWith('/*')) return;
    let methods = this.methodsByUrl.get(url);
    if (!methods) {
      methods = new Set();
      this.methodsByUrl.set(url, methods);
      this.router.on('GET', url, () => undefined, { methods });
    }
    for (const m of typeof method === 'string' ? [method] : method) methods.add(m.toUpperCase());
  }

  /** Methods `path` is served with (sorted), empty when no route has this path. */
  allowedMethods(path: string): string[] {
    const found = this.router.find('GET', path);
    if (!found) return [];
    const methods = new Set((found.store as { methods: Set<string> }).methods);
    if (methods.has('GET')) methods.add('HEAD');
    for (const m of this.alwaysAllowed) methods.add(m);
    return [...methods].sort();
  }
}

/** A method the path exists for but does not serve: 405 with `Allow` listing what it does serve. */
export class MethodNotAllowedError extends AppError {
  constructor(method: string, allowed: readonly string[]) {
    super('METHOD_NOT_ALLOWED', `Method ${method} is not allowed here; use ${allowed.join(', ')}`, [], {
      allow: allowed.join(', '),
    });
  }
}

export class RouteNotFoundError extends AppError {
  constructor(method: string, path: string) {
    super('NOT_FOUND', `No route for ${method} ${path}`);
  }
}

/**
 * `onRequest` hook for requests no route matched: decided before the body is read, so an unknown method with a
 * body (`QUERY`, which fastify expects a content type for) is a clean 405/404, not a parser's 400.
 */
export function unmatchedRequestHook(registry: MethodRegistry) {
  return async function unmatched(request: FastifyRequest): Promise<void> {
    if (!request.is404) return;
    const path = request.url.split('?')[0]!;
    const allowed = registry.allowedMethods(path);
    if (allowed.length > 0) throw new MethodNotAllowedError(request.method, allowed);
    throw new RouteNotFoundError(request.method, path);
  };
}
