import { registrationStatusPageUrl } from '@scalefu/contracts';

/** What the confirmation mail says, in Thai first and English second; pure so it can be tested without SMTP. */
export interface ConfirmationEmailInput {
  readonly userID: string;
  readonly name: string;
  /** Where the member can check the registration status. */
  readonly statusUrl: string;
}

export interface ConfirmationEmail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export const CONFIRMATION_SUBJECT = 'ยืนยันการลงทะเบียนสมาชิก ScaleFu / Your ScaleFu registration is confirmed';

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escape text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** Keep the name on one line: a name is data, never layout. */
function oneLine(value: string): string {
  return value.replace(/[\r\n\t\u2028\u2029]+/g, ' ').trim();
}

export function renderConfirmationEmail(input: ConfirmationEmailInput): ConfirmationEmail {
  const name = oneLine(input.name);
  const text = [
    `สวัสดีคุณ ${name}`,
    '',
    'การลงทะเบียนสมาชิก Jade Palace ของคุณได้รับการยืนยันแล้ว',
    `รหัสสมาชิกของคุณ: ${input.userID}`,
    `ตรวจสอบสถานะการลงทะเบียน: ${input.statusUrl}`,
    'หากคุณไม่ได้ลงทะเบียน โปรดเพิกเฉยต่ออีเมลฉบับนี้',
    '',
    '----------------------------------------',
    '',
    `Hello ${name},`,
    '',
    'Your Jade Palace membership registration is confirmed.',
    `Your member ID: ${input.userID}`,
    `Check your registration status: ${input.statusUrl}`,
    'If you did not register, please ignore this e-mail.',
    '',
    '— ScaleFu, Jade Palace',
    '',
  ].join('\n');

  const n = escapeHtml(name);
  const id = escapeHtml(input.userID);
  const url = escapeHtml(input.statusUrl);
  const html = `<!doctype html>
<html lang="th">
<head><meta charset="utf-8"><title>${escapeHtml(CONFIRMATION_SUBJECT)}</title></head>
<body style="font-family: sans-serif; line-height: 1.5">
<section lang="th">
<p>สวัสดีคุณ ${n}</p>
<p>การลงทะเบียนสมาชิก Jade Palace ของคุณได้รับการยืนยันแล้ว</p>
<p>รหัสสมาชิกของคุณ: <code>${id}</code></p>
<p><a href="${url}">ตรวจสอบสถานะการลงทะเบียน</a></p>
<p>หากคุณไม่ได้ลงทะเบียน โปรดเพิกเฉยต่ออีเมลฉบับนี้</p>
</section>
<hr>
<section lang="en">
<p>Hello ${n},</p>
<p>Your Jade Palace membership registration is confirmed.</p>
<p>Your member ID: <code>${id}</code></p>
<p><a href="${url}">Check your registration status</a></p>
<p>If you did not register, please ignore this e-mail.</p>
</section>
<p>— ScaleFu, Jade Palace</p>
</body>
</html>
`;
  return { subject: CONFIRMATION_SUBJECT, text, html };
}

/** Status link for a user: the admin web's registration status page (a page, not the JSON API) at its public origin. */
export function registrationStatusUrl(publicBaseUrl: string, userID: string): string {
  return registrationStatusPageUrl(publicBaseUrl, userID);
}
