import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { eventually, mailsTo, uniqueEmail, uniquePhone } from '../../../test/e2e/pipeline';
import { assertAccessible, cspViolations, pageErrors, launchChromium, newContext, screenshots } from './browser';
import { WEB, startWebStack, type WebStack } from './stack';

// The public pages in Debian's Chromium against the real stack through the local HTTPS edge (strict CSP).
let stack: WebStack;
let browser: Browser;
let page: Page;

before(async () => {
  stack = await startWebStack();
  browser = await launchChromium(stack.edge.tls.caCert);
  page = await (await newContext(browser)).newPage();
});

after(async () => {
  await browser?.close();
  await stack?.stop();
  assert.deepEqual(pageErrors, [], 'no uncaught exception in any page');
  assert.deepEqual(cspViolations, [], 'no page broke its Content-Security-Policy');
});

async function fill(p: Page, values: Record<string, string>) {
  for (const [id, value] of Object.entries(values)) {
    await p.fill(`#${id}`, value, { timeout: 10_000 }).catch(async (error: Error) => {
      throw new Error(`${error.message}\nat ${p.url()}:\n${(await p.content()).slice(0, 3000)}`);
    });
  }
}

const registered = { email: uniqueEmail('web'), phone: uniquePhone() };
let statusUrl = '';

test('the edge is trusted through the CA, not by skipping checks: without it Chromium refuses the page', async () => {
  const untrusting = await launchChromium(undefined);
  try {
    const context = await untrusting.newContext();
    const refused = await (await context.newPage()).goto(`${WEB}/register/`).then(
      () => 'loaded',
      (error: Error) => error.message,
    );
    assert.match(refused, /ERR_CERT_AUTHORITY_INVALID/);
  } finally {
    await untrusting.close();
  }
  const trusted = await page.goto(`${WEB}/register/`);
  assert.equal(trusted?.status(), 200);
  const security = await trusted?.securityDetails();
  assert.equal(security?.issuer, 'ScaleFu local CA');
});

test('the register page is Thai first, switches to English and passes axe at desktop and 360 px', async () => {
  await page.goto(`${WEB}/register/`);
  assert.equal(await page.textContent('h1'), 'สมัครสมาชิก');
  await assertAccessible(page, '/register (th)');
  await screenshots(page, 'register-th');
  await page.getByRole('button', { name: 'English' }).click();
  assert.equal(await page.textContent('h1'), 'Register');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await assertAccessible(page, '/register (en)');
  await screenshots(page, 'register-en');
});

test('shows the shared validation rules live at each field and does not send an invalid form', async () => {
  await fill(page, { name: 'P', email: 'not-an-email', phoneNumber: '12345', nationalId: '1234567890123' });
  await page.locator('#name').blur();
  await page.locator('#nationalId').blur();
  await page.locator('#email').focus();
  await page.locator('#phoneNumber').focus();
  await page.locator('#name').focus();
  assert.match((await page.textContent('[data-testid=email-error]')) ?? '', /valid e-mail/);
  assert.match((await page.textContent('[data-testid=nationalId-error]')) ?? '', /check digit/);
  let requests = 0;
  page.on('request', (r) => void (r.url().includes('/api/v1/register') && requests++));
  await page.click('button[type=submit]');
  assert.match((await page.textContent('[data-testid=form-banner]')) ?? '', /correct/);
  assert.equal(await page.getAttribute('#phoneNumber', 'aria-invalid'), 'true');
  assert.equal(requests, 0, 'an invalid form never reaches the API');
  await assertAccessible(page, '/register with errors');
  await screenshots(page, 'register-errors');
});

test('registers once however fast the button is pressed, then the status page reaches CONFIRMED', async () => {
  await page.goto(`${WEB}/register/?lang=en`);
  await page.waitForSelector('#nationalId');
  await fill(page, { name: 'Po Ping', email: registered.email, phoneNumber: registered.phone, nationalId: '' });
  let posts = 0;
  page.on('request', (r) => void (r.url().endsWith('/api/v1/register') && r.method() === 'POST' && posts++));
  // Two clicks in one task, before React can re-render the disabled button: only the in-flight guard stops the second.
  await Promise.all([
    page.waitForURL(/\/registrations\/\?id=/),
    page.locator('button[type=submit]').evaluate((button: HTMLButtonElement) => {
      button.click();
      button.click();
    }),
  ]);
  assert.equal(posts, 1, 'one POST for two clicks');
  statusUrl = page.url();
  await page.waitForSelector('[data-status=CONFIRMED]', { timeout: 15_000 });
  await assertAccessible(page, '/registrations');
  await screenshots(page, 'registration-status');
});

test('a Unicode variant of a registered e-mail gets 409, named at the e-mail field', async () => {
  await page.goto(`${WEB}/register/?lang=en`);
  const [local, domain] = registered.email.split('@');
  // Fullwidth letters fold to the same address under NFKC: the dedup key is the same person.
  const variant = `${local!.replace(/^w/, 'ｗ')}@${domain!.toUpperCase()}`;
  await fill(page, { name: 'Po Ping', email: variant, phoneNumber: uniquePhone() });
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=email-error]');
  assert.match((await page.textContent('[data-testid=email-error]')) ?? '', /already registered/);
  assert.match((await page.textContent('[data-testid=form-banner]')) ?? '', /E-mail/);
  assert.ok(page.url().includes('/register/'), 'stays on the form');
});

test('the link in the confirmation e-mail caught by mailpit opens the status page showing CONFIRMED', async () => {
  const mails = await eventually('the confirmation mail', async () => {
    const found = await mailsTo(registered.email);
    return found.length ? found : undefined;
  });
  const link = mails[0]!.html.match(/href="([^"]+)"/)?.[1]?.replaceAll('&amp;', '&');
  assert.ok(link, 'the mail has a link');
  assert.ok(link.startsWith(`${WEB}/registrations/?id=`), `links the status page, not the JSON API: ${link}`);
  assert.equal(new URL(link).searchParams.get('id'), new URL(statusUrl).searchParams.get('id'));
  await page.goto(link);
  await page.waitForSelector('[data-status=CONFIRMED]', { timeout: 10_000 });
  assert.equal(await page.textContent('h1'), 'สถานะการสมัคร');
});
