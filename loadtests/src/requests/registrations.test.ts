import { canonicalEmail, checkEmail, checkNationalId, checkThaiPhone } from '@scalefu/identity';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RegistrationFactory, duplicateVariants } from './registrations';

test('generates valid, distinct registrations whose e-mails carry the run tag', () => {
  const factory = new RegistrationFactory('t3st');
  const made = Array.from({ length: 500 }, () => factory.registration());
  for (const r of made) {
    assert.ok(checkEmail(r.email).ok, r.email);
    assert.ok(checkThaiPhone(r.phoneNumber).ok, r.phoneNumber);
    assert.ok(checkNationalId(r.nationalId).ok, r.nationalId);
    assert.ok(r.email.includes(factory.emailMarker));
  }
  assert.equal(new Set(made.map((r) => r.phoneNumber)).size, made.length);
  assert.equal(new Set(made.map((r) => r.email)).size, made.length);
});

test('duplicate variants differ in form but normalise to one identity', () => {
  const person = new RegistrationFactory('t3st').registration();
  const variants = duplicateVariants(person, 40);
  assert.ok(new Set(variants.map((v) => JSON.stringify(v))).size >= 20, 'variants should mostly differ');
  for (const v of variants) {
    assert.equal(canonicalEmail(v.email), canonicalEmail(person.email), v.email);
    const phone = checkThaiPhone(v.phoneNumber);
    const original = checkThaiPhone(person.phoneNumber);
    assert.ok(phone.ok && original.ok && phone.value === original.value, v.phoneNumber);
    const id = checkNationalId(v.nationalId);
    assert.ok(id.ok && id.value === person.nationalId, v.nationalId);
  }
});
