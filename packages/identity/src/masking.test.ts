import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskEmail, maskNationalId, maskPhone } from './masking';

test('masks an e-mail to its first character and domain', () => {
  assert.equal(maskEmail('somchai@example.com'), 's******@example.com');
  assert.equal(maskEmail('po@example.com'), 'p***@example.com');
  assert.equal(maskEmail('not-an-address'), '**************');
});

test('masks a phone number to country code and last four digits', () => {
  assert.equal(maskPhone('+66812345678'), '+66*****5678');
  assert.equal(maskPhone('+6621234567'), '+66****4567');
});

test('masks a national ID to its last four digits', () => {
  assert.equal(maskNationalId('3101200456781'), '*********6781');
  assert.ok(!maskNationalId('3101200456781').includes('310120045'));
});
