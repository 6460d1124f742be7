import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hash } from '@node-rs/argon2';
import { dummyPasswordHashFor, hashPassword, needsRehash, passwordProblems, verifyPassword } from './password';

test('accepts 12..128 characters of anything, with no composition rules', () => {
  assert.deepEqual(passwordProblems('correct horse battery'), []);
  assert.deepEqual(passwordProblems('สวัสดีครับผมชื่อ'), []);
  assert.deepEqual(passwordProblems(`${'x'.repeat(127)}y`), []);
});

test('refuses too short, too long and common passwords', () => {
  assert.match(passwordProblems('short-pass1')[0]!.message, /12 to 128/);
  assert.match(passwordProblems('x'.repeat(129))[0]!.message, /12 to 128/);
  assert.match(passwordProblems('PasswordPassword')[0]?.message ?? 'not refused', /common/);
});

test('hashes with argon2id at the OWASP parameters and verifies', async () => {
  const phc = await hashPassword('a long enough passphrase');
  assert.match(phc, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  assert.equal(await verifyPassword(phc, 'a long enough passphrase'), true);
  assert.equal(await verifyPassword(phc, 'a long enough passphrasf'), false);
  assert.equal(await verifyPassword('not a hash', 'x'), false);
  assert.equal(needsRehash(phc), false);
});

test('a hash made with weaker parameters needs a rehash', async () => {
  const weak = await hash('a long enough passphrase', { algorithm: 2, memoryCost: 8192, timeCost: 1 });
  assert.equal(needsRehash(weak), true);
});

test('refuses stretched list entries: repetitions and trailing digits or symbols', () => {
  for (const stretched of ['qwertyqwerty', 'aaaaaaaaaaaaaa', 'abcabcabcabc', 'dragon123456!!', 'Football2024!']) {
    assert.match(passwordProblems(stretched)[0]?.message ?? `${stretched} not refused`, /common/);
  }
  assert.deepEqual(passwordProblems('dragon fruit at noon'), []);
});

test('an unknown e-mail gets its own stable dummy hash, with the real parameters, that no password matches', async () => {
  const key = Buffer.alloc(32, 7);
  const a = dummyPasswordHashFor('a@example.com', key);
  assert.equal(dummyPasswordHashFor('a@example.com', key), a);
  assert.notEqual(dummyPasswordHashFor('b@example.com', key), a);
  assert.notEqual(dummyPasswordHashFor('a@example.com', Buffer.alloc(32, 8)), a);
  assert.equal(needsRehash(a), false);
  assert.equal(await verifyPassword(a, 'any password at all'), false);
});
