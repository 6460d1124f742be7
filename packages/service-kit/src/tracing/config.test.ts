import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { OTEL_COLLECTOR_TRACES_URL, RUNTIME_ENV, TRACE_SAMPLING } from '@scalefu/contracts';
import { ROOT_CONTEXT, SpanKind, trace, TraceFlags } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace';
import { ConfigError } from '../errors';
import { loadTracingConfig, samplerFor, serviceNameFor } from './config';

const ROOT_TRACES = 4000;

/** Share of `ROOT_TRACES` new root traces (random ids, as the SDK's generator makes) the sampler keeps. */
function keptShare(ratio: number, exporting = true): number {
  const sampler = samplerFor(loadTracingConfig({ [RUNTIME_ENV.otelTracesSamplerArg]: String(ratio) }), exporting);
  let kept = 0;
  for (let i = 0; i < ROOT_TRACES; i++) {
    const traceId = randomBytes(16).toString('hex');
    const result = sampler.shouldSample(ROOT_CONTEXT, traceId, 'x', SpanKind.SERVER, {}, []);
    if (result.decision === SamplingDecision.RECORD_AND_SAMPLED) kept++;
  }
  return kept / ROOT_TRACES;
}

function childDecision(ratio: number, parentSampled: boolean, exporting = true): SamplingDecision {
  const sampler = samplerFor(loadTracingConfig({ [RUNTIME_ENV.otelTracesSamplerArg]: String(ratio) }), exporting);
  const parent = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId: '00f067aa0ba902b7',
    traceFlags: parentSampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
  });
  return sampler.shouldSample(parent, '4bf92f3577b34da6a3ce929d0e0e4736', 'x', SpanKind.CONSUMER, {}, []).decision;
}

test('defaults: every trace kept locally, nothing exported, the collector as the OTLP endpoint', () => {
  const config = loadTracingConfig({});
  assert.equal(config[RUNTIME_ENV.otelTracesSamplerArg], TRACE_SAMPLING.localRatio);
  assert.equal(config[RUNTIME_ENV.otelTracesExporter], 'none');
  assert.equal(config[RUNTIME_ENV.otelTracesEndpoint], OTEL_COLLECTOR_TRACES_URL);
  assert.equal(config[RUNTIME_ENV.otelSdkDisabled], false);
  assert.equal(keptShare(TRACE_SAMPLING.localRatio), 1);
});

test("the clusters' ratio keeps about that share of new root traces", () => {
  const share = keptShare(TRACE_SAMPLING.clusterRatio);
  assert.ok(Math.abs(share - TRACE_SAMPLING.clusterRatio) < 0.03, `kept ${share}`);
  assert.equal(keptShare(0), 0);
});

test('parent-based: a hop follows the upstream decision whatever its own ratio, so a trace is never cut in half', () => {
  assert.equal(childDecision(0, true), SamplingDecision.RECORD_AND_SAMPLED);
  assert.equal(childDecision(1, false), SamplingDecision.NOT_RECORD);
});

test('without an exporter no new trace is recorded (nothing would carry it), but a sampled caller is followed', () => {
  assert.equal(keptShare(TRACE_SAMPLING.localRatio, false), 0);
  assert.equal(childDecision(1, true, false), SamplingDecision.RECORD_AND_SAMPLED);
  assert.equal(childDecision(1, false, false), SamplingDecision.NOT_RECORD);
});

test('rejects a ratio outside 0..1 and an unknown exporter, naming the variables', () => {
  assert.throws(
    () => loadTracingConfig({ [RUNTIME_ENV.otelTracesSamplerArg]: '10', [RUNTIME_ENV.otelTracesExporter]: 'jaeger' }),
    (error: unknown) =>
      error instanceof ConfigError &&
      error.message.includes(RUNTIME_ENV.otelTracesSamplerArg) &&
      error.message.includes(RUNTIME_ENV.otelTracesExporter),
  );
});

test('names spans after OTEL_SERVICE_NAME, else the app folder of the entry script', () => {
  const config = loadTracingConfig({});
  assert.equal(serviceNameFor(config, '/repo/apps/notifier/src/main.ts'), 'notifier');
  assert.equal(
    serviceNameFor(loadTracingConfig({ [RUNTIME_ENV.otelServiceName]: 'user' }), '/x/apps/notifier/m.ts'),
    'user',
  );
});
