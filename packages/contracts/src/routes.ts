import { INFRA_PORTS } from './ports';
import type { ServiceName } from './services';

/**
 * The public host layout (ADR 0022, ADR 0080): the admin web's host, the public registration API's host and the
 * admin API's host. Production names them `<label>.<dnsDomain>`; the local edge `<label>.scalefu.localhost`.
 */
export const PUBLIC_HOSTS = {
  /** The admin web (static export): GCS + Cloud CDN in GCP, the local edge's static files locally. */
  web: { label: 'app', why: 'the browser origin of the register page and the admin console' },
  /** The public registration API (no credentials, CORS for the web origin). */
  api: { label: 'api', why: 'anonymous registration traffic, rate limited per client IP' },
  /** The admin API: sign-in, users, audit, JWKS (credentialed CORS for the web origin only). */
  adminApi: { label: 'admin-api', why: 'authenticated admin traffic, kept apart from the public API' },
} as const;

export type PublicHost = keyof typeof PUBLIC_HOSTS;

/** What answers a route: a service behind the Gateway, or the admin web's static files. */
export type RouteBackend = { readonly kind: 'service'; readonly service: ServiceName } | { readonly kind: 'static' };

/** One public route: the host it answers on, path prefixes on that host, and its backend. */
export interface PublicRoute {
  /** Stable name (HTTPRoute name, log label). */
  readonly name: string;
  readonly host: PublicHost;
  /** Path prefixes (segment-wise, as Gateway API `PathPrefix`); anything else on the host is a 404 at the edge. */
  readonly pathPrefixes: readonly string[];
  readonly backend: RouteBackend;
  /** Why this route is public. */
  readonly why: string;
}

/**
 * The public route table, once: it renders the Gateway API HTTPRoutes (`platform/k8s/constructs/edge.ts`) and
 * drives the local HTTPS edge (`scripts/edge/`), so local and production route the same paths to the same backends.
 */
export const PUBLIC_ROUTES: readonly PublicRoute[] = [
  {
    name: 'onboarder',
    host: 'api',
    pathPrefixes: ['/api/v1/register', '/api/v1/registrations'],
    backend: { kind: 'service', service: 'onboarder' },
    why: 'public registration and its status',
  },
  {
    name: 'user',
    host: 'adminApi',
    pathPrefixes: ['/api/v1/users', '/api/v1/auth', '/api/v1/audit', '/.well-known'],
    backend: { kind: 'service', service: 'user' },
    why: 'admin API, sign-in, audit trail and the JWKS that verifies access tokens',
  },
  {
    name: 'admin-web',
    host: 'web',
    pathPrefixes: ['/'],
    backend: { kind: 'static' },
    why: 'the admin web static export (register page and admin console)',
  },
];

/** Routes the Gateway serves (the static site is served by the CDN load balancer in GCP). */
export function serviceRoutes(): (PublicRoute & { backend: { kind: 'service'; service: ServiceName } })[] {
  return PUBLIC_ROUTES.filter(
    (r): r is PublicRoute & { backend: { kind: 'service'; service: ServiceName } } => r.backend.kind === 'service',
  );
}

/** Whether `path` is under `prefix` segment-wise (`/api/v1/users` matches `/api/v1/users/x`, not `/api/v1/usersx`). */
export function matchesPathPrefix(prefix: string, path: string): boolean {
  if (prefix === '/') return true;
  return path === prefix || path.startsWith(`${prefix}/`);
}

/** The route a request for `host` + `path` takes, or undefined (a 404 at the edge). Longest prefix wins. */
export function routeFor(host: PublicHost, path: string): PublicRoute | undefined {
  let best: { route: PublicRoute; length: number } | undefined;
  for (const route of PUBLIC_ROUTES) {
    if (route.host !== host) continue;
    for (const prefix of route.pathPrefixes) {
      if (matchesPathPrefix(prefix, path) && (!best || prefix.length > best.length))
        best = { route, length: prefix.length };
    }
  }
  return best?.route;
}

/** DNS suffix of the local edge's hosts; browsers resolve every `*.localhost` name to loopback (RFC 6761). */
export const LOCAL_EDGE_DOMAIN = 'scalefu.localhost';

/** A public host's name in a domain (`api.scalefu.localhost`, `admin-api.example.com`). */
export function publicHostName(host: PublicHost, domain: string): string {
  return `${PUBLIC_HOSTS[host].label}.${domain}`;
}

/** A host's origin on the local edge at `httpsPort` (the test stack's edge runs on an offset port). */
export function localEdgeOrigin(host: PublicHost, httpsPort: number = INFRA_PORTS.edgeHttps.port): string {
  return `https://${publicHostName(host, LOCAL_EDGE_DOMAIN)}:${httpsPort}`;
}

/**
 * Route templates of the public API (ARCHITECTURE §3) as the kit labels them in `route`: the onboarder serves them,
 * the availability SLO and the security dashboard select on them.
 */
export const PUBLIC_ROUTE_TEMPLATES = {
  register: '/api/v1/register',
  registrationStatus: '/api/v1/registrations/:userID',
} as const;

/**
 * Pages of the admin web (a static export with trailing slashes), for links that other parts send people to: the
 * confirmation e-mail links the registration status page. The status page takes the userID as `?id=` because a
 * static export cannot have one HTML file per userID.
 */
export const WEB_PAGES = {
  register: '/register/',
  registrationStatus: '/registrations/',
  admin: '/admin/',
  adminUsers: '/admin/users/',
  adminUser: '/admin/user/',
  adminAudit: '/admin/audit/',
} as const;

/** The status page of one registration on the admin web at `webOrigin` (`https://app.example.com`). */
export function registrationStatusPageUrl(webOrigin: string, userID: string): string {
  const url = new URL(WEB_PAGES.registrationStatus, webOrigin);
  url.searchParams.set('id', userID);
  return url.toString();
}

/**
 * The origin of another public host seen from a page on one of them: production and the local edge name hosts
 * `<label>.<domain>` on one port, so the web page finds the API at the same domain and port with the API's label.
 */
export function siblingHostOrigin(pageOrigin: string, host: PublicHost): string {
  const url = new URL(pageOrigin);
  const labels = url.hostname.split('.');
  labels[0] = PUBLIC_HOSTS[host].label;
  url.hostname = labels.join('.');
  return url.origin;
}
