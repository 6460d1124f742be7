/**
 * Identity adapter: the one file that knows where validation, canonicalisation, HMAC and masking come from.
 * Interim implementation until `@scalefu/identity` lands; then this file re-exports it and nothing else changes.
 * (The interim e-mail canonicalisation folds case and NFKC but not confusables, so it can miss variants the
 * onboarder catches; the database's unique constraints still hold for what it does produce.)
 */
import { createHmac } from 'node:crypto';

export interface FieldError {
  readonly field: string;
  readonly message: string;
}

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: FieldError };

const accept = <T>(value: T): Checked<T> => ({ ok: true, value });
const refuse = <T>(field: string, message: string): Checked<T> => ({ ok: false, error: { field, message } });

const segmenter = new Intl.Segmenter('und', { granularity: 'grapheme' });
const NAME_ALLOWED = /^[\p{L}\p{M}\p{Nd} '\u2019\u02bc\-\u2010.,]+$/u;

export function checkName(raw: string, field = 'name'): Checked<string> {
  const name = raw.trim();
  if (!NAME_ALLOWED.test(name) || !/\p{L}/u.test(name)) return refuse(field, 'must be a person name');
  const length = [...segmenter.segment(name)].length;
  if (length < 2 || length > 200) return refuse(field, `must be 2–200 characters after trimming (got ${length})`);
  return accept(name);
}

export interface CheckedEmail {
  /** As sent, trimmed: what the user sees and mail goes to. */
  readonly address: string;
  /** Dedup key: one per person however the address is spelled. */
  readonly canonical: string;
}

const EMAIL_SHAPE =
  /^[^\s@<>()[\]\\,;:"]{1,64}@(?=.{1,253}$)[^\s@<>()[\]\\,;:"._-][^\s@<>()[\]\\,;:"]*\.[^\s@<>()[\]\\,;:".\d-]{2,}$/u;

export function checkEmail(raw: string, field = 'email'): Checked<CheckedEmail> {
  const address = raw.trim();
  if (address.length > 254 || !EMAIL_SHAPE.test(address)) return refuse(field, 'must be a valid e-mail address');
  return accept({ address, canonical: address.normalize('NFKC').toLowerCase() });
}

export function checkThaiPhone(raw: string, field = 'phoneNumber'): Checked<string> {
  const digits = raw.trim().replace(/[\s().-]/g, '');
  const national = digits.startsWith('+66') ? digits.slice(3) : digits.startsWith('0') ? digits.slice(1) : undefined;
  // Thai subscriber numbers: mobile 8 digits after 6/8/9, fixed line 8 digits after 2–7 (without the trunk 0).
  if (national === undefined || !/^([689]\d{8}|[2-7]\d{7})$/.test(national)) {
    return refuse(field, 'must be a valid Thai (+66) phone number');
  }
  return accept(`+66${national}`);
}

export function checkNationalId(raw: string, field = 'nationalId'): Checked<string> {
  const digits = raw.trim().replace(/[\s-]/g, '');
  if (!/^\d{13}$/.test(digits)) return refuse(field, 'must be 13 digits');
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(digits[i]) * (13 - i);
  if ((11 - (sum % 11)) % 10 !== Number(digits[12])) return refuse(field, 'has an invalid check digit');
  return accept(digits);
}

export function nationalIdHmac(nationalId: string, key: string): string {
  if (key.length < 32) throw new Error('national ID HMAC key must be at least 32 characters');
  return createHmac('sha256', key).update(nationalId).digest('hex');
}

/** `somchai@example.com` → `s*****i@example.com`; keeps the domain so support can tell providers apart. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  const local = email.slice(0, at);
  const masked = local.length <= 2 ? `${local[0]}*` : `${local[0]}${'*'.repeat(local.length - 2)}${local.at(-1)}`;
  return `${masked}${email.slice(at)}`;
}

/** `+66812345678` → `+66*******78`. */
export function maskPhone(e164: string): string {
  if (e164.length <= 5) return '***';
  return `${e164.slice(0, 3)}${'*'.repeat(e164.length - 5)}${e164.slice(-2)}`;
}

/** `1101700203451` → `*********3451`. */
export function maskNationalId(digits: string): string {
  return `${'*'.repeat(Math.max(0, digits.length - 4))}${digits.slice(-4)}`;
}
