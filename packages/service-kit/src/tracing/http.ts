import { FastifyOtelInstrumentation } from '@fastify/otel';

let instrumentation: FastifyOtelInstrumentation | undefined;

/**
 * The one `@fastify/otel` instance: the SDK gives it the tracer provider, every kit HTTP server registers its plugin.
 * Operational endpoints are probed every few seconds and would bury the registrations, so they get no spans.
 */
export function fastifyInstrumentation(): FastifyOtelInstrumentation {
  instrumentation ??= new FastifyOtelInstrumentation({
    ignorePaths: ({ url }) => url === '/healthz' || url === '/readyz' || url === '/metrics',
    // One span per request and one for the handler; a span per lifecycle hook costs more than it tells.
    instrumentHooks: false,
  });
  return instrumentation;
}
