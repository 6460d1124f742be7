import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyPersonChange, checkNewPerson, samePerson } from './person';

const KEY = 'k'.repeat(32);
const current = {
  name: 'Somchai Jaidee',
  email: 'Somchai@Example.com',
  emailCanonical: 'somchai@example.com',
  phoneE164: '+66812345678',
};

test('a new person is trimmed, canonicalised, and the national ID kept only as HMAC and mask', () => {
  const result = checkNewPerson(
    { name: '  สมชาย ใจดี ', email: ' Somchai@Example.COM ', phoneNumber: '081-234-5678', nationalId: '1101700203450' },
    KEY,
  );
  assert.ok(result.ok);
  assert.equal(result.value.name, 'สมชาย ใจดี');
  assert.equal(result.value.email, 'Somchai@example.com');
  assert.equal(result.value.emailCanonical, 'somchai@example.com');
  assert.equal(result.value.phoneE164, '+66812345678');
  assert.match(result.value.nationalIdHmac ?? '', /^[0-9a-f]{64}$/);
  assert.equal(result.value.nationalIdMasked, '*********3450');
  assert.ok(!JSON.stringify(result.value).includes('1101700203450'));
});

test('every invalid field of a new person is reported at once', () => {
  const result = checkNewPerson(
    { name: 'A', email: 'nope', phoneNumber: '+1 202 555 0100', nationalId: '1101700203452' },
    KEY,
  );
  assert.ok(!result.ok);
  assert.deepEqual(
    result.errors.map((e) => e.field),
    ['name', 'email', 'phoneNumber', 'nationalId'],
  );
});

test('a change touches only the fields it names and canonicalises a new e-mail', () => {
  const result = applyPersonChange(current, { email: 'NEW@example.com' });
  assert.ok(result.ok);
  assert.deepEqual(result.value, { ...current, email: 'NEW@example.com', emailCanonical: 'new@example.com' });
});

test('a change to the same values is recognised as no change', () => {
  const result = applyPersonChange(current, { name: ' Somchai Jaidee ' });
  assert.ok(result.ok);
  assert.ok(samePerson(current, result.value));
});

test('a change with an invalid phone is refused', () => {
  const result = applyPersonChange(current, { phoneNumber: '12' });
  assert.ok(!result.ok);
  assert.equal(result.errors[0]?.field, 'phoneNumber');
});
