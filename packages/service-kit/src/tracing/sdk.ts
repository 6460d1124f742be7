import { RUNTIME_ENV } from '@scalefu/contracts';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { BatchSpanProcessor, TracerProvider, type SpanExporter } from '@opentelemetry/sdk-trace';
import { samplerFor, serviceNameFor, type TracingConfig } from './config';
import { fastifyInstrumentation } from './http';

let provider: TracerProvider | undefined;
let processor: BatchSpanProcessor | undefined;

function exporterFor(config: TracingConfig, serviceName: string): SpanExporter | undefined {
  switch (config[RUNTIME_ENV.otelTracesExporter]) {
    case 'zipkin':
      return new ZipkinExporter({ url: config[RUNTIME_ENV.otelZipkinEndpoint], serviceName });
    case 'otlp':
      return new OTLPTraceExporter({ url: config[RUNTIME_ENV.otelTracesEndpoint] });
    case 'none':
      return undefined;
  }
}

/**
 * Start OpenTelemetry tracing once per process: parent-based ratio sampling (no root trace without an exporter, see
 * `samplerFor`), W3C trace context, batched export, and the pg, ioredis and fastify instrumentations. Kafka
 * produce/consume spans come from the kit itself (ADR 0090).
 * Later calls are no-ops: the `--import` register module starts it before the app loads, and `ServiceRuntime` makes
 * sure in-process tests have it too. Returns false when tracing is turned off (OTEL_SDK_DISABLED=true).
 */
export function startTracing(
  config: TracingConfig,
  service?: string,
  /** Tests: export here instead of the configured exporter. */
  overrides: { readonly exporter?: SpanExporter } = {},
): boolean {
  if (provider) return true;
  if (config[RUNTIME_ENV.otelSdkDisabled]) return false;
  const serviceName = config[RUNTIME_ENV.otelServiceName] ?? service ?? serviceNameFor(config);
  const exporter = overrides.exporter ?? exporterFor(config, serviceName);
  // Export every second: a person following one registration in the UI should not wait five.
  processor = exporter ? new BatchSpanProcessor({ exporter, scheduledDelayMillis: 1000 }) : undefined;
  provider = new TracerProvider({
    resource: resourceFromAttributes({
      'service.name': serviceName,
      'service.namespace': 'scalefu',
      'deployment.environment.name': process.env[RUNTIME_ENV.environment] ?? 'local',
    }),
    sampler: samplerFor(config, processor !== undefined),
    spanProcessors: processor ? [processor] : [],
  });
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      // Only inside a traced unit of work: pollers (outbox relay, readiness) would otherwise start a trace each.
      new PgInstrumentation({ requireParentSpan: true }),
      // Redis keys hold hashes of contact data; the command name is all a trace needs.
      new IORedisInstrumentation({ requireParentSpan: true, dbStatementSerializer: (command) => command }),
      fastifyInstrumentation(),
    ],
  });
  return true;
}

/**
 * Export what is still buffered; the last stop step of a service. The SDK itself stays registered: OpenTelemetry's
 * globals cannot be registered twice, and in-process tests start several services one after another.
 */
export async function flushTracing(): Promise<void> {
  await processor?.forceFlush();
}

export function tracingStarted(): boolean {
  return provider !== undefined;
}
