import { parsePhoneNumberFromString as parseWith, type CountryCode, type MetadataJson } from 'libphonenumber-js/core';
import metadata from './phone-metadata-th.json';

/**
 * Browser stand-in for `libphonenumber-js/max` with Thailand's entry of the same max metadata only (the page checks
 * Thai numbers; the full table is 40 KB gzipped). `phone-metadata-th.json` is the TH slice of the installed
 * `metadata.max.json`; `libphonenumber-th.test.ts` fails when an upgrade changes it (regenerate with the command there).
 */
export function parsePhoneNumberFromString(text: string, defaultCountry?: CountryCode) {
  return parseWith(text, { defaultCountry }, metadata as unknown as MetadataJson);
}
