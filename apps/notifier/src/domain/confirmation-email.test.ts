import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeHtml, registrationStatusUrl, renderConfirmationEmail } from './confirmation-email';

const userID = '0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6a7b';
const statusUrl = registrationStatusUrl('https://app.scalefu.localhost:8443', userID);

describe('confirmation e-mail', () => {
  it('greets the member in Thai and in English in both the text and the HTML body', () => {
    const mail = renderConfirmationEmail({ userID, name: 'สมชาย ใจดี', statusUrl });
    for (const body of [mail.text, mail.html]) {
      assert.match(body, /สวัสดีคุณ สมชาย ใจดี/);
      assert.match(body, /การลงทะเบียนสมาชิก Jade Palace ของคุณได้รับการยืนยันแล้ว/);
      assert.match(body, /Hello สมชาย ใจดี,/);
      assert.match(body, /registration is confirmed/);
      assert.ok(body.includes(userID), 'member id shown');
    }
    assert.ok(mail.text.indexOf('สวัสดี') < mail.text.indexOf('Hello'), 'Thai comes first');
    assert.match(mail.html, /<section lang="th">[\s\S]*<section lang="en">/);
  });

  it('has a bilingual subject', () => {
    const { subject } = renderConfirmationEmail({ userID, name: 'Po', statusUrl });
    assert.match(subject, /ยืนยัน/);
    assert.match(subject, /confirmed/);
  });

  it('escapes markup in the name in the HTML body but keeps it as sent in the text body', () => {
    const name = `<script>alert("x")</script> O'Brien & Co`;
    const mail = renderConfirmationEmail({ userID, name, statusUrl });
    assert.ok(!mail.html.includes('<script>'), 'no raw script tag in HTML');
    assert.ok(mail.html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; O&#39;Brien &amp; Co'));
    assert.ok(mail.text.includes(name), 'text body shows the name as sent');
  });

  it('keeps a name with line breaks on one line so it cannot forge extra lines', () => {
    const mail = renderConfirmationEmail({ userID, name: 'Tigress\r\nBcc: evil@example.com', statusUrl });
    assert.ok(mail.text.includes('Hello Tigress Bcc: evil@example.com,'));
    assert.ok(!/\r/.test(mail.text));
  });

  it('links to the registration status page of the admin web, not to the JSON API', () => {
    const mail = renderConfirmationEmail({ userID, name: 'Po', statusUrl });
    assert.equal(statusUrl, `https://app.scalefu.localhost:8443/registrations/?id=${userID}`);
    assert.ok(mail.html.includes(`href="${statusUrl}"`));
    assert.ok(mail.text.includes(statusUrl));
  });

  it('escapes every HTML-special character', () => {
    assert.equal(escapeHtml(`&<>"'`), '&amp;&lt;&gt;&quot;&#39;');
  });
});
