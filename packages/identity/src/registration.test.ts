import assert from 'node:assert/strict';
import { test } from 'node:test';
import { thaiIdCheckDigit } from './national-id';
import { nationalIdHmac } from './national-id-hmac';
import { checkIdentity } from './registration';

const KEY = 'registration-test-key-0123456789abcdef';
const nationalId = `310120045678${thaiIdCheckDigit('310120045678')}`;

test('normalises every field and derives the identity keys without the clear national ID', () => {
  const r = checkIdentity({ name: ' ปิง ', email: 'Po@JadePalace.th', phoneNumber: '081-234-5678', nationalId }, KEY);
  assert.ok(r.ok);
  assert.deepEqual(r.value, {
    name: 'ปิง',
    email: 'Po@jadepalace.th',
    phoneNumber: '+66812345678',
    nationalIdMasked: `*********${nationalId.slice(-4)}`,
    identity: { email: 'po@jadepalace.th', phone: '+66812345678', nationalIdHmac: nationalIdHmac(nationalId, KEY) },
  });
  assert.ok(!JSON.stringify(r.value).includes(nationalId));
});

test('leaves national ID keys out when none was sent', () => {
  const r = checkIdentity({ name: 'Po', email: 'po@example.com', phoneNumber: '0812345678' }, KEY);
  assert.ok(r.ok);
  assert.equal(r.value.nationalIdMasked, undefined);
  assert.deepEqual(Object.keys(r.value.identity), ['email', 'phone']);
});

test('reports every bad field at once', () => {
  const r = checkIdentity({ name: 'P', email: 'nope', phoneNumber: '+14155552671', nationalId: '1234567890123' }, KEY);
  assert.ok(!r.ok);
  assert.deepEqual(
    r.errors.map((e) => e.field),
    ['name', 'email', 'phoneNumber', 'nationalId'],
  );
});
