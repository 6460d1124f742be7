import type { FastifyReply, FastifyRequest } from 'fastify';
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
export function unmatchedRequestHook(answer: ReturnType<typeof unmatchedRequestHandler>) {
  return async function unmatched(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    return request.is404 ? answer(request, reply) : undefined;
  };
}

/**
 * The answer to a request no route serves: 404 for an unknown path, 405 + `Allow` for a known one, and for
 * `OPTIONS` on a known path 204 + `Allow` (also reached through @fastify/cors's catch-all `OPTIONS *` route, which
 * hands non-preflight requests to the not-found handler).
 */
export function unmatchedRequestHandler(
  registry: MethodRegistry,
  preflight: { readonly allowHeaders: readonly string[]; readonly maxAgeSeconds: number },
) {
  return async function answer(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const path = request.url.split('?')[0]!;
    const allowed = registry.allowedMethods(path);
    if (allowed.length === 0) throw new RouteNotFoundError(request.method, path);
    if (request.method !== 'OPTIONS') throw new MethodNotAllowedError(request.method, allowed);
    // OPTIONS on a known path: its methods (RFC 9110 §9.3.7), and a CORS preflight's answer when the CORS hook
    // already granted the origin (it set Access-Control-Allow-Origin; it never does for another origin).
    reply.code(204).header('allow', allowed.join(', '));
    if (reply.getHeader('access-control-allow-origin') && request.headers['access-control-request-method']) {
      reply
        .header('access-control-allow-methods', allowed.filter((m) => m !== 'OPTIONS').join(', '))
        .header('access-control-allow-headers', preflight.allowHeaders.join(', '))
        .header('access-control-max-age', String(preflight.maxAgeSeconds));
    }
    return reply.send();
  };
}
