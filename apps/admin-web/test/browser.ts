/**
 * Shared pieces of the admin web's browser tests: Debian's Chromium driven by playwright-core (never a downloaded
 * browser) trusting the local edge's CA through a per-run NSS database, a watcher that records every CSP violation,
 * axe-core run inside the page, and screenshots at desktop and 360 px width under the git-ignored state folder.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { aptInstall } from '../../../scripts/lib/apt';
import { STATE_ROOT } from '../../../scripts/lib/paths';

/** Where every run writes the page screenshots (listed in apps/admin-web/README.md). */
export const SCREENSHOT_DIR = path.join(STATE_ROOT, 'screenshots', 'admin-web');
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

const run = promisify(execFile);

/**
 * A home folder whose NSS database (`~/.pki/nssdb`: where Chromium on Linux keeps the trust anchors a user added)
 * holds `caCert` as a CA trusted for TLS servers, or nothing at all when `caCert` is undefined. Made with Debian's
 * `certutil` (libnss3-tools, installed on first use like the edge's openssl).
 */
async function homeTrusting(caCert: string | undefined): Promise<string> {
  if (!(await hasCertutil())) await aptInstall('browser tests', ['libnss3-tools']);
  const home = await mkdtemp(path.join(os.tmpdir(), 'scalefu-chromium-home-'));
  const db = `sql:${path.join(home, '.pki', 'nssdb')}`;
  await mkdir(path.join(home, '.pki', 'nssdb'), { recursive: true });
  await run('certutil', ['-N', '-d', db, '--empty-password']);
  if (caCert) await run('certutil', ['-A', '-d', db, '-n', 'ScaleFu local edge CA', '-t', 'C,,', '-i', caCert]);
  return home;
}

/** Looked up, not run: `certutil` has no flag that exits 0 without a database. */
async function hasCertutil(): Promise<boolean> {
  return run('sh', ['-c', 'command -v certutil']).then(
    () => true,
    () => false,
  );
}

/**
 * Chromium whose only added trust anchor is `caCert` (the stack's edge CA): a fresh HOME with its own NSS database per
 * launch, removed when the browser closes. Nothing skips verification: without the CA a page load fails with
 * `ERR_CERT_AUTHORITY_INVALID` (`register-page.test.ts` checks that).
 */
export async function launchChromium(caCert: string | undefined): Promise<Browser> {
  const home = await homeTrusting(caCert);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu'],
    env: { ...process.env, HOME: home },
  });
  browser.on('disconnected', () => void rm(home, { recursive: true, force: true }));
  return browser;
}

/** Uncaught exceptions in any page (a test fails on them too). */
export const pageErrors: string[] = [];

/** CSP violations a page reported (`securitypolicyviolation` events and console reports), per context. */
export const cspViolations: string[] = [];

/** A context that records CSP violations and uncaught exceptions on every page. */
export async function newContext(browser: Browser, width = 1280): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  await context.exposeBinding('__reportCsp', (_source, text: string) => void cspViolations.push(text));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __reportCsp: (t: string) => void }).__reportCsp(
        `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} on ${location.pathname}: ${e.sample} ${e.sourceFile}:${e.lineNumber}`,
      );
    });
  });
  context.on('page', (page) =>
    page.on('pageerror', (error) => void pageErrors.push(`${page.url()}: ${error.message}`)),
  );
  context.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  return context;
}

let axeSource: string | undefined;

/** axe-core in the page (evaluated over the DevTools protocol, so the page's CSP does not apply to it). */
export async function assertAccessible(page: Page, label: string): Promise<void> {
  axeSource ??= await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (o: object) => Promise<{ violations: unknown[] }> } }).axe;
    const result = await axe.run({ resultTypes: ['violations'] });
    return (result.violations as { id: string; impact: string; help: string; nodes: { target: string[] }[] }[])
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  });
  assert.deepEqual(violations, [], `axe on ${label}`);
}

/** Screenshots (caret left alone: hiding it injects a `<style>` the page's CSP rightly refuses) of the page at desktop width and at 360 px; asserts nothing scrolls sideways at 360 px. */
export async function screenshots(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const viewport = page.viewportSize() ?? { width: 1280, height: 900 };
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-desktop.png`), fullPage: true, caret: 'initial' });
  await page.setViewportSize({ width: 360, height: 740 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${name} scrolls sideways by ${overflow} px at 360 px`);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-360.png`), fullPage: true, caret: 'initial' });
  await page.setViewportSize(viewport);
}
