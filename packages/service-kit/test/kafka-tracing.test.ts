import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { RUNTIME_ENV, type EventEnvelope, type TopicSpec } from '@scalefu/contracts';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace';
import type { Kafka } from 'kafkajs';
import { ConsumerRunner } from '../src/kafka/consumer-runner';
import { EventProducer } from '../src/kafka/producer';
import { subscribe } from '../src/kafka/subscription';
import { loadTracingConfig } from '../src/tracing/config';
import { currentTraceContext, traceparentOf, withSpan, type TraceContext } from '../src/tracing/context';
import { flushTracing, startTracing } from '../src/tracing/sdk';
import { confirmationEvent, createTestTopic, eventually, readTopic, silentLogger, testKafka } from './support';

// The kit's Kafka spans on a real broker (ADR 0090): the producer's context travels in `traceparent` and is the
// consumer span's parent, so a registration stays one trace across hops; sampling decisions travel with it.
const exported = new InMemorySpanExporter();
startTracing(loadTracingConfig({ [RUNTIME_ENV.otelTracesSamplerArg]: '1' }), 'kit-test', { exporter: exported });

let kafka: Kafka;
let producer: EventProducer;
const runners: ConsumerRunner[] = [];

before(async () => {
  kafka = testKafka();
  producer = new EventProducer(kafka, silentLogger);
  await producer.connect();
});

after(async () => {
  await Promise.all(runners.map((r) => r.stop().catch(() => undefined)));
  await producer.disconnect();
});

/** Consume `topic` and record the trace context each handler ran in, by the event's messageId. */
async function recordHandlerContexts(topic: TopicSpec): Promise<Map<string, TraceContext | undefined>> {
  const seen = new Map<string, TraceContext | undefined>();
  const runner = new ConsumerRunner({
    service: 'user',
    kafka,
    producer,
    logger: silentLogger,
    groupId: `trace-${topic.name}`,
    subscriptions: [
      subscribe(topic, async (event) => {
        const { messageId } = (event as EventEnvelope<{ messageId: string }>).data;
        seen.set(messageId, currentTraceContext());
      }),
    ],
  });
  runners.push(runner);
  await runner.start();
  return seen;
}

async function finishedSpans(): Promise<ReadableSpan[]> {
  await flushTracing();
  return exported.getFinishedSpans();
}

test("the consumer span is a child of the producer span whose context travelled in the record's traceparent", async () => {
  const topic = await createTestTopic(kafka, 1);
  const seen = await recordHandlerContexts(topic);
  const event = confirmationEvent('child');
  const caller = await withSpan('caller', {}, async (span) => {
    await producer.publish(topic.name, event.data.userID, event);
    return span.spanContext();
  });
  await eventually('handled', () => seen.has('child'));
  assert.equal(seen.get('child')?.traceId, caller.traceId, "the handler runs in the caller's trace");

  const spans = await finishedSpans();
  const send = spans.find((s) => s.name === `send ${topic.name}` && s.spanContext().traceId === caller.traceId)!;
  const process = spans.find((s) => s.name === `process ${topic.name}` && s.spanContext().traceId === caller.traceId)!;
  assert.equal(send.kind, SpanKind.PRODUCER);
  assert.equal(send.parentSpanContext?.spanId, caller.spanId);
  assert.equal(process.kind, SpanKind.CONSUMER);
  assert.equal(process.parentSpanContext?.spanId, send.spanContext().spanId, 'parent, not a link');
  assert.equal(seen.get('child')?.spanId, process.spanContext().spanId);
  const [record] = await readTopic(kafka, topic.name, 1);
  assert.equal(record!.headers['traceparent'], `00-${caller.traceId}-${send.spanContext().spanId}-01`);
});

test('a stored traceparent continues its trace however late the event is published (the outbox relay)', async () => {
  const topic = await createTestTopic(kafka, 1);
  const stored = await withSpan('transaction', {}, async () => traceparentOf()!);
  const [, traceId, spanId] = stored.split('-');
  const event = confirmationEvent('late');
  await producer.publish(topic.name, event.data.userID, { ...event, traceparent: stored }); // outside any span
  const send = (await finishedSpans()).find((s) => s.name === `send ${topic.name}`)!;
  assert.equal(send.spanContext().traceId, traceId);
  assert.equal(send.parentSpanContext?.spanId, spanId);
});

test('an unsampled trace stays unsampled downstream: no consumer span is recorded, the trace id still reaches logs', async () => {
  const topic = await createTestTopic(kafka, 1);
  const seen = await recordHandlerContexts(topic);
  const traceId = 'ab'.repeat(16);
  const event = { ...confirmationEvent('unsampled'), traceparent: `00-${traceId}-${'cd'.repeat(8)}-00` };
  await producer.publish(topic.name, event.data.userID, event);
  await eventually('handled', () => seen.has('unsampled'));
  assert.equal(seen.get('unsampled')?.traceId, traceId);
  assert.equal(seen.get('unsampled')?.sampled, false);
  const spans = await finishedSpans();
  assert.ok(!spans.some((s) => s.spanContext().traceId === traceId), 'nothing of the trace is exported');
});
