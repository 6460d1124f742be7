import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateSigningKey, parseSigningKeySet, publicJwks, rotateKeySet } from './signing-keys';

test('rotation puts a new current key first and keeps one previous key', () => {
  const first = rotateKeySet(undefined);
  const second = rotateKeySet(first);
  const third = rotateKeySet(second);
  assert.equal(first.keys.length, 1);
  assert.deepEqual(
    third.keys.map((k) => k.kid),
    [third.keys[0]!.kid, second.keys[0]!.kid],
  );
  assert.notEqual(third.keys[0]!.kid, second.keys[0]!.kid);
});

test('the published set holds public halves only', () => {
  const set = rotateKeySet(rotateKeySet(undefined));
  const published = publicJwks(set);
  assert.equal(published.keys.length, 2);
  for (const key of published.keys) {
    assert.equal('d' in key, false);
    assert.equal(key.alg, 'EdDSA');
  }
});

test('parsing refuses what is not one or two Ed25519 private keys, without echoing key material', () => {
  const key = generateSigningKey();
  assert.equal(parseSigningKeySet(JSON.stringify({ keys: [key] })).keys[0]!.kid, key.kid);
  assert.throws(() => parseSigningKeySet('nope'), /not JSON/);
  assert.throws(() => parseSigningKeySet(JSON.stringify({ keys: [] })), /one or two/);
  const error = (() => {
    try {
      parseSigningKeySet(JSON.stringify({ keys: [{ ...key, crv: 'P-256' }] }));
    } catch (e) {
      return (e as Error).message;
    }
    return '';
  })();
  assert.match(error, /not an Ed25519/);
  assert.equal(error.includes(key.d), false);
});
