import { accept, refuse, type Checked } from './result';

/** Separators people type inside a national ID (`1-2345-67890-12-1`); they are dropped before the check. */
const SEPARATORS = /[\s-]/g;
const THIRTEEN_DIGITS = /^[0-9]{13}$/;

/** Thai national ID check digit: (11 − Σ dᵢ·(13 − i) mod 11) mod 10 over the first 12 digits. */
export function thaiIdCheckDigit(first12: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (13 - i);
  return (11 - (sum % 11)) % 10;
}

/** Check a Thai national ID; the value is the 13 digits without separators. */
export function checkNationalId(raw: string, field = 'nationalId'): Checked<string> {
  const digits = raw.trim().replace(SEPARATORS, '');
  if (!THIRTEEN_DIGITS.test(digits)) return refuse(field, 'must be 13 digits');
  if (thaiIdCheckDigit(digits) !== Number(digits[12])) return refuse(field, 'has an invalid check digit');
  return accept(digits);
}
