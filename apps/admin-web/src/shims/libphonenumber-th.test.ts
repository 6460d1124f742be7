import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { CountryCode, MetadataJson, PhoneNumber } from 'libphonenumber-js/core';
import { parsePhoneNumberFromString as parseMax } from 'libphonenumber-js/max';
import metadata from './phone-metadata-th.json';
import { parsePhoneNumberFromString as parseThai } from './libphonenumber-th';

const require = createRequire(import.meta.url);

test('the Thai metadata is the TH slice of the installed max metadata', () => {
  // Regenerate: node -e 'const m=require("libphonenumber-js/metadata.max.json");require("fs").writeFileSync(
  //   "apps/admin-web/src/shims/phone-metadata-th.json",JSON.stringify({version:m.version,country_calling_codes:
  //   {"66":m.country_calling_codes["66"]},countries:{TH:m.countries.TH},nonGeographic:{}})+"\n")'
  const max = require('libphonenumber-js/metadata.max.json') as {
    version: number;
    country_calling_codes: Record<string, string[]>;
    countries: Record<string, unknown>;
  };
  const slice = JSON.parse(readFileSync(new URL('./phone-metadata-th.json', import.meta.url), 'utf8'));
  assert.deepEqual(slice, {
    version: max.version,
    country_calling_codes: { '66': max.country_calling_codes['66'] },
    countries: { TH: max.countries['TH'] },
    nonGeographic: {},
  });
});

/** What the build really runs: `next.config.ts` points `libphonenumber-js/core` at the library's es6-modern build. */
const modernFile = path.join(
  path.dirname(require.resolve('libphonenumber-js/package.json')),
  'es6-modern',
  'parsePhoneNumber.js',
);
const parseModern = (
  (await import(pathToFileURL(modernFile).href)) as {
    default: (
      text: string,
      options: { defaultCountry: CountryCode },
      metadata: MetadataJson,
    ) => PhoneNumber | undefined;
  }
).default;

test('accepts and normalises exactly the Thai numbers the max metadata accepts', () => {
  const samples = [
    '081 234 5678',
    '+66812345678',
    '02 123 4567',
    '0812345',
    '099-999-9999',
    '+66 2 123 4567',
    '053 123 456',
    '1234567890',
    '06 1234 5678',
  ];
  for (let i = 0; i < 2000; i++)
    samples.push(
      `0${Math.floor(Math.random() * 1e9)
        .toString()
        .padStart(9, '0')}`,
    );
  for (const text of samples) {
    // What checkThaiPhone asks: a valid number in Thailand (a valid foreign number is refused either way).
    const a = parseMax(text, 'TH');
    const b = parseThai(text, 'TH');
    const thaiA = Boolean(a?.isValid() && a.country === 'TH');
    const thaiB = Boolean(b?.isValid() && b.country === 'TH');
    assert.equal(thaiB, thaiA, text);
    if (thaiA) assert.equal(b?.number, a!.number, text);
    const c = parseModern(text, { defaultCountry: 'TH' }, metadata as unknown as MetadataJson);
    assert.equal(Boolean(c?.isValid() && c.country === 'TH'), thaiA, `es6-modern: ${text}`);
    if (thaiA) assert.equal(c?.number, a!.number, `es6-modern: ${text}`);
  }
});
