import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { createLogger } from './logger';
import { childContext, withTraceContext } from './tracing';

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

test('stamps service and the current trace id on every line', () => {
  const { lines, logger } = capture();
  const ctx = childContext();
  withTraceContext(ctx, () => logger.info('inside'));
  logger.info('outside');
  assert.equal(lines[0]!['service'], 'onboarder');
  assert.equal(lines[0]!['trace_id'], ctx.traceId);
  assert.equal(lines[1]!['trace_id'], undefined);
});
