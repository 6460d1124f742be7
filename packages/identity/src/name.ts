import { accept, refuse, type Checked } from './result';

export const NAME_MIN_CHARACTERS = 2;
export const NAME_MAX_CHARACTERS = 200;
/** Combining marks one user-perceived character may carry: Thai stacks up to 3, so 4 leaves room and stops "zalgo" text. */
const MAX_MARKS_PER_CHARACTER = 4;

/**
 * Allowed: letters and combining marks of any script (Thai, Latin with accents, ...), decimal digits, the space,
 * apostrophes (' ’ ʼ), hyphens, full stop and comma. Everything else — control and format characters (bidi
 * overrides, zero-width joiners), tabs, line breaks, symbols, emoji — is refused.
 */
const ALLOWED = /^[\p{L}\p{M}\p{Nd} '\u2019\u02bc\-\u2010.,]+$/u;
const LETTER = /\p{L}/u;
const MARK = /\p{M}/gu;

const segmenter = new Intl.Segmenter('und', { granularity: 'grapheme' });

/**
 * Length of a name as a person counts it: grapheme clusters, so Thai "กี่" (3 code points) is one character
 * and a name's length does not depend on its Unicode normalisation form.
 */
export function nameLength(name: string): number {
  let count = 0;
  for (const _ of segmenter.segment(name)) count++;
  return count;
}

/** Check a person's name; the value is the name trimmed, otherwise exactly as sent. */
export function checkName(raw: string, field = 'name'): Checked<string> {
  const name = raw.trim();
  if (name.length === 0) return refuse(field, 'must not be empty');
  if (!ALLOWED.test(name)) {
    return refuse(field, 'may contain only letters, digits, spaces, apostrophes, hyphens, full stops and commas');
  }
  if (!LETTER.test(name)) return refuse(field, 'must contain a letter');
  const length = nameLength(name);
  if (length < NAME_MIN_CHARACTERS || length > NAME_MAX_CHARACTERS) {
    return refuse(
      field,
      `must be ${NAME_MIN_CHARACTERS}–${NAME_MAX_CHARACTERS} characters after trimming (got ${length})`,
    );
  }
  for (const { segment } of segmenter.segment(name)) {
    if ((segment.match(MARK)?.length ?? 0) > MAX_MARKS_PER_CHARACTER) {
      return refuse(field, 'has too many combining marks on one character');
    }
  }
  return accept(name);
}
