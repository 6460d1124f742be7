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

/** Printable ASCII: one code unit per grapheme cluster and no combining marks, so no segmenter is needed. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** A name's grapheme clusters: how many, and the most combining marks any one of them carries. */
function graphemes(name: string): { readonly count: number; readonly mostMarks: number } {
  if (PRINTABLE_ASCII.test(name)) return { count: name.length, mostMarks: 0 };
  let count = 0;
  let mostMarks = 0;
  for (const { segment } of segmenter.segment(name)) {
    count++;
    mostMarks = Math.max(mostMarks, segment.match(MARK)?.length ?? 0);
  }
  return { count, mostMarks };
}

/**
 * Length of a name as a person counts it: grapheme clusters, so Thai "กี่" (3 code points) is one character
 * and a name's length does not depend on its Unicode normalisation form.
 */
export function nameLength(name: string): number {
  return graphemes(name).count;
}

/** Check a person's name; the value is the name trimmed, otherwise exactly as sent. */
export function checkName(raw: string, field = 'name'): Checked<string> {
  const name = raw.trim();
  if (name.length === 0) return refuse(field, 'must not be empty');
  if (!ALLOWED.test(name)) {
    return refuse(field, 'may contain only letters, digits, spaces, apostrophes, hyphens, full stops and commas');
  }
  if (!LETTER.test(name)) return refuse(field, 'must contain a letter');
  const { count, mostMarks } = graphemes(name);
  if (count < NAME_MIN_CHARACTERS || count > NAME_MAX_CHARACTERS) {
    return refuse(
      field,
      `must be ${NAME_MIN_CHARACTERS}–${NAME_MAX_CHARACTERS} characters after trimming (got ${count})`,
    );
  }
  if (mostMarks > MAX_MARKS_PER_CHARACTER) return refuse(field, 'has too many combining marks on one character');
  return accept(name);
}
