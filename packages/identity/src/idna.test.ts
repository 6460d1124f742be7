import assert from 'node:assert/strict';
import { test } from 'node:test';
import { domainToASCII as nodeDomainToASCII } from 'node:url';
import fc from 'fast-check';
import { domainToASCII } from './idna';

const samples = [
  'example.com',
  'EXAMPLE.co.th',
  'ตัวอย่าง.ไทย',
  'bücher.de',
  'xn--bcher-kva.de',
  'a..b',
  '',
  'a b.com',
  'a/b.com',
  'a@b',
  'a:1',
  '.',
  'com.',
  '1.2.3',
  '[::1]',
  'ＡＢＣ.com',
  'a%41.com',
  'a\\b.com',
  'ß.de',
  'a_b.com',
];

test('agrees with node:url domainToASCII on known cases', () => {
  for (const s of samples) assert.equal(domainToASCII(s), nodeDomainToASCII(s), JSON.stringify(s));
});

test('agrees with node:url domainToASCII on generated domains', () => {
  const label = fc.string({ unit: fc.constantFrom(...'abcxyz019-_.ไทยตüßÄ%@:/ \u200b\u0000ＡΣ'), maxLength: 12 });
  fc.assert(
    fc.property(fc.array(label, { minLength: 1, maxLength: 4 }), (parts) => {
      const d = parts.join('.');
      assert.equal(domainToASCII(d), nodeDomainToASCII(d), JSON.stringify(d));
    }),
    { numRuns: 3000 },
  );
});
