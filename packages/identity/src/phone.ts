import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { accept, refuse, type Checked } from './result';

/** What a typed phone number may look like before parsing; libphonenumber would otherwise fish a number out of prose. */
const PHONE_SHAPE = /^\+?[0-9(][0-9 ().-]{5,22}$/;

/** Check a Thai phone number (mobile or fixed line, national or international form); the value is E.164 (`+66812345678`). */
export function checkThaiPhone(raw: string, field = 'phoneNumber'): Checked<string> {
  const text = raw.trim();
  if (!PHONE_SHAPE.test(text))
    return refuse(field, 'must be a phone number of digits, optionally with +, spaces or dashes');
  const parsed = parsePhoneNumberFromString(text, 'TH');
  if (!parsed || !parsed.isValid()) return refuse(field, 'is not a valid phone number');
  if (parsed.country !== 'TH') return refuse(field, 'must be a Thai (+66) number');
  return accept(parsed.number);
}
