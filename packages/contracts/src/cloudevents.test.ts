import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidEventError, fromKafkaRecord, toKafkaRecord } from './cloudevents';

const event = {
  id: '0b7f1a9e-3c1d-4e55-9a51-0e9c2f6f1d10',
  source: '/scalefu/onboarder',
  type: 'th.scalefu.user.created.v1',
  time: '2026-11-21T10:00:00.000Z',
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  data: { hello: 'สวัสดี' },
};

test('binary mode puts CloudEvents attributes in ce_ headers and the JSON data in the value', () => {
  const record = toKafkaRecord(event, 'user-1');
  assert.equal(record.key, 'user-1');
  assert.equal(record.headers['ce_id'], event.id);
  assert.equal(record.headers['ce_specversion'], '1.0');
  assert.equal(record.headers['ce_type'], event.type);
  assert.equal(record.headers['ce_source'], event.source);
  assert.equal(record.headers['traceparent'], event.traceparent);
  assert.deepEqual(JSON.parse(record.value), event.data);
});

test('a record round-trips through Buffer headers as KafkaJS delivers them', () => {
  const record = toKafkaRecord(event, 'k');
  const headers = Object.fromEntries(Object.entries(record.headers).map(([k, v]) => [k, Buffer.from(v)]));
  const decoded = fromKafkaRecord({ key: Buffer.from('k'), value: Buffer.from(record.value), headers });
  assert.equal(decoded.id, event.id);
  assert.equal(decoded.type, event.type);
  assert.equal(decoded.traceparent, event.traceparent);
  assert.deepEqual(decoded.data, event.data);
});

test('records that are not CloudEvents are rejected with InvalidEventError', () => {
  assert.throws(() => fromKafkaRecord({ value: Buffer.from('{}'), headers: {} }), InvalidEventError);
  const record = toKafkaRecord(event, 'k');
  assert.throws(() => fromKafkaRecord({ value: Buffer.from('not json'), headers: record.headers }), /not JSON/);
  assert.throws(() => fromKafkaRecord({ value: null, headers: record.headers }), /no data/);
  assert.throws(
    () => fromKafkaRecord({ value: Buffer.from('{}'), headers: { ...record.headers, ce_specversion: '0.3' } }),
    /specversion/,
  );
});
