import cors from '@fastify/cors';
import { TypeBoxValidatorCompiler, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController } from 'fastify';
import { HTTP_REQUEST_TIMEOUTS, PUBLIC_BODY_LIMIT_BYTES } from '@scalefu/contracts';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger';
import type { ServiceMetrics } from '../metrics';
import { traceparentOf } from '../tracing/context';
import { fastifyInstrumentation } from '../tracing/http';
import { clientErrorHandler } from './client-error';
import { CORS_ALLOWED_HEADERS, CORS_MAX_AGE_SECONDS, corsOptions, requireAllowedOrigin } from './cors';
import { errorBody, handleError } from './error-handler';
import { refuseNonUtf8Json } from './json-charset';
import { eventLoopLagShedder } from './load-shedding';
import { securityHeadersHook } from './security-headers';
import { MethodRegistry, unmatchedRequestHandler, unmatchedRequestHook } from './method-not-allowed';
import { evaluateReadiness, type ReadinessCheck } from './readiness';

export interface HttpServerOptions {
  /** Service name for logs and the default `/healthz` body. */
  readonly service: string;
  /** The service's logger (request logs are children of it). */
  readonly logger: Logger;
  /** The service's metrics; the RED histogram and `/metrics` use its registry. */
  readonly metrics: ServiceMetrics;
  /** Dependencies `/readyz` checks. @default [] */
  readonly readinessChecks?: readonly ReadinessCheck[];
  /** Largest accepted body in bytes. @default PUBLIC_BODY_LIMIT_BYTES (16 KiB) */
  readonly bodyLimitBytes?: number;
  /**
   * Proxies whose `X-Forwarded-For` is believed: their CIDRs/IPs, or a hop count (behind Google's LB: 2, see
   * CLUSTER_TRUSTED_PROXY_HOPS), or false to use the socket address. @default false
   */
  readonly trustedProxies?: readonly string[] | number | false;
  /** Event-loop delay (ms) above which requests are shed with 503. @default 1000 */
  readonly maxEventLoopDelayMs?: number;
  /**
   * Browser origins allowed to call with CORS, credentials included (the admin web, CORS_ALLOWED_ORIGINS); no
   * other origin gets a CORS header. @default [] (no CORS at all)
   */
  readonly allowedOrigins?: readonly string[];
}

/** A hop count N trusts the socket peer and the N-1 entries it appended (hop 0 is the socket). */
function trustProxySetting(
  trusted: HttpServerOptions['trustedProxies'],
): string[] | ((address: string, hop: number) => boolean) | false {
  if (typeof trusted === 'number') return trusted > 0 ? (_address: string, hop: number) => hop < trusted : false;
  return trusted && trusted.length ? [...trusted] : false;
}

/** Operational endpoints: not rate limited, not counted as API traffic in access logs. */
export const OPERATIONAL_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * The one way a ScaleFu HTTP server is built: JSON logs with request and trace ids, TypeBox validation,
 * the error envelope, security headers, body limit, load shedding, `/healthz`, `/readyz` and `/metrics`.
 */
export async function createHttpServer(options: HttpServerOptions) {
  let shuttingDown = false;
  const app = Fastify({
    loggerInstance: options.logger,
    // One access line per request comes from our onResponse hook (route template, status, duration), not fastify's two.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'req_id' }),
    bodyLimit: options.bodyLimitBytes ?? PUBLIC_BODY_LIMIT_BYTES,
    // Node's defaults let a trickling client hold a connection for minutes (fastify turns requestTimeout off, and
    // the check runs every 30 s): the attack suite's slowloris cases found it. Checked every second instead.
    requestTimeout: HTTP_REQUEST_TIMEOUTS.requestMs,
    http: {
      headersTimeout: HTTP_REQUEST_TIMEOUTS.headersMs,
      connectionsCheckingInterval: HTTP_REQUEST_TIMEOUTS.checkIntervalMs,
    },
    trustProxy: trustProxySetting(options.trustedProxies),
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: true,
    routerOptions: { maxParamLength: 200 },
    clientErrorHandler,
  }).withTypeProvider<TypeBoxTypeProvider>();

  // JSON is the only body ScaleFu APIs accept; fastify's built-in text/plain parser would turn a wrong
  // content type into a confusing 400 instead of the 415 the contract promises.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  app.setErrorHandler(handleError);
  const allowedOrigins = options.allowedOrigins ?? [];
  // The kit answers OPTIONS on every known path (and CORS preflights there), so `Allow` always lists it.
  const methods = new MethodRegistry(['OPTIONS']);
  app.addHook('onRoute', (route) => methods.add(route.method, route.url));
  const answerUnmatched = unmatchedRequestHandler(methods, {
    allowHeaders: CORS_ALLOWED_HEADERS,
    maxAgeSeconds: CORS_MAX_AGE_SECONDS,
  });
  // Reached by CORS's catch-all OPTIONS route; everything else unmatched is answered by the hook below, before a
  // body is read.
  app.setNotFoundHandler(answerUnmatched);

  // @fastify/otel continues a client's `traceparent` (or starts a trace) and makes the request span active for the
  // hooks and handlers below; it must be registered before them. The response echoes the request span's
  // `traceparent`, so a caller can look its registration up in the trace UI.
  await app.register(fastifyInstrumentation().plugin());

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    const traceparent = traceparentOf();
    if (traceparent) reply.header('traceparent', traceparent);
  });
  app.addHook('preParsing', async (request, _reply, payload) => {
    await refuseNonUtf8Json(request);
    return payload;
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    if (OPERATIONAL_PATHS.has(route)) return;
    const seconds = reply.elapsedTime / 1000;
    options.metrics.httpDuration.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      seconds,
    );
    const line = { method: request.method, route, status: reply.statusCode, duration_ms: reply.elapsedTime };
    if (reply.statusCode >= 500) request.log.error(line, 'request failed');
    else if (reply.statusCode >= 400) request.log.info(line, 'request rejected');
    else request.log.debug(line, 'request completed');
  });

  app.addHook('onRequest', securityHeadersHook());
  if (allowedOrigins.length) await app.register(cors, corsOptions(allowedOrigins));
  const shedder = eventLoopLagShedder({
    maxEventLoopDelayMs: options.maxEventLoopDelayMs ?? 1000,
    shed: (reply) =>
      reply
        .code(503)
        .header('retry-after', '1')
        .send(errorBody('OVERLOADED', 'Server overloaded (eventLoopDelay); retry shortly')),
  });
  app.addHook('onRequest', shedder.onRequest);
  app.addHook('onClose', shedder.onClose);

  // After helmet, CORS and load shedding, so 404s and 405s carry their headers too.
  app.addHook('onRequest', unmatchedRequestHook(answerUnmatched));

  app.get('/healthz', { logLevel: 'warn' }, async () => ({ status: 'ok', service: options.service }));

  app.get('/readyz', { logLevel: 'warn' }, async (_request, reply) => {
    if (shuttingDown) return reply.code(503).send({ status: 'shutting-down', checks: {} });
    const report = await evaluateReadiness(options.readinessChecks ?? []);
    return reply
      .code(report.ready ? 200 : 503)
      .send({ status: report.ready ? 'ready' : 'unready', checks: report.checks });
  });

  app.get('/metrics', { logLevel: 'warn' }, async (_request, reply) => {
    reply.header('content-type', options.metrics.registry.contentType);
    return options.metrics.registry.metrics();
  });

  return Object.assign(app, {
    /** Turn `/readyz` to 503 at once so load balancers stop sending before the listener closes. */
    markShuttingDown() {
      shuttingDown = true;
    },
    /** The CORS allowlist this server was built with. */
    allowedOrigins,
    /** `onRequest` hook for cookie-authenticated routes: 403 unless `Origin` is an allowed origin (CSRF). */
    requireAllowedOrigin: requireAllowedOrigin(allowedOrigins),
  });
}

export type ScaleFuHttpServer = Awaited<ReturnType<typeof createHttpServer>>;
