import { ASCII_CONFUSABLE_RUNS } from './confusables-ascii';
import { decodeAsciiRuns } from './confusables-runs';
import { domainToASCII } from './idna';
import { accept, refuse, type Checked } from './result';

export interface CheckedEmail {
  /**
   * Where mail goes, stored and shown: the address trimmed and NFKC-normalised (fullwidth → ASCII), the domain
   * lower-case and as an A-label; the local part keeps its case (a mailbox may, in theory, care).
   */
  readonly email: string;
  /** The dedup identity: every spelling of one mailbox maps here (docs/adr/0030-email-canonical-form.md). */
  readonly canonical: string;
}

const MAX_ADDRESS = 254;
const MAX_LOCAL = 64;
const MAX_DOMAIN = 253;
/** RFC 5322 dot-atom: atext runs separated by single dots. Quoted local parts are refused (nobody registers with one). */
const DOT_ATOM = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const TOP_LEVEL = /^([a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
const ASCII = /^[\p{ASCII}]*$/u;
/** Domains whose mailbox ignores dots and `+tag`s in the local part, and the domain they are one mailbox with. */
const DOTLESS_PLUS_DOMAINS: Readonly<Record<string, string>> = {
  'gmail.com': 'gmail.com',
  'googlemail.com': 'gmail.com',
};

/**
 * The TR39 prototype (npm `unhomoglyph`) of every non-ASCII character whose prototype is ASCII: the slice of the table
 * folding uses, generated into `confusables-ascii.ts` (2.5 KB gzipped instead of the table's 27 KB, so the register
 * page can run this same code; `confusables.test.ts` keeps it equal to the installed table).
 */
const ASCII_PROTOTYPES = decodeAsciiRuns(ASCII_CONFUSABLE_RUNS);

/**
 * Fold characters that look like ASCII (Cyrillic `а`, Greek `ο`, fullwidth and math letters, Thai digit `๐`, ...)
 * to their Unicode TR39 prototype. Only non-ASCII characters whose prototype is ASCII are folded: TR39 also maps
 * ASCII `1`→`l`, `0`→`O`, `m`→`rn` (but `bob1@` and `bobl@` are different real mailboxes) and Thai letters onto
 * other Thai letters (which would turn a real Thai domain into a different one).
 */
export function foldConfusables(text: string): string {
  let out = '';
  for (const ch of text) out += ASCII_PROTOTYPES.get(ch) ?? ch;
  return out;
}

/** The dedup form of an address: NFKC, lower-case, look-alikes folded, IDN domain as A-label, Gmail aliases folded. */
function canonicalise(address: string): string | undefined {
  const folded = foldConfusables(address.normalize('NFKC').toLowerCase()).toLowerCase();
  const at = folded.lastIndexOf('@');
  if (at <= 0 || at === folded.length - 1) return undefined;
  let local = folded.slice(0, at);
  let domain = folded.slice(at + 1);
  if (!ASCII.test(local)) return undefined; // SMTPUTF8 mailboxes are refused: see the ADR
  if (!ASCII.test(domain)) domain = domainToASCII(domain);
  if (!domain || local.length > MAX_LOCAL || domain.length > MAX_DOMAIN || !DOT_ATOM.test(local)) return undefined;
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l)) || !TOP_LEVEL.test(labels.at(-1)!)) return undefined;
  const mailboxDomain = DOTLESS_PLUS_DOMAINS[domain];
  if (mailboxDomain) {
    local = local.split('+')[0]!.replaceAll('.', '');
    if (!local) return undefined;
    domain = mailboxDomain;
  }
  const canonical = `${local}@${domain}`;
  return canonical.length <= MAX_ADDRESS ? canonical : undefined;
}

/**
 * The deliverable form of an address the canonical form accepted: NFKC, domain lower-case A-label, local part's case
 * kept. Look-alikes are not folded here: `pо@` (Cyrillic о) is a different mailbox from `po@`, even though both
 * are one identity for dedup. Undefined when the domain as typed has no A-label (UTS 46 refuses it).
 */
function deliverable(address: string): string | undefined {
  const normalised = address.normalize('NFKC');
  const at = normalised.lastIndexOf('@');
  const domain = domainToASCII(normalised.slice(at + 1).toLowerCase());
  if (!domain) return undefined;
  const email = `${normalised.slice(0, at)}@${domain}`;
  return email.length <= MAX_ADDRESS ? email : undefined;
}

/** Check an e-mail address; give its deliverable form (where mail goes) and its dedup identity. */
export function checkEmail(raw: string, field = 'email'): Checked<CheckedEmail> {
  const trimmed = raw.trim();
  if (trimmed.length === 0) return refuse(field, 'must not be empty');
  if (trimmed.length > MAX_ADDRESS) return refuse(field, `must be at most ${MAX_ADDRESS} characters`);
  const canonical = canonicalise(trimmed);
  const email = canonical ? deliverable(trimmed) : undefined;
  if (!canonical || !email) return refuse(field, 'is not a valid e-mail address');
  return accept({ email, canonical });
}

/** Just the dedup identity of an address already known to be valid (e.g. read back from the store); throws otherwise. */
export function canonicalEmail(raw: string): string {
  const checked = checkEmail(raw);
  if (!checked.ok) throw new Error(`not a valid e-mail address: ${checked.error.message}`);
  return checked.value.canonical;
}
