import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkThaiPhone } from './phone';

test('normalises Thai mobile and fixed-line numbers in any common form to E.164', () => {
  const cases: [string, string][] = [
    ['0812345678', '+66812345678'],
    ['081-234-5678', '+66812345678'],
    ['081 234 5678', '+66812345678'],
    ['+66812345678', '+66812345678'],
    ['+66 81 234 5678', '+66812345678'],
    ['66812345678', '+66812345678'],
    ['(02) 123-4567', '+6621234567'],
    ['02.123.4567', '+6621234567'],
  ];
  for (const [raw, e164] of cases) {
    const r = checkThaiPhone(raw);
    assert.ok(r.ok, `${raw}: ${JSON.stringify(r)}`);
    assert.equal(r.value, e164, raw);
  }
});

test('refuses valid foreign numbers', () => {
  for (const foreign of ['+14155552671', '+447911123456', '+6591234567']) {
    const r = checkThaiPhone(foreign);
    assert.ok(!r.ok, foreign);
    assert.equal(r.error.field, 'phoneNumber');
    assert.match(r.error.message, /Thai/);
  }
});

test('refuses malformed numbers, letters and numbers hidden in text', () => {
  for (const bad of [
    '',
    '12345',
    '0812345678901',
    '061234567',
    'abcdefghij',
    '08l2345678',
    'call 0812345678 now',
    '++66812345678',
  ]) {
    const r = checkThaiPhone(bad);
    assert.ok(!r.ok, JSON.stringify(bad));
    assert.equal(r.error.field, 'phoneNumber');
  }
});
