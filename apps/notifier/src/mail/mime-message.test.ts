import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderConfirmationEmail } from '../domain/confirmation-email';
import {
  MIME_BOUNDARY,
  composeMimeMessage,
  isPlainAsciiAddress,
  parseSender,
  type MimeMessageInput,
} from './mime-message';

const mail = renderConfirmationEmail({
  userID: '0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6a7b',
  name: 'สมชาย ใจดี',
  statusUrl: 'https://app.scalefu.localhost:8443/registrations/?id=0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6a7b',
});
const input: MimeMessageInput = {
  from: parseSender('Jade Palace ร้าน <no-reply@scalefu.example>'),
  to: { name: 'สมชาย ใจดี', address: 'somchai.j+shop@example.co.th' },
  subject: mail.subject,
  text: mail.text,
  html: mail.html,
  messageId: '<confirmation.0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6a7b@mail.jadepalace.example>',
  headers: { 'X-ScaleFu-User-ID': '0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6a7b' },
  date: new Date('2026-12-06T22:42:45Z'),
};

/** RFC 2047 B-words decoded; whitespace between adjacent encoded words dropped, as a mail reader does. */
function decodeWords(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=/gi, (_, b64: string) => Buffer.from(b64, 'base64').toString('utf8'));
}

/** The message split the way a reader splits it: unfolded headers by name, and each part's decoded body. */
function read(raw: string) {
  const [head, ...rest] = raw.split('\r\n\r\n');
  const headers = new Map<string, string>();
  for (const line of head!.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  const boundary = /boundary="([^"]+)"/.exec(headers.get('content-type')!)![1]!;
  const parts = rest
    .join('\r\n\r\n')
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((part) => {
      const [partHead, body] = part.replace(/^\r\n/, '').split('\r\n\r\n');
      return { head: partHead!, body: Buffer.from(body!.replace(/\r\n/g, ''), 'base64').toString('utf8') };
    });
  return { headers, parts };
}

describe('composeMimeMessage', () => {
  it('round-trips the sender, recipient, subject, ids and both bodies exactly', () => {
    const { headers, parts } = read(composeMimeMessage(input));
    assert.equal(decodeWords(headers.get('from')!), 'Jade Palace ร้าน <no-reply@scalefu.example>');
    assert.equal(decodeWords(headers.get('to')!), 'สมชาย ใจดี <somchai.j+shop@example.co.th>');
    assert.equal(decodeWords(headers.get('subject')!), mail.subject);
    assert.equal(
      headers.get('message-id'),
      '<confirmation.0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6a7b@mail.jadepalace.example>',
    );
    assert.equal(headers.get('date'), 'Sun, 06 Dec 2026 22:42:45 +0000');
    assert.equal(headers.get('x-scalefu-user-id'), '0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6a7b');
    assert.equal(headers.get('mime-version'), '1.0');
    assert.match(headers.get('content-type')!, /^multipart\/alternative; boundary="/);
    assert.equal(parts.length, 2);
    assert.match(parts[0]!.head, /^Content-Type: text\/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64$/);
    assert.equal(parts[0]!.body, mail.text.replaceAll('\n', '\r\n'), 'the text, with CRLF line breaks');
    assert.match(parts[1]!.head, /^Content-Type: text\/html; charset=utf-8\r\nContent-Transfer-Encoding: base64$/);
    assert.equal(parts[1]!.body, mail.html.replaceAll('\n', '\r\n'));
  });

  it('writes CRLF line ends only and no line over 78 characters', () => {
    const raw = composeMimeMessage(input);
    assert.ok(!/[^\r]\n/.test(raw), 'no bare LF');
    assert.ok(!/\r(?!\n)/.test(raw), 'no bare CR');
    const longest = Math.max(...raw.split('\r\n').map((line) => line.length));
    assert.ok(longest <= 78, `longest line ${longest}`);
  });

  it('keeps a name that tries to add a header inside the To header, on one line', () => {
    const raw = composeMimeMessage({ ...input, to: { ...input.to, name: 'Po\r\nBcc: victim@example.com' } });
    const { headers } = read(raw);
    assert.equal(headers.has('bcc'), false);
    assert.equal(headers.get('to'), '"Po Bcc: victim@example.com" <somchai.j+shop@example.co.th>');
  });

  it('writes a plain name as it is, other ASCII as a quoted string, and only non-ASCII as encoded words', () => {
    const to = (name: string) => read(composeMimeMessage({ ...input, to: { ...input.to, name } })).headers.get('to');
    assert.equal(to('Tigress'), 'Tigress <somchai.j+shop@example.co.th>');
    assert.equal(to('Po "Dragon" <Warrior>'), '"Po \\"Dragon\\" <Warrior>" <somchai.j+shop@example.co.th>');
    assert.match(to('สมชาย')!, /^=\?UTF-8\?B\?/);
    assert.equal(
      read(composeMimeMessage({ ...input, from: parseSender('Jade Palace <a@b.co>') })).headers.get('from'),
      'Jade Palace <a@b.co>',
    );
  });

  it('uses a boundary that no base64 line can hold, so no name or body can end a part early', () => {
    const boundary = /boundary="([^"]+)"/.exec(composeMimeMessage(input))![1]!;
    assert.equal(boundary, MIME_BOUNDARY);
    assert.match(boundary, /[^A-Za-z0-9+/=]/, 'a character outside the base64 alphabet');
    const hostile = `--${boundary}\r\n--${boundary}--`;
    const raw = composeMimeMessage({ ...input, text: hostile, html: `<p>${hostile}</p>` });
    const delimiters = raw.split('\r\n').filter((line) => line.startsWith(`--${boundary}`));
    assert.deepEqual(delimiters, [`--${boundary}`, `--${boundary}`, `--${boundary}--`]);
    const { parts } = read(raw);
    assert.deepEqual(
      parts.map((part) => part.body),
      [hostile, `<p>${hostile}</p>`],
    );
  });

  it('refuses what would break the message: a non-ASCII or bracketed address, a bad Message-ID, a header line break', () => {
    for (const address of [
      'สมชาย@example.co.th',
      'a b@example.com',
      'a@example.com>, evil@example.com',
      'no-at-sign',
    ]) {
      assert.throws(
        () => composeMimeMessage({ ...input, to: { ...input.to, address } }),
        (error: Error) => /plain ASCII e-mail address$/.test(error.message) && !error.message.includes(address),
        'refused without echoing the address',
      );
    }
    assert.equal(isPlainAsciiAddress('t\u0456gress@jadepalace.th'), false, 'an SMTPUTF8 mailbox is left to nodemailer');
    assert.equal(isPlainAsciiAddress('tigress@jadepalace.th'), true);
    assert.throws(() => composeMimeMessage({ ...input, messageId: 'confirmation@x' }), /not a Message-ID/);
    assert.throws(
      () => composeMimeMessage({ ...input, headers: { 'X-ScaleFu-User-ID': 'a\r\nBcc: victim@example.com' } }),
      /printable ASCII on one line/,
    );
  });
});

describe('parseSender', () => {
  it('takes a named or a bare MAIL_FROM apart into the header and the envelope address', () => {
    assert.deepEqual(parseSender('no-reply@scalefu.local'), {
      header: '<no-reply@scalefu.local>',
      address: 'no-reply@scalefu.local',
    });
    const named = parseSender('Jade Palace <no-reply@scalefu.example>');
    assert.equal(named.address, 'no-reply@scalefu.example');
    assert.equal(named.header, 'Jade Palace <no-reply@scalefu.example>');
  });

  it('refuses a MAIL_FROM that is not exactly one plain mailbox', () => {
    assert.throws(() => parseSender('a@example.com, b@example.com'), /one mailbox/);
    assert.throws(() => parseSender('Jade Palace'), /one mailbox|plain ASCII/);
    assert.throws(() => parseSender(''), /one mailbox/);
  });
});
