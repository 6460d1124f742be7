import {
  LOCAL_EDGE_DOMAIN,
  PUBLIC_HOSTS,
  PUBLIC_ROUTES,
  localEdgeOrigin,
  publicHostName,
  type PublicHost,
  type ServiceName,
} from '@scalefu/contracts';
import { adminWebCsp, cspHeader, exportScriptHashes } from './csp';

/**
 * The local edge as an nginx configuration, generated from the contracts' route table (ADR 0140): the same hosts,
 * prefixes and backends as the Gateway HTTPRoutes, the same TLS files, CSP and headers the Node edge set. Nothing of
 * it is written by hand; `scripts/lib/stack/edge.ts` writes it under the stack's run folder at every start.
 */
export interface NginxEdgeOptions {
  /** Port of the HTTPS listener (the edge's origin port). */
  readonly httpsPort: number;
  /** Port that redirects plain HTTP to HTTPS (and also speaks TLS, so HSTS-upgraded requests still land). */
  readonly httpPort: number;
  /** PEM certificate chain and key files for every public host name. */
  readonly tls: { readonly cert: string; readonly key: string };
  /** Base URL of each service a route names (`http://127.0.0.1:8080`). */
  readonly upstreams: Readonly<Partial<Record<ServiceName, string>>>;
  /** Folder of the admin web's static export (or the placeholder). */
  readonly webRoot: string;
  /** Folder for nginx's pid and temp files (the stack's run folder). */
  readonly runDir: string;
  /** Log each request to `<runDir>/edge-access.log`. @default false */
  readonly logRequests?: boolean;
  /** Address to listen on. @default '127.0.0.1' */
  readonly listen?: string;
  /** nginx worker processes. @default 'auto' (one per core) */
  readonly workers?: number | 'auto';
  /**
   * Offer HTTP/2 (ALPN `h2`) besides HTTP/1.1, as production's load balancer does: browsers then send all their
   * requests to a host over one connection. @default true
   */
  readonly http2?: boolean;
}

/** A year; no `includeSubDomains` or `preload`: only these exact local names are HTTPS-only. */
export const HSTS = 'max-age=31536000';

/**
 * What helmet (the Node edge's header set, its defaults) sends with the admin web, besides the CSP: kept equal so a
 * page behaves the same behind either edge.
 */
export const WEB_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Origin-Agent-Cluster': '?1',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-DNS-Prefetch-Control': 'off',
  'X-Download-Options': 'noopen',
  'X-Frame-Options': 'SAMEORIGIN',
  'X-Permitted-Cross-Domain-Policies': 'none',
  'X-XSS-Protection': '0',
};

/** Headers of the edge's own JSON answers (404, 421). */
const JSON_ERROR = (code: string, message: string) =>
  `'${JSON.stringify({ status: 'error', code, message }).replaceAll("'", "\\'")}'`;

const quote = (value: string) => `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;

function hostName(host: PublicHost): string {
  return publicHostName(host, LOCAL_EDGE_DOMAIN);
}

function addHeaders(headers: Readonly<Record<string, string>>, indent: string): string[] {
  return Object.entries(headers).map(([name, value]) => `${indent}add_header ${name} ${quote(value)} always;`);
}

/** Both listeners of a server block: the HTTPS port, and the redirect port that also speaks TLS. */
function listens(o: NginxEdgeOptions, extra = ''): string[] {
  const address = o.listen ?? '127.0.0.1';
  const flags = `ssl${o.http2 === false ? '' : ' http2'}${extra}`;
  return [`    listen ${address}:${o.httpsPort} ${flags};`, `    listen ${address}:${o.httpPort} ${flags};`];
}

/**
 * nginx answers plain HTTP on a TLS port with its internal status 497; turning that into a 301 to the same host and
 * path on the HTTPS port makes one port do what the Gateway's http listener does, while TLS on it still works.
 */
function redirectPlainHttp(o: NginxEdgeOptions, host: PublicHost): string {
  return `    error_page 497 =301 https://${hostName(host)}:${o.httpsPort}$request_uri;`;
}

function upstreamName(service: ServiceName): string {
  return `scalefu_${service.replaceAll('-', '_')}`;
}

/**
 * Locations of one prefix, segment-wise as Gateway API's PathPrefix (`/api/v1/users` matches `/api/v1/users` and
 * `/api/v1/users/…`, never `/api/v1/usersx`).
 */
function prefixLocations(prefix: string, body: string[]): string[] {
  const exact = prefix.endsWith('/') ? [] : [`    location = ${prefix} {`, ...body, '    }'];
  return [...exact, `    location ^~ ${prefix.endsWith('/') ? prefix : `${prefix}/`} {`, ...body, '    }'];
}

/**
 * nginx refuses `TRACE` itself, before it picks a location, with a bare 405 (no `Allow`). The services answer a method
 * a path does not serve with 405 + `Allow` in their envelope (the kit's MethodRegistry), so the edge hands such a
 * request back to the routing: the named location searches the locations again with the method unchanged, and the
 * route's service answers (or the edge's 404 for a path no route names). Only nginx's own 405s get here; a service's
 * 405 is passed through untouched (no `proxy_intercept_errors`).
 */
function methodsToServices(): string[] {
  return [
    '    error_page 405 = @method_to_service;',
    '    location @method_to_service {',
    '      rewrite ^ $uri last;',
    '    }',
  ];
}

function apiServer(o: NginxEdgeOptions, host: PublicHost): string[] {
  const lines = [
    '  server {',
    ...listens(o),
    `    server_name ${hostName(host)};`,
    redirectPlainHttp(o, host),
    // The edge owns transport security: a service's own HSTS (helmet's includeSubDomains) must not leak out, and
    // nosniff is set once here (the services send it too; two copies would be one header with a doubled value).
    '    proxy_hide_header Strict-Transport-Security;',
    '    proxy_hide_header X-Content-Type-Options;',
    ...addHeaders({ 'Strict-Transport-Security': HSTS, 'X-Content-Type-Options': 'nosniff' }, '    '),
    ...methodsToServices(),
  ];
  for (const route of PUBLIC_ROUTES) {
    if (route.host !== host || route.backend.kind !== 'service') continue;
    const service = route.backend.service;
    if (!o.upstreams[service]) continue; // a checkout without that app: its paths are 404 here
    for (const prefix of route.pathPrefixes) {
      lines.push(...prefixLocations(prefix, [`      proxy_pass http://${upstreamName(service)};`]));
    }
  }
  lines.push(
    '    location / {',
    '      default_type application/json;',
    `      return 404 ${JSON_ERROR('NOT_FOUND', 'No public route for this path')};`,
    '    }',
    '  }',
  );
  return lines;
}

function webServer(o: NginxEdgeOptions): string[] {
  const apiOrigins = (['api', 'adminApi'] as const).map((h) => localEdgeOrigin(h, o.httpsPort));
  const csp = cspHeader(adminWebCsp(exportScriptHashes(o.webRoot), apiOrigins));
  const headers = { 'Strict-Transport-Security': HSTS, 'Content-Security-Policy': csp, ...WEB_SECURITY_HEADERS };
  return [
    '  server {',
    ...listens(o),
    `    server_name ${hostName('web')};`,
    redirectPlainHttp(o, 'web'),
    `    root ${quote(o.webRoot)};`,
    ...addHeaders(headers, '    '),
    // Static files are GET and HEAD only; nginx's own 405 (TRACE, or another method on a file) names them as a
    // service's does. A location's add_header replaces the server's, so the security headers are repeated.
    '    error_page 405 = @methods_of_files;',
    '    location @methods_of_files {',
    ...addHeaders({ ...headers, Allow: 'GET, HEAD' }, '      '),
    '      return 405;',
    '    }',
    '    location / {',
    // A static export is a SPA: a client-side route (no file of its name) gets the index, as the CDN's 404 policy does.
    '      try_files $uri $uri.html $uri/index.html /index.html;',
    '    }',
    '  }',
  ];
}

/** The server for any other name (127.0.0.1, localhost): 421, no HSTS (those names are shared with other ports). */
function unknownHostServer(o: NginxEdgeOptions): string[] {
  const hosts = (Object.keys(PUBLIC_HOSTS) as PublicHost[]).map((h) => localEdgeOrigin(h, o.httpsPort)).join(', ');
  return [
    '  server {',
    ...listens(o, ' default_server'),
    '    server_name _;',
    `    error_page 497 =421 /421.json;`,
    ...methodsToServices(),
    '    location / {',
    '      default_type application/json;',
    `      return 421 ${JSON_ERROR('NOT_FOUND', `Unknown host; use ${hosts}`)};`,
    '    }',
    '  }',
  ];
}

/** The whole nginx.conf. */
export function nginxEdgeConfig(o: NginxEdgeOptions): string {
  const upstreams = (Object.entries(o.upstreams) as [ServiceName, string][]).flatMap(([service, url]) => [
    `  upstream ${upstreamName(service)} {`,
    `    server ${new URL(url).host};`,
    // Connections to the services stay open: a new TCP connection per request would cost more than the proxying.
    '    keepalive 128;',
    '    keepalive_requests 1000000;',
    '    keepalive_timeout 60s;',
    '  }',
  ]);
  return [
    '# Generated by scripts/edge/nginx-config.ts from packages/contracts (PUBLIC_ROUTES); rewritten at every start.',
    `worker_processes ${o.workers ?? 'auto'};`,
    `pid ${quote(`${o.runDir}/edge-nginx.pid`)};`,
    'error_log stderr warn;',
    'daemon off;',
    'events {',
    '  worker_connections 4096;',
    '}',
    'http {',
    '  include /etc/nginx/mime.types;',
    '  default_type application/octet-stream;',
    o.logRequests ? `  access_log ${quote(`${o.runDir}/edge-access.log`)};` : '  access_log off;',
    '  server_tokens off;',
    '  sendfile on;',
    '  tcp_nodelay on;',
    '  keepalive_timeout 60s;',
    '  keepalive_requests 1000000;',
    // The services enforce their own, smaller limits and answer 413 in their envelope.
    '  client_max_body_size 1m;',
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
      (t) => `  ${t}_temp_path ${quote(`${o.runDir}/edge-nginx-${t}`)};`,
    ),
    `  ssl_certificate ${quote(o.tls.cert)};`,
    `  ssl_certificate_key ${quote(o.tls.key)};`,
    '  ssl_protocols TLSv1.2 TLSv1.3;',
    '  ssl_session_cache shared:scalefu_edge:1m;',
    '  proxy_http_version 1.1;',
    '  proxy_set_header Connection "";',
    '  proxy_set_header Host $http_host;',
    '  proxy_set_header X-Forwarded-Proto https;',
    // As Google's load balancer does; the services believe it only from hops they are told to trust (TRUSTED_PROXIES).
    '  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    // A request the service may have acted on (a registration) is never sent twice.
    '  proxy_next_upstream off;',
    ...upstreams,
    ...unknownHostServer(o),
    ...apiServer(o, 'api'),
    ...apiServer(o, 'adminApi'),
    ...webServer(o),
    '}',
    '',
  ].join('\n');
}
