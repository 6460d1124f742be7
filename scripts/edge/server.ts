import helmet from '@fastify/helmet';
import proxy from '@fastify/http-proxy';
import fastifyStatic from '@fastify/static';
import {
  LOCAL_EDGE_DOMAIN,
  PUBLIC_HOSTS,
  PUBLIC_ROUTES,
  localEdgeOrigin,
  publicHostName,
  type PublicHost,
  type ServiceName,
} from '@scalefu/contracts';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import net from 'node:net';
import { adminWebCsp, exportScriptHashes } from './csp';

export interface EdgeOptions {
  /** Port of the HTTPS listener (the edge's origin port). */
  readonly httpsPort: number;
  /** Port that redirects plain HTTP to HTTPS (and also speaks TLS, so HSTS-upgraded requests still land). */
  readonly httpPort: number;
  /** PEM certificate chain and key for every public host name. */
  readonly tls: { readonly cert: string; readonly key: string };
  /** Base URL of each service a route names (`http://127.0.0.1:8080`). */
  readonly upstreams: Readonly<Partial<Record<ServiceName, string>>>;
  /** Folder of the admin web's static export (or the placeholder). */
  readonly webRoot: string;
  /** Log each request (off for benchmarks). @default false */
  readonly logRequests?: boolean;
}

/** A year; no `includeSubDomains` or `preload`: only these exact local names are HTTPS-only. */
const HSTS = 'max-age=31536000';
const TLS_HANDSHAKE = 0x16;
const PROXIED_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'QUERY', 'TRACE'];

/** Which public host a `Host` header names (`api.scalefu.localhost:8443` → `api`), or undefined. */
export function publicHostOf(hostHeader: string | undefined): PublicHost | undefined {
  const name = (hostHeader ?? '').replace(/:\d+$/, '').toLowerCase();
  return (Object.keys(PUBLIC_HOSTS) as PublicHost[]).find((h) => publicHostName(h, LOCAL_EDGE_DOMAIN) === name);
}

function hostConstraint(host: PublicHost): RegExp {
  return new RegExp(`^${publicHostName(host, LOCAL_EDGE_DOMAIN).replaceAll('.', '\\.')}(:\\d+)?$`, 'i');
}

/** The HTTPS edge: the contracts' route table, proxied with @fastify/http-proxy; the admin web as static files. */
export async function buildHttpsEdge(options: EdgeOptions): Promise<FastifyInstance> {
  const app = Fastify({
    https: { cert: options.tls.cert, key: options.tls.key, minVersion: 'TLSv1.2' },
    logger: options.logRequests ? { level: 'info' } : false,
    // The proxy streams bodies; the services enforce their own limits and answer 413.
    bodyLimit: 1024 * 1024,
  });
  const apiOrigins = (['api', 'adminApi'] as const).map((h) => localEdgeOrigin(h, options.httpsPort));
  const cspDirectives = adminWebCsp(exportScriptHashes(options.webRoot), apiOrigins);

  // helmet's headers (and the CSP) only where the edge is the origin server (`reply.helmet()` below): the proxied
  // APIs' services set their own, and helmet on every proxied request is a measurable share of the edge's cost.
  await app.register(helmet, {
    global: false,
    contentSecurityPolicy: { useDefaults: false, directives: cspDirectives },
    strictTransportSecurity: false,
  });
  app.addHook('onRequest', async (request, reply) => {
    const host = publicHostOf(request.headers.host);
    if (!host) {
      return reply
        .code(421)
        .send({ status: 'error', code: 'NOT_FOUND', message: `Unknown host; use ${edgeHostList(options.httpsPort)}` });
    }
    // Only the edge's own names ever get HSTS (never localhost or 127.0.0.1, which other local ports share).
    reply.header('strict-transport-security', HSTS);
    if (host === 'web') await reply.helmet();
    // The services set helmet's headers on what they answer; the edge's own 404s need at least this one.
    else reply.header('x-content-type-options', 'nosniff');
    return undefined;
  });

  for (const route of PUBLIC_ROUTES) {
    if (route.backend.kind === 'static') {
      await app.register(fastifyStatic, {
        root: options.webRoot,
        constraints: { host: hostConstraint(route.host) },
        index: 'index.html',
      });
      continue;
    }
    const upstream = options.upstreams[route.backend.service];
    if (!upstream) {
      // A checkout without that app: its paths are 404 here, the rest of the edge still works.
      console.warn(`edge: no upstream for ${route.backend.service}; route ${route.name} is not served`);
      continue;
    }
    for (const prefix of route.pathPrefixes) {
      await app.register(proxy, {
        upstream,
        prefix,
        rewritePrefix: prefix,
        constraints: { host: hostConstraint(route.host) },
        // Every method reaches the service, which answers 405 with its own Allow for those it does not serve.
        httpMethods: PROXIED_METHODS,
        undici: { connections: 128, pipelining: 1, keepAliveTimeout: 60_000 },
        // The edge owns transport security: a service's own HSTS (helmet's includeSubDomains) must not leak out.
        replyOptions: { rewriteHeaders: withoutUpstreamHsts },
      });
    }
  }

  app.setNotFoundHandler((request: FastifyRequest, reply) => {
    // The static export is a SPA: unknown paths on the web host get its index (as the CDN's 404 policy does).
    if (publicHostOf(request.headers.host) === 'web' && (request.method === 'GET' || request.method === 'HEAD')) {
      return reply.type('text/html').sendFile('index.html');
    }
    return reply
      .code(404)
      .send({ status: 'error', code: 'NOT_FOUND', message: `No public route for ${request.url.split('?')[0]}` });
  });
  return app;
}

function withoutUpstreamHsts(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const rest = { ...headers };
  delete rest['strict-transport-security'];
  return rest;
}

function edgeHostList(port: number): string {
  return (Object.keys(PUBLIC_HOSTS) as PublicHost[]).map((h) => localEdgeOrigin(h, port)).join(', ');
}

/** Plain HTTP: 301 to the same host and path on the HTTPS port (what the Gateway's http listener does). */
export async function buildRedirect(options: Pick<EdgeOptions, 'httpsPort'>): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  app.all('/*', async (request, reply) => {
    const host = publicHostOf(request.headers.host);
    if (!host) return reply.code(421).send({ status: 'error', code: 'NOT_FOUND', message: 'Unknown host' });
    const target = `https://${publicHostName(host, LOCAL_EDGE_DOMAIN)}:${options.httpsPort}${request.url}`;
    return reply.code(301).header('location', target).send();
  });
  await app.ready();
  return app;
}

/**
 * One listener on the HTTP port that serves both protocols: a TLS ClientHello goes to the HTTPS edge, anything
 * else to the redirect. Browsers that learnt HSTS rewrite `http://host:8000` to `https://host:8000`, so the
 * redirect port must speak TLS too or HSTS would break it.
 */
export function dualProtocolListener(https: FastifyInstance, redirect: FastifyInstance): net.Server {
  return net.createServer((socket) => {
    socket.once('data', (first: Buffer) => {
      socket.pause();
      socket.unshift(first);
      (first[0] === TLS_HANDSHAKE ? https.server : redirect.server).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
    socket.on('error', () => socket.destroy());
  });
}

export interface RunningEdge {
  readonly https: FastifyInstance;
  close(): Promise<void>;
}

/** Build and listen on both ports (loopback only). */
export async function startEdge(options: EdgeOptions, host = '127.0.0.1'): Promise<RunningEdge> {
  const https = await buildHttpsEdge(options);
  const redirect = await buildRedirect(options);
  await https.listen({ port: options.httpsPort, host });
  const plain = dualProtocolListener(https, redirect);
  await new Promise<void>((resolve, reject) => {
    plain.once('error', reject);
    plain.listen(options.httpPort, host, () => resolve());
  });
  return {
    https,
    async close() {
      await new Promise<void>((resolve) => plain.close(() => resolve()));
      await redirect.close();
      await https.close();
    },
  };
}
