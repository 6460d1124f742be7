import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkNationalId, thaiIdCheckDigit } from './national-id';
import { nationalIdHmac } from './national-id-hmac';

/** A syntactically valid ID built with the check digit, so no real person's ID appears in the repo. */
const validId = (first12: string) => `${first12}${thaiIdCheckDigit(first12)}`;
const KEY = 'k'.repeat(32);

test('computes the Thai mod-11 check digit', () => {
  // 1·13+2·12+…+2·2 = 340; 340 mod 11 = 10; (11−10) mod 10 = 1
  assert.equal(thaiIdCheckDigit('123456789012'), 1);
  // sum 0 → (11 − 0) mod 10 = 1
  assert.equal(thaiIdCheckDigit('000000000000'), 1);
});

test('accepts an ID with a good check digit, with or without separators', () => {
  const id = validId('310120045678');
  const r = checkNationalId(id);
  assert.ok(r.ok);
  assert.equal(r.value, id);
  const dashed = `${id[0]}-${id.slice(1, 5)}-${id.slice(5, 10)}-${id.slice(10, 12)}-${id[12]}`;
  const r2 = checkNationalId(dashed);
  assert.ok(r2.ok);
  assert.equal(r2.value, id);
});

test('rejects a national ID with a bad checksum', () => {
  const id = validId('310120045678');
  const wrong = `${id.slice(0, 12)}${(Number(id[12]) + 1) % 10}`;
  const r = checkNationalId(wrong);
  assert.ok(!r.ok);
  assert.deepEqual(r.error, { field: 'nationalId', message: 'has an invalid check digit' });
});

test('rejects IDs that are not 13 digits', () => {
  for (const bad of ['', '123456789012', '12345678901234', '12345678901a3', '１２３４５６７８９０１２１']) {
    const r = checkNationalId(bad);
    assert.ok(!r.ok, bad);
    assert.match(r.error.message, /13 digits/);
  }
});

test('hashes an ID with a key: stable, hex, different per key and never the ID itself', () => {
  const id = validId('310120045678');
  const h = nationalIdHmac(id, KEY);
  assert.match(h, /^[0-9a-f]{64}$/);
  assert.equal(nationalIdHmac(id, KEY), h);
  assert.notEqual(nationalIdHmac(id, 'z'.repeat(32)), h);
  assert.ok(!h.includes(id));
});

test('refuses an HMAC key shorter than 32 characters', () => {
  assert.throws(() => nationalIdHmac('1', 'short'), /at least 32/);
});
