/**
 * fast-check arbitraries of identity fields that `@scalefu/identity` accepts, in the shapes people type them: the
 * generators property tests draw valid requests from (test-only; fast-check is a dev dependency of the repo).
 */
import fc from 'fast-check';
import { checkEmail } from './email';
import { checkName } from './name';
import { thaiIdCheckDigit } from './national-id';
import { checkThaiPhone } from './phone';

const thaiConsonants = [...'กขคงจฉชซญดตถทธนบปผพฟภมยรลวศสหอฮ'];
const thaiMarks = ['\u0e34', '\u0e35', '\u0e36', '\u0e37', '\u0e38', '\u0e48', '\u0e49', '\u0e4a'];
const latin = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéèüñçåø'];

/** A Thai syllable: a consonant with at most two marks (well under the four a grapheme may carry). */
const thaiGrapheme = fc
  .tuple(fc.constantFrom(...thaiConsonants), fc.array(fc.constantFrom(...thaiMarks), { maxLength: 2 }))
  .map(([c, marks]) => c + marks.join(''));
const word = fc.oneof(
  fc.array(thaiGrapheme, { minLength: 1, maxLength: 12 }).map((g) => g.join('')),
  fc.array(fc.constantFrom(...latin), { minLength: 1, maxLength: 12 }).map((g) => g.join('')),
  fc.constantFrom("O'Brien", 'Jean-Luc', 'St.', 'Jr.,', 'II', 'Ng', 'Po'),
);

/** Names of 2–200 grapheme clusters, Thai and Latin, with the punctuation names carry, sometimes padded. */
export const validName = fc
  .tuple(fc.array(word, { minLength: 1, maxLength: 6 }), fc.constantFrom('', ' ', '  '), fc.constantFrom('', ' ', '\t'))
  .map(([words, lead, trail]) => `${lead}${words.join(' ')}${trail}`)
  .filter((name) => checkName(name).ok);

const atext = [...'abcdefghijklmnopqrstuvwxyz0123456789'];
const atextSpecial = [...`!#$%&'*+/=?^_\`{|}~-`];
const atom = fc
  .array(fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...atext) }, fc.constantFrom(...atextSpecial)), {
    minLength: 1,
    maxLength: 12,
  })
  .map((c) => c.join(''));
const label = fc.array(fc.constantFrom(...atext), { minLength: 1, maxLength: 10 }).map((c) => c.join(''));

/** Addresses with dot-atom local parts and multi-label domains, sometimes in upper case. */
export const validEmail = fc
  .tuple(
    fc.array(atom, { minLength: 1, maxLength: 3 }),
    fc.array(label, { minLength: 1, maxLength: 3 }),
    fc.constantFrom('com', 'co.th', 'org', 'th', 'in.th', 'net', 'xn--o3cw4h'),
    fc.boolean(),
  )
  .map(([local, labels, tld, upper]) => {
    const address = `${local.join('.')}@${labels.join('.')}.${tld}`;
    return upper ? address.toUpperCase() : address;
  })
  .filter((email) => checkEmail(email).ok);

/** Thai mobile numbers (06x, 08x, 09x) in national and international forms, with the separators people type. */
export const validThaiPhone = fc
  .tuple(
    fc.constantFrom('6', '8', '9'),
    fc.integer({ min: 0, max: 99_999_999 }),
    fc.constantFrom('plain', 'dashes', 'spaces', 'international', 'international-spaced'),
  )
  .map(([prefix, n, form]) => {
    const digits = `${prefix}${String(n).padStart(8, '0')}`;
    const [a, b, c] = [digits.slice(0, 2), digits.slice(2, 5), digits.slice(5)];
    switch (form) {
      case 'plain':
        return `0${digits}`;
      case 'dashes':
        return `0${a}-${b}-${c}`;
      case 'spaces':
        return `0${a} ${b} ${c}`;
      case 'international':
        return `+66${digits}`;
      default:
        return `+66 ${a} ${b} ${c}`;
    }
  })
  .filter((phone) => checkThaiPhone(phone).ok);

/** National IDs with a correct check digit, plain or in the printed 1-2345-67890-12-1 grouping. */
export const validNationalId = fc
  .tuple(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 99_999_999_999 }), fc.boolean())
  .map(([first, rest, grouped]) => {
    const first12 = `${first}${String(rest).padStart(11, '0')}`;
    const id = `${first12}${thaiIdCheckDigit(first12)}`;
    return grouped ? `${id[0]}-${id.slice(1, 5)}-${id.slice(5, 10)}-${id.slice(10, 12)}-${id[12]}` : id;
  });

/** Valid values by the field names ScaleFu bodies use. */
export const IDENTITY_FIELD_ARBITRARIES: Readonly<Record<string, fc.Arbitrary<string>>> = {
  name: validName,
  email: validEmail,
  phoneNumber: validThaiPhone,
  nationalId: validNationalId,
};
