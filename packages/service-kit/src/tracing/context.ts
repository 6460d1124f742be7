import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';

/** Instrumentation scope of the spans the kit makes itself (Kafka produce and consume, outbox relay, SMTP). */
export const KIT_TRACER = '@scalefu/service-kit';

/** Trace and span id of the work in progress (an HTTP request, a consumed event), for logs and error bodies. */
export interface TraceContext {
  readonly traceId: string;
  readonly spanId: string;
  readonly sampled: boolean;
}

/** The active span's ids; undefined outside any span or when tracing is off (OTEL_SDK_DISABLED). */
export function currentTraceContext(): TraceContext | undefined {
  const span = trace.getActiveSpan();
  if (!span) return undefined;
  const { traceId, spanId, traceFlags } = span.spanContext();
  if (!trace.isSpanContextValid(span.spanContext())) return undefined;
  return { traceId, spanId, sampled: (traceFlags & 1) === 1 };
}

/** W3C `traceparent` of `ctx` (default: the active context); undefined when there is no valid span in it. */
export function traceparentOf(ctx: Context = context.active()): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier['traceparent'];
}

/** The context a stored or received `traceparent` continues; the root context when it is absent or malformed. */
export function contextFromTraceparent(traceparent: string | undefined): Context {
  return traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : ROOT_CONTEXT;
}

/** Span attribute that finds a registration's trace in the trace UI (`scalefu.user_id=<userID>`): no PII, a UUIDv7. */
export const USER_ID_ATTRIBUTE = 'scalefu.user_id';

/** Tag the active span (no-op outside one), e.g. with USER_ID_ATTRIBUTE once the user id is known. */
export function tagActiveSpan(attributes: Attributes): void {
  trace.getActiveSpan()?.setAttributes(attributes);
}

export interface SpanOptions {
  /** OTel span kind. @default SpanKind.INTERNAL */
  readonly kind?: SpanKind;
  readonly attributes?: Attributes;
  /** Parent context. @default the active context */
  readonly parent?: Context;
}

/**
 * Run `fn` inside a new active span that ends when `fn` settles; a throw marks the span as an error and is rethrown.
 * The kit's own spans go through here so every one is ended exactly once.
 */
export function withSpan<T>(name: string, options: SpanOptions, fn: (span: Span) => Promise<T>): Promise<T> {
  const tracer = trace.getTracer(KIT_TRACER);
  const parent = options.parent ?? context.active();
  return tracer.startActiveSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, ...(options.attributes ? { attributes: options.attributes } : {}) },
    parent,
    async (span) => {
      try {
        return await fn(span);
      } catch (error) {
        // Only the error's class: messages may quote user input, and traces leave the PDPA-redacted logs' reach.
        const type = (error as Error).name ?? 'Error';
        span.setAttribute('error.type', type);
        span.setStatus({ code: SpanStatusCode.ERROR, message: type });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

export { SpanKind };

/** A span that is started but not made active; whoever opened it ends it once. */
export interface OpenSpan {
  /** Context with this span as parent: run work in it (`context.with`) or take its `traceparentOf`. */
  readonly context: Context;
  /** End the span; with an error, mark it failed by the error's class (as `withSpan` does). */
  end(error?: Error): void;
}

/** Start a span whose end the caller decides: one record of a batch, handled by work the records share. */
export function openSpan(name: string, options: SpanOptions): OpenSpan {
  const parent = options.parent ?? context.active();
  const span = trace
    .getTracer(KIT_TRACER)
    .startSpan(
      name,
      { kind: options.kind ?? SpanKind.INTERNAL, ...(options.attributes ? { attributes: options.attributes } : {}) },
      parent,
    );
  return {
    context: trace.setSpan(parent, span),
    end(error?: Error) {
      if (error) {
        const type = error.name ?? 'Error';
        span.setAttribute('error.type', type);
        span.setStatus({ code: SpanStatusCode.ERROR, message: type });
      }
      span.end();
    },
  };
}

/** Run `fn` with `ctx` as the active context (e.g. an `OpenSpan`'s). */
export function withContext<T>(ctx: Context, fn: () => T): T {
  return context.with(ctx, fn);
}
