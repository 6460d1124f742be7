import parseWith, { type CountryCode, type MetadataJson } from 'libphonenumber-js/core';
import metadata from './phone-metadata-th.json';

/**
 * Browser stand-in for `libphonenumber-js/max` with Thailand's entry of the same max metadata only (the page checks
 * Thai numbers; the full table is 40 KB gzipped). `phone-metadata-th.json` is the TH slice of the installed
 * `metadata.max.json`; `libphonenumber-th.test.ts` fails when an upgrade changes it (regenerate with the command there).
 * The build points `libphonenumber-js/core`'s default export at the library's own `es6-modern` build of the same
 * function (`next.config.ts`): the same source compiled without ES5 helpers, 2.4 KB less.
 */
export function parsePhoneNumberFromString(text: string, defaultCountry?: CountryCode) {
  return parseWith(text, { defaultCountry }, metadata as unknown as MetadataJson);
}
