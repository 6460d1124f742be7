import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { openSecret, sealSecret } from './secret-seal';

const key = randomBytes(32);

test('a sealed secret opens with its key for its account, and does not show the secret', () => {
  const sealed = sealSecret('JBSWY3DPEHPK3PXP', key, 'acct-1');
  assert.equal(sealed.includes('JBSWY3DPEHPK3PXP'), false);
  assert.match(sealed, /^v1\./);
  assert.equal(openSecret(sealed, key, 'acct-1'), 'JBSWY3DPEHPK3PXP');
  assert.notEqual(sealSecret('JBSWY3DPEHPK3PXP', key, 'acct-1'), sealed, 'a fresh IV each time');
});

test('another key, another account, a tampered or plain value do not open', () => {
  const sealed = sealSecret('JBSWY3DPEHPK3PXP', key, 'acct-1');
  assert.equal(openSecret(sealed, randomBytes(32), 'acct-1'), undefined);
  assert.equal(openSecret(sealed, key, 'acct-2'), undefined);
  const [v, iv, body, tag] = sealed.split('.');
  const flipped = Buffer.from(body!, 'base64url');
  flipped[0] = flipped[0]! ^ 1;
  assert.equal(openSecret([v, iv, flipped.toString('base64url'), tag].join('.'), key, 'acct-1'), undefined);
  assert.equal(openSecret('JBSWY3DPEHPK3PXP', key, 'acct-1'), undefined);
});
