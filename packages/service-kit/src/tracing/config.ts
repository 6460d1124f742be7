import { INFRA_PORTS, OTEL_COLLECTOR_TRACES_URL, RUNTIME_ENV, TRACE_SAMPLING } from '@scalefu/contracts';
import { AlwaysOffSampler, ParentBasedSampler, TraceIdRatioBasedSampler, type Sampler } from '@opentelemetry/sdk-trace';
import { Type, type Static } from 'typebox';
import { loadConfig } from '../config';

/**
 * The tracing variables, under OpenTelemetry's standard names so an operator who knows OTel knows them. Read before
 * the service's own config (the SDK must start before the instrumented modules load), so they live in their own
 * schema; `loadConfig` gives the same fail-fast message naming each bad variable.
 */
export const tracingConfigSchema = Type.Object({
  /** `true` turns tracing off completely (no spans, no context propagation); the tracing bench's baseline. */
  [RUNTIME_ENV.otelSdkDisabled]: Type.Boolean({ default: false }),
  /** Service name on every span. @default the app's folder name (apps/<name>/) */
  [RUNTIME_ENV.otelServiceName]: Type.Optional(Type.String({ minLength: 1 })),
  [RUNTIME_ENV.otelTracesExporter]: Type.Union([Type.Literal('otlp'), Type.Literal('zipkin'), Type.Literal('none')], {
    default: 'none',
  }),
  [RUNTIME_ENV.otelTracesEndpoint]: Type.String({ pattern: '^https?://', default: OTEL_COLLECTOR_TRACES_URL }),
  [RUNTIME_ENV.otelZipkinEndpoint]: Type.String({
    pattern: '^https?://',
    default: `http://127.0.0.1:${INFRA_PORTS.zipkin.port}/api/v2/spans`,
  }),
  [RUNTIME_ENV.otelTracesSamplerArg]: Type.Number({ minimum: 0, maximum: 1, default: TRACE_SAMPLING.localRatio }),
});

export type TracingConfig = Static<typeof tracingConfigSchema>;

/** Read and validate the tracing variables; throws a `ConfigError` naming every bad one. */
export function loadTracingConfig(env: Readonly<Record<string, string | undefined>> = process.env): TracingConfig {
  return loadConfig('tracing', tracingConfigSchema, env);
}

/**
 * Parent-based ratio sampling: a new root trace is kept with probability `ratio`, and every later hop follows the
 * decision carried in `traceparent`, so a kept registration is never cut in half between services. Without an
 * exporter (`exporting` false: the bench, a stack without a trace backend) no root trace is recorded, since nothing
 * would carry its spans anywhere; trace context still flows and a caller's sampled trace is still followed.
 */
export function samplerFor(config: TracingConfig, exporting = true): Sampler {
  const root = exporting
    ? new TraceIdRatioBasedSampler(config[RUNTIME_ENV.otelTracesSamplerArg])
    : new AlwaysOffSampler();
  return new ParentBasedSampler({ root });
}

/** The service name for spans: OTEL_SERVICE_NAME, else the `apps/<name>/` folder of the entry script. */
export function serviceNameFor(config: TracingConfig, entry: string | undefined = process.argv[1]): string {
  const configured = config[RUNTIME_ENV.otelServiceName];
  if (configured) return configured;
  const match = entry ? /apps[\\/]([^\\/]+)[\\/]/.exec(entry) : null;
  return match?.[1] ?? 'scalefu';
}
