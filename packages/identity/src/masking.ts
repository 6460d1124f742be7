/**
 * Masks for list responses and logs (Thailand PDPA): enough for a person to recognise their own data, not
 * enough to contact or identify them. Each works on any string so it never throws on legacy data.
 */

/** `somchai@example.com` → `s******@example.com`. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '*'.repeat(Math.max(3, [...email].length));
  const local = [...email.slice(0, at)];
  return `${local[0]}${'*'.repeat(Math.max(3, local.length - 1))}${email.slice(at)}`;
}

/** `+66812345678` → `+66*****5678`: country code and the last four digits stay. */
export function maskPhone(e164: string): string {
  const digits = e164.replace(/\D/g, '');
  if (digits.length <= 6) return '*'.repeat(digits.length);
  const country = e164.startsWith('+66') ? '+66' : e164.startsWith('+') ? '+' : '';
  const countryDigits = country.replace('+', '').length;
  return `${country}${'*'.repeat(digits.length - countryDigits - 4)}${digits.slice(-4)}`;
}

/** `1101700230708` → `*********0708`: only the last four digits stay. */
export function maskNationalId(nationalId: string): string {
  const digits = nationalId.replace(/\D/g, '');
  if (digits.length <= 4) return '*'.repeat(digits.length);
  return `${'*'.repeat(digits.length - 4)}${digits.slice(-4)}`;
}
