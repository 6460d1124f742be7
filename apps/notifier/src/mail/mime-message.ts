import addressparser from 'nodemailer/lib/addressparser';
import { encode as base64, wrap as wrapBase64 } from 'nodemailer/lib/base64';
import { encodeWord, encodeWords, foldLines, quoteString } from 'nodemailer/lib/mime-funcs';

/**
 * The confirmation mail as one RFC 5322 message, composed here and handed to nodemailer as `raw`. nodemailer's own
 * composer streams every part through encoders: 0.40–0.48 ms of CPU a mail against ~0.05 ms here, and it picks
 * quoted-printable for the Thai bodies (5.5 KB a mail against 4.0 KB in base64), which the SMTP catcher then parses
 * slower too (ADR 0145). The header encodings are still nodemailer's (`mime-funcs`, `base64`). Only plain ASCII
 * mailboxes are written here; the consumer hands any other (an SMTPUTF8 local part) to nodemailer's composer.
 */

/** The sender: the `From:` header as written and the bare address for the SMTP envelope. */
export interface Sender {
  readonly header: string;
  readonly address: string;
}

export interface MimeMessageInput {
  readonly from: Sender;
  readonly to: { readonly name: string; readonly address: string };
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** With its angle brackets: `<id@domain>`. */
  readonly messageId: string;
  /** Extra ASCII headers, e.g. `X-ScaleFu-User-ID`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** @default now */
  readonly date?: Date;
}

/** A plain ASCII addr-spec: what `@scalefu/identity` stores unless the local part has non-ASCII letters. */
const ADDRESS = /^[\x21-\x7e]+@[A-Za-z0-9.-]+$/;
const ADDRESS_SPECIALS = /[<>()[\]\\,;:"\s]/;
/** RFC 5322 atext and spaces: a display name that needs neither quotes nor encoding. */
const PLAIN_PHRASE = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~ -]+$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const MESSAGE_ID = /^<[\x21-\x3b\x3d\x3f-\x7e]+@[\x21-\x3b\x3d\x3f-\x7e]+>$/;
const HEADER_NAME = /^[\x21-\x39\x3b-\x7e]+$/;
const HEADER_VALUE = /^[\x20-\x7e]*$/;

/** Whether `composeMimeMessage` can write this mailbox (a plain ASCII addr-spec). */
export function isPlainAsciiAddress(address: string): boolean {
  return ADDRESS.test(address) && !ADDRESS_SPECIALS.test(address);
}

/** The error never echoes the address: a recipient's must not reach logs or DLQ headers (PDPA). */
function assertAddress(what: string, address: string): void {
  if (!isPlainAsciiAddress(address)) throw new Error(`${what} is not a plain ASCII e-mail address`);
}

/** Parse `MAIL_FROM` (`Name <user@example.org>` or `user@example.org`) once, at start-up. */
export function parseSender(mailFrom: string): Sender {
  const [first, ...rest] = addressparser(mailFrom, { flatten: true });
  if (!first?.address || rest.length > 0) throw new Error(`MAIL_FROM must be one mailbox: ${mailFrom}`);
  assertAddress(`MAIL_FROM (${mailFrom})`, first.address);
  return { header: mailbox(first.name, first.address), address: first.address };
}

/**
 * `Name <address>`: a plain name as it is, other ASCII as a quoted string, anything else as encoded words (base64
 * only where needed: an all-base64 From is a spam signal). Line breaks in a name become spaces, as in the bodies.
 */
function mailbox(name: string, address: string): string {
  const phrase = name.replace(/[\r\n\t]+/g, ' ').trim();
  if (!phrase) return `<${address}>`;
  if (PLAIN_PHRASE.test(phrase)) return `${phrase} <${address}>`;
  if (PRINTABLE_ASCII.test(phrase)) return `${quoteString(phrase)} <${address}>`;
  return `${encodeWord(phrase, 'B', 52)} <${address}>`;
}

/** One header, folded at spaces; a long value without any (a Message-ID) starts on a continuation line instead. */
function header(name: string, value: string): string {
  const line = `${name}: ${value}`;
  if (line.length > 76 && !/\s/.test(value)) return `${name}:\r\n ${value}`;
  return foldLines(line, 76);
}

/** RFC 5322 date: `Sun, 06 Dec 2026 22:42:45 +0000`. */
function rfc5322Date(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

/** A text part in base64; its line breaks become CRLF first, as RFC 2046 wants of text before encoding. */
function base64Part(contentType: string, body: string): string {
  return [
    `Content-Type: ${contentType}; charset=utf-8`,
    'Content-Transfer-Encoding: base64',
    '',
    wrapBase64(base64(body.replace(/\r?\n/g, '\r\n')), 76),
  ].join('\r\n');
}

/**
 * Both parts are base64, whose lines hold only `A–Z a–z 0–9 + / =`, under fixed part headers: a boundary with `_` and
 * `.` can never occur inside them (RFC 2046 §5.1.1), so it needs no randomness (a `randomBytes` a mail was ~1 % of the
 * notifier's CPU).
 */
export const MIME_BOUNDARY = 'scalefu_alternative.part';

/** A multipart/alternative message (text, then HTML), CRLF line ends, no line over 78 characters. */
export function composeMimeMessage(input: MimeMessageInput): string {
  assertAddress('the recipient', input.to.address);
  if (!MESSAGE_ID.test(input.messageId)) throw new Error(`not a Message-ID: ${JSON.stringify(input.messageId)}`);
  const extra = Object.entries(input.headers ?? {});
  for (const [name, value] of extra) {
    if (!HEADER_NAME.test(name) || !HEADER_VALUE.test(value)) {
      throw new Error(`header ${JSON.stringify(name)} must be printable ASCII on one line`);
    }
  }
  return [
    header('From', input.from.header),
    header('To', mailbox(input.to.name, input.to.address)),
    header('Subject', encodeWords(input.subject, 'B', 52)),
    header('Message-ID', input.messageId),
    header('Date', rfc5322Date(input.date ?? new Date())),
    ...extra.map(([name, value]) => header(name, value)),
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative; boundary="${MIME_BOUNDARY}"`,
    '',
    `--${MIME_BOUNDARY}`,
    base64Part('text/plain', input.text),
    `--${MIME_BOUNDARY}`,
    base64Part('text/html', input.html),
    `--${MIME_BOUNDARY}--`,
    '',
  ].join('\r\n');
}
