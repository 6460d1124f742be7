import { AUTH, RUNTIME_ENV } from '@scalefu/contracts';
import { createLogger } from '@scalefu/service-kit';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, afterEach, before, test } from 'node:test';
import pg from 'pg';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createAccount } from '../../user/src/admin-cli/commands';
import { TOTP_PERIOD_MS, codeAt } from '../../user/src/domain/auth/totp';
import { assertAccessible, cspViolations, pageErrors, launchChromium, newContext, screenshots } from './browser';
import { WEB, startWebStack, type WebStack } from './stack';

// The admin console in Debian's Chromium against the real user service through the local HTTPS edge. Access tokens
// live 5 s and step-up 5 s here (configurable lifetimes), so expiry and step-up happen within the test.
const ACCESS_SECONDS = 5;
const SEED = 10_000;
const tag = `seed${Date.now().toString(36)}`;
let stack: WebStack;
let browser: Browser;
let pool: pg.Pool;
let admin: { email: string; password: string; secret?: string; lastStep: number };
let viewer: { email: string; password: string };
let contextA: BrowserContext;
let pageA: Page;

before(async () => {
  stack = await startWebStack({ AUTH_ACCESS_TOKEN_SECONDS: String(ACCESS_SECONDS), AUTH_STEP_UP_SECONDS: '5' });
  pool = new pg.Pool({ connectionString: process.env[RUNTIME_ENV.databaseUrl], max: 2 });
  const logger = createLogger({ service: 'admin-web-test', level: 'silent' });
  admin = {
    email: `web-admin-${randomUUID().slice(0, 8)}@example.com`,
    password: randomBytes(12).toString('base64url'),
    lastStep: 0,
  };
  viewer = {
    email: `web-viewer-${randomUUID().slice(0, 8)}@example.com`,
    password: randomBytes(12).toString('base64url'),
  };
  await createAccount(pool, logger, { ...admin, role: 'admin' });
  await createAccount(pool, logger, { ...viewer, role: 'viewer' });
  // 10,000 users straight into Postgres (the API's own table), half CONFIRMED, names sortable by their number.
  const base = 900_000_000 + Math.floor(Math.random() * 9_000) * 10_000;
  await pool.query(
    `INSERT INTO users (user_id, name, email, email_canonical, phone_e164, status, created_at, confirmed_at)
     SELECT uuidv7(), $1 || ' ' || lpad(i::text, 5, '0'), $1 || '-' || i || '@example.com', $1 || '-' || i || '@example.com',
            '+66' || ($2::bigint + i)::text, CASE WHEN i % 2 = 0 THEN 'CONFIRMED' ELSE 'CREATED' END,
            now() - (i || ' seconds')::interval, CASE WHEN i % 2 = 0 THEN now() END
     FROM generate_series(0, $3 - 1) AS i`,
    [tag, base, SEED],
  );
  browser = await launchChromium(stack.edge.tls.caCert);
  contextA = await newContext(browser);
  pageA = await contextA.newPage();
  pageA.on('console', (m) => void (m.type() === 'error' && trail.push(`console: ${m.text()}`)));
  pageA.on(
    'response',
    (r) => void (r.status() >= 400 && trail.push(`${r.status()} ${r.request().method()} ${r.url()}`)),
  );
});

/** What the browser saw (errors, failed responses), printed when a test fails. */
const trail: string[] = [];
afterEach(async (t) => {
  if ((t as unknown as { passed?: boolean }).passed === false || process.env['ADMIN_WEB_TEST_TRACE']) {
    const body = await pageA
      .locator('body')
      .innerText()
      .catch(() => '');
    console.log(
      `# ${t.name}: at ${pageA.url()}\n# ${trail.join('\n# ')}\n# page: ${body.slice(0, 600).replaceAll('\n', ' | ')}`,
    );
  }
  trail.length = 0;
});

after(async () => {
  await browser?.close();
  await pool?.query(`DELETE FROM users WHERE name LIKE $1`, [`${tag} %`]);
  await pool?.end();
  await stack?.stop();
  assert.deepEqual(pageErrors, [], 'no uncaught exception in any page');
  assert.deepEqual(cspViolations, [], 'no page broke its Content-Security-Policy');
});

/** A TOTP code for a step the server has not accepted yet (each step works once; ±1 step is accepted). */
async function freshCode(): Promise<string> {
  for (;;) {
    const current = Math.floor(Date.now() / TOTP_PERIOD_MS);
    const step = Math.max(current, admin.lastStep + 1);
    if (step <= current + 1) {
      admin.lastStep = step;
      return codeAt(admin.secret!, step * TOTP_PERIOD_MS);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function signIn(page: Page, who: { email: string; password: string }) {
  await page.goto(`${WEB}/admin/?lang=en`);
  await page.fill('#admin-email', who.email);
  await page.fill('#admin-password', who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

const rowCount = async (page: Page) => Number(await page.getAttribute('[data-testid=row-count]', 'data-rows'));

test('first sign-in of an admin enrols TOTP from the QR code, shows backup codes, then opens the users list', async () => {
  await signIn(pageA, admin);
  await pageA.waitForSelector('[data-testid=totp-qr]');
  const secret = await pageA.textContent('[data-testid=totp-secret]');
  assert.match(secret ?? '', /^[A-Z2-7]{16,}$/);
  admin.secret = secret!;
  await assertAccessible(pageA, '/admin enrolment');
  await screenshots(pageA, 'admin-enrol');
  await pageA.fill('#admin-code', await freshCode());
  await pageA.getByRole('button', { name: 'Verify' }).click();
  await pageA.waitForSelector('[data-testid=backup-codes] li');
  assert.equal(await pageA.locator('[data-testid=backup-codes] li').count(), 10);
  await pageA.getByRole('button', { name: 'Continue' }).click();
  await pageA.waitForURL(/\/admin\/users\/(\?.*)?$/);
  assert.match((await pageA.textContent('[data-testid=role]')) ?? '', /admin/);
  // Activation made this a full MFA session (a new refresh cookie): a reload stays signed in, no second sign-in.
  await pageA.reload();
  await pageA.waitForSelector('[data-testid=role]');
  assert.match((await pageA.textContent('[data-testid=role]')) ?? '', /admin/);
  assert.equal(await pageA.locator('#admin-password').count(), 0, 'no sign-in form after the reload');
});

test('signs in with password and a TOTP code the test computes; a reload keeps the session (refresh cookie)', async () => {
  // Sign out, then in again with the new factor: password, then a code.
  await pageA.getByRole('button', { name: 'Sign out' }).click();
  await signIn(pageA, admin);
  await pageA.fill('#admin-code', await freshCode());
  await assertAccessible(pageA, '/admin code step');
  await screenshots(pageA, 'admin-code');
  await pageA.getByRole('button', { name: 'Verify' }).click();
  await pageA.waitForURL(/\/admin\/users\/(\?.*)?$/);
  await pageA.reload();
  await pageA.waitForSelector('[data-testid=role]');
});

test('searches (debounced, server-side), sorts and filters 10,000 users; the URL carries the view', async () => {
  let listCalls = 0;
  pageA.on('request', (r) => void (r.url().includes('/api/v1/users?') && listCalls++));
  await pageA.locator('#user-search').pressSequentially(tag, { delay: 20 });
  await pageA.waitForFunction((t) => location.search.includes(`q=${t}`), tag);
  await pageA.waitForFunction(
    () => document.querySelector('[data-testid=row-count]')?.getAttribute('data-rows') === '100',
  );
  assert.ok(
    listCalls < tag.length / 2,
    `typing ${tag.length} characters made ${listCalls} list calls, not one per key`,
  );
  await pageA.selectOption('#sort', 'name');
  await pageA.waitForFunction(
    (t) => document.querySelector('[data-testid=user-row] a')?.textContent === `${t} 00000`,
    tag,
  );
  await pageA.selectOption('#sort', '-name');
  await pageA.waitForFunction(
    (t) => document.querySelector('[data-testid=user-row] a')?.textContent === `${t} 09999`,
    tag,
  );
  await pageA.selectOption('#status-filter', 'CONFIRMED');
  await pageA.waitForFunction(
    (t) => document.querySelector('[data-testid=user-row] a')?.textContent === `${t} 09998`,
    tag,
  );
  assert.match(pageA.url(), /status=CONFIRMED/);
  assert.match(pageA.url(), /sort=-name/);
  await assertAccessible(pageA, '/admin/users');
  await screenshots(pageA, 'admin-users');
  // The URL reproduces the view in a fresh load (silent sign-in from the refresh cookie).
  await pageA.reload();
  await pageA.waitForFunction(
    (t) => document.querySelector('[data-testid=user-row] a')?.textContent === `${t} 09998`,
    tag,
  );
  assert.equal(await pageA.inputValue('#status-filter'), 'CONFIRMED');
});

test('scrolls to the end of 10,000 rows with only a window of them in the DOM', async () => {
  await pageA.selectOption('#status-filter', '');
  await pageA.selectOption('#sort', 'name');
  await pageA.waitForFunction(
    (t) => document.querySelector('[data-testid=user-row] a')?.textContent === `${t} 00000`,
    tag,
  );
  const started = Date.now();
  while ((await pageA.getAttribute('[data-testid=row-count]', 'data-complete')) !== 'true') {
    await pageA.locator('[data-testid=users-scroller]').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await pageA.waitForTimeout(50);
    assert.ok(Date.now() - started < 180_000, `stuck at ${await rowCount(pageA)} rows`);
  }
  assert.equal(await rowCount(pageA), SEED);
  await pageA.locator('[data-testid=users-scroller]').evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await pageA.waitForFunction(
    (t) => [...document.querySelectorAll('[data-testid=user-row] a')].some((a) => a.textContent === `${t} 09999`),
    tag,
  );
  const inDom = await pageA.locator('[data-testid=user-row]').count();
  assert.ok(inDom < 100, `virtualised: ${inDom} rows in the DOM for ${SEED}`);
  assert.equal(await pageA.locator('main [role=alert]').count(), 0, 'no error shown');
});

test('refreshes an expired access token silently and retries the call once', async () => {
  let refreshes = 0;
  pageA.on('response', (r) => void (r.url().endsWith('/api/v1/auth/refresh') && r.status() === 200 && refreshes++));
  // Verifiers allow AUTH.clockSkewSeconds past `exp`: wait until the token is refused for real.
  await pageA.waitForTimeout((ACCESS_SECONDS + AUTH.clockSkewSeconds + 1) * 1000);
  const statuses: number[] = [];
  const onList = (r: { url(): string; status(): number }) =>
    void (r.url().includes('sort=-email') && statuses.push(r.status()));
  pageA.on('response', onList);
  await Promise.all([
    pageA.waitForResponse((r) => r.url().includes('sort=-email') && r.status() === 200),
    pageA.selectOption('#sort', '-email'),
  ]);
  pageA.off('response', onList);
  assert.deepEqual(statuses, [401, 200], 'the expired token got 401, the retry after the refresh 200');
  assert.equal(refreshes, 1, 'one refresh after the 401');
  assert.equal(await pageA.locator('main [role=alert]').count(), 0);
  assert.equal(await pageA.locator('[data-testid=toast]').count(), 0, 'no error toast');
});

let userPath = '';
test('edits a user with If-Match; a change from a second browser first opens the conflict view; re-apply wins', async () => {
  await pageA.selectOption('#sort', 'name');
  await pageA.waitForFunction(
    (t) => document.querySelector('[data-testid=user-row] a')?.textContent === `${t} 00000`,
    tag,
  );
  await pageA.locator('[data-testid=user-row] a').first().click();
  await pageA.waitForSelector('[data-testid=user-fields]');
  userPath = new URL(pageA.url()).pathname + new URL(pageA.url()).search;
  assert.match(
    (await pageA.textContent('dd[data-field="E-mail"]')) ?? '',
    /^seed[^*]+@example\.com$/,
    'an admin sees the e-mail',
  );
  await assertAccessible(pageA, '/admin/user');
  await screenshots(pageA, 'admin-user');
  await pageA.getByRole('button', { name: 'Edit' }).click();
  await pageA.fill('#edit-name', `${tag} edited by A`);
  await pageA.getByRole('button', { name: 'Save' }).click();
  await pageA.waitForSelector(`dd:text("${tag} edited by A")`);

  // Context B signs in (password + a TOTP code the test computes) and changes the same user.
  const contextB = await newContext(browser);
  const pageB = await contextB.newPage();
  await signIn(pageB, admin);
  await pageB.fill('#admin-code', await freshCode());
  await pageB.getByRole('button', { name: 'Verify' }).click();
  await pageB.waitForSelector('[data-testid=role]');
  await pageB.goto(`${WEB}${userPath}&lang=en`);
  await pageB.getByRole('button', { name: 'Edit' }).click();
  await pageB.fill('#edit-name', `${tag} edited by B`);
  await pageB.getByRole('button', { name: 'Save' }).click();
  await pageB.waitForSelector(`dd:text("${tag} edited by B")`);
  await contextB.close();

  // A still holds the older version: its save gets 412 and shows B's version beside A's change.
  await pageA.getByRole('button', { name: 'Edit' }).click();
  await pageA.fill('#edit-name', `${tag} A again`);
  await pageA.getByRole('button', { name: 'Save' }).click();
  await pageA.waitForSelector('[data-testid=conflict]');
  assert.equal(await pageA.textContent('[data-testid=newer-name]'), `${tag} edited by B`);
  await assertAccessible(pageA, '/admin/user conflict');
  await screenshots(pageA, 'admin-conflict');
  await pageA.getByRole('button', { name: 'Re-apply my changes' }).click();
  await pageA.waitForSelector(`dd:text("${tag} A again")`);
  const row = await pool.query(`SELECT name, version FROM users WHERE name = $1`, [`${tag} A again`]);
  assert.equal(row.rowCount, 1);
  assert.equal(row.rows[0].version, 4, 'A, B, then A re-applied on B');
});

test('deletes after a confirmation and the step-up code the API asks for', async () => {
  await pageA.waitForTimeout(6000); // older than AUTH_STEP_UP_SECONDS: the API will ask for a fresh code
  await pageA.getByRole('button', { name: 'Delete' }).click();
  await assertAccessible(pageA, '/admin/user delete dialog');
  await pageA.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await pageA.waitForSelector('#step-up-code');
  await pageA.fill('#step-up-code', await freshCode());
  await pageA.getByRole('button', { name: 'Verify' }).click();
  await pageA.waitForURL(/\/admin\/users\/(\?.*)?$/);
  const row = await pool.query(`SELECT 1 FROM users WHERE name = $1`, [`${tag} A again`]);
  assert.equal(row.rowCount, 0, 'the user is gone');
});

test('the audit page lists the admin writes', async () => {
  await pageA.getByRole('link', { name: 'Audit trail' }).click();
  await pageA.waitForSelector('[data-testid=audit-table]');
  const text = (await pageA.textContent('[data-testid=audit-table]')) ?? '';
  assert.match(text, /auth\.login/);
  assert.match(text, /users\.delete/, 'the delete is in the trail');
  await assertAccessible(pageA, '/admin/audit');
  await screenshots(pageA, 'admin-audit');
});

test('a viewer sees masked contact data and no edit or delete controls', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  await signIn(page, viewer);
  await page.waitForURL(/\/admin\/users\/(\?.*)?$/);
  await page.locator('#user-search').fill(tag);
  await page.waitForFunction(
    () => Number(document.querySelector('[data-testid=row-count]')?.getAttribute('data-rows')) > 0,
  );
  // The count renders with the data; the virtualised rows one frame later, once the scroller is measured.
  await page.waitForSelector('[data-testid=user-row] [data-testid=user-email]');
  const emails = await page.locator('[data-testid=user-email]').allTextContents();
  assert.ok(emails.length > 0 && emails.every((e) => /^.\*{3,}@/.test(e)), `masked: ${emails.slice(0, 3).join(', ')}`);
  assert.match((await page.textContent('[data-testid=role]')) ?? '', /viewer/);
  assert.equal(await page.getByRole('link', { name: 'Audit trail' }).count(), 0);
  await page.locator('[data-testid=user-row] a').first().click();
  await page.waitForSelector('[data-testid=user-fields]');
  const email = (await page.textContent('dd[data-field="E-mail"]')) ?? '';
  assert.match(email, /^.\*{3,}@/, `the viewer's detail masks the e-mail: ${email}`);
  assert.match((await page.textContent('dd[data-field="Phone number"]')) ?? '', /\*{3,}/);
  assert.equal(await page.getByRole('button', { name: 'Edit' }).count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Delete' }).count(), 0);
  await assertAccessible(page, '/admin/user (viewer)');
  await screenshots(page, 'admin-user-viewer');
  await context.close();
});

test('sign-out ends the session: a reload shows the sign-in form again', async () => {
  await pageA.getByRole('button', { name: 'Sign out' }).click();
  await pageA.waitForSelector('#admin-password');
  await assertAccessible(pageA, '/admin sign-in');
  await screenshots(pageA, 'admin-sign-in');
  await pageA.reload();
  await pageA.waitForSelector('#admin-password');
  const stored = await pageA.evaluate(
    () => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
  );
  assert.equal(stored, '{}{}', 'nothing in web storage');
});
