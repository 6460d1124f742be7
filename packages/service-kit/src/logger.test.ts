import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { createLogger } from './logger';
import { loadTracingConfig } from './tracing/config';
import { withSpan } from './tracing/context';
import { startTracing } from './tracing/sdk';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { lines, logger: createLogger({ service: 'onboarder', destination }) };
}

test('redacts e-mail, phone, national ID and tokens at any common depth (PDPA)', () => {
  const { lines, logger } = capture();
  logger.info(
    {
      email: 'a@b.th',
      body: { phoneNumber: '+66812345678', nationalId: '1101700207030', nested: { accessToken: 'jwt' } },
      req: { headers: { authorization: 'Bearer x' } },
    },
    'registered',
  );
  const text = JSON.stringify(lines[0]);
  for (const secret of ['a@b.th', '+66812345678', '1101700207030', 'jwt', 'Bearer x']) {
    assert.ok(!text.includes(secret), `${secret} leaked: ${text}`);
  }
  assert.equal(lines[0]!['msg'], 'registered');
});

test("stamps service and the active span's trace_id and span_id on every line, and none outside a span", async () => {
  startTracing(loadTracingConfig({}), 'onboarder'); // the real SDK, exporting nowhere
  const { lines, logger } = capture();
  const ids = await withSpan('unit', {}, async (span) => {
    logger.info('inside');
    return span.spanContext();
  });
  logger.info('outside');
  assert.equal(lines[0]!['service'], 'onboarder');
  assert.match(String(lines[0]!['trace_id']), /^[0-9a-f]{32}$/);
  assert.equal(lines[0]!['trace_id'], ids.traceId);
  assert.equal(lines[0]!['span_id'], ids.spanId);
  assert.equal(lines[1]!['trace_id'], undefined);
  assert.equal(lines[1]!['span_id'], undefined);
});
