import { createHmac } from 'node:crypto';
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

/**
 * Keyed hash of a national ID (HMAC-SHA256, hex): what dedup and the database's unique constraint use, so the ID
 * itself is never stored. Keyed, because 13-digit IDs with a check digit are few enough to brute-force a plain hash.
 */
export function nationalIdHmac(nationalId: string, key: string): string {
  if (key.length < 32) throw new Error('national ID HMAC key must be at least 32 characters');
  return createHmac('sha256', key).update(nationalId).digest('hex');
}
