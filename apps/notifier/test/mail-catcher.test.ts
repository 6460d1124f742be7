import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import nodemailer from 'nodemailer';
import { countMailsTo, mailsTo, messageIdsTo } from '../../../scripts/lib/stack/mail-inbox';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run through \`npm test\`, which starts the stack`);
  return value;
}

test('the SMTP catcher serves its web inbox page and the bundle it loads (the UI is embedded, not a 404)', async () => {
  const web = required('MAIL_WEB_URL');
  const page = await fetch(`${web}/`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
  const html = await page.text();
  const bundle = html.match(/src="([^"]*dist\/app\.js[^"]*)"/)?.[1];
  assert.ok(bundle, `the page loads the inbox bundle: ${html.slice(0, 300)}`);
  const script = await fetch(new URL(bundle, `${web}/`));
  assert.equal(script.status, 200, `${bundle} is embedded in the binary`);
  assert.match(script.headers.get('content-type') ?? '', /javascript/);
  assert.ok((await script.text()).length > 100_000, 'the built bundle, not a stub');
});

test('a mail sent over SMTP is found by recipient with its bodies, Message-ID and every delivery', async () => {
  const web = required('MAIL_WEB_URL');
  const to = `inbox.${randomUUID().slice(0, 8)}@Example.co.th`;
  const messageId = `<inbox.${randomUUID()}@scalefu.local>`;
  const transport = nodemailer.createTransport({ url: required('SMTP_URL') });
  try {
    const mail = {
      from: 'noreply@scalefu.local',
      to,
      subject: 'ยืนยัน / test',
      text: 'สวัสดี',
      html: '<p>Hi</p>',
      messageId,
    };
    await transport.sendMail(mail);
    await transport.sendMail(mail); // a repeated delivery of the same message is kept, as the notifier tests need
  } finally {
    transport.close();
  }
  const found = await mailsTo(web, to);
  assert.equal(found.length, 2);
  assert.deepEqual(found[0]!.to, [to.toLowerCase()]);
  assert.equal(found[0]!.subject, 'ยืนยัน / test');
  assert.match(found[0]!.text, /สวัสดี/);
  assert.match(found[0]!.html, /<p>Hi<\/p>/);
  assert.equal(found[0]!.messageId, messageId.slice(1, -1));
  assert.deepEqual(
    await messageIdsTo(web, [to]),
    new Map([[to.toLowerCase(), [found[0]!.messageId, found[0]!.messageId]]]),
  );
  assert.deepEqual(await countMailsTo(web, [to, 'nobody@example.co.th']), new Map([[to.toLowerCase(), 2]]));
  assert.deepEqual(await mailsTo(web, `x${to}`), [], 'an exact address, not a substring');
});
