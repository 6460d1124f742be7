import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backupCodeHash, newBackupCodes } from './backup-codes';
import { TOTP_PERIOD_MS, codeAt, enrolmentOf, matchingStep, newTotpSecret } from './totp';

test('a code is valid for its own step and one step either side, not two', () => {
  const secret = newTotpSecret();
  const now = 1_800_000_000_000;
  const step = Math.floor(now / TOTP_PERIOD_MS);
  assert.equal(matchingStep(secret, codeAt(secret, now), now), step);
  assert.equal(matchingStep(secret, codeAt(secret, now - TOTP_PERIOD_MS), now), step - 1);
  assert.equal(matchingStep(secret, codeAt(secret, now + TOTP_PERIOD_MS), now), step + 1);
  assert.equal(matchingStep(secret, codeAt(secret, now + 2 * TOTP_PERIOD_MS), now), undefined);
  assert.equal(matchingStep(secret, 'abcdef', now), undefined);
});

test('enrolment gives an otpauth URI naming the issuer and an SVG QR code', async () => {
  const { uri, qrSvg } = await enrolmentOf(newTotpSecret(), 'ops@example.com');
  assert.match(uri, /^otpauth:\/\/totp\/ScaleFu:ops%40example\.com\?.*secret=[A-Z2-7]+/);
  assert.match(qrSvg, /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
});

test('ten distinct backup codes whose hash ignores case and separators', () => {
  const codes = newBackupCodes();
  assert.equal(new Set(codes).size, 10);
  for (const code of codes) assert.match(code, /^[a-z2-9]{5}-[a-z2-9]{5}$/);
  assert.deepEqual(backupCodeHash(codes[0]!.toUpperCase().replace('-', ' ')), backupCodeHash(codes[0]!));
});
