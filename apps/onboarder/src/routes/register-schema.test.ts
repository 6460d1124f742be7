import { RegisterRequestBody } from '@scalefu/contracts';
import { checkIdentity } from '@scalefu/identity';
import { validEmail, validName, validNationalId, validThaiPhone } from '@scalefu/identity/arbitraries';
import fc from 'fast-check';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Compile } from 'typebox/compile';

const schema = Compile(RegisterRequestBody);
const KEY = 'k'.repeat(32);

test('bodies the domain refuses for a rule JSON Schema can express are schema-invalid', () => {
  for (const body of [
    { name: '0', email: '000@000.org', phoneNumber: '000' },
    { name: 'Po', email: 'po@example.com', phoneNumber: 'call me' },
    { name: '12345', email: 'po@example.com', phoneNumber: '0812345678' },
    { name: 'Po 🐼', email: 'po@example.com', phoneNumber: '0812345678' },
    { name: 'Po', email: 'no-at-sign', phoneNumber: '0812345678' },
    { name: 'Po', email: 'po@example.com', phoneNumber: '0812345678', nationalId: '12345' },
  ]) {
    assert.equal(schema.Check(body), false, JSON.stringify(body));
  }
});

test('the schema never refuses an identity the domain accepts', () => {
  fc.assert(
    fc.property(
      fc.record({ name: validName, email: validEmail, phoneNumber: validThaiPhone, nationalId: validNationalId }),
      (body) => {
        assert.equal(checkIdentity(body, KEY).ok, true);
        assert.equal(schema.Check(body), true, JSON.stringify(body));
      },
    ),
    { numRuns: 500 },
  );
});
