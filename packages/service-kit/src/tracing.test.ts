import assert from 'node:assert/strict';
import { test } from 'node:test';
import { childContext, formatTraceparent, parseTraceparent } from './tracing';

test('parses a valid traceparent and keeps the trace id in children', () => {
  const parent = parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
  assert.deepEqual(parent, { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', sampled: true });
  const child = childContext(parent);
  assert.equal(child.traceId, parent!.traceId);
  assert.notEqual(child.spanId, parent!.spanId);
  assert.match(formatTraceparent(child), /^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
});

test('ignores malformed or all-zero traceparents so a new trace starts', () => {
  for (const bad of [
    undefined,
    '',
    'garbage',
    '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
    '01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x',
  ]) {
    assert.equal(parseTraceparent(bad), undefined, String(bad));
  }
  assert.match(childContext(undefined).traceId, /^[0-9a-f]{32}$/);
});
