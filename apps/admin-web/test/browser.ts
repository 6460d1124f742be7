/**
 * Shared pieces of the admin web's browser tests: Debian's Chromium driven by playwright-core (never a downloaded
 * browser), a watcher that records every CSP violation, axe-core run inside the page, and screenshots at desktop and
 * 360 px width under the git-ignored state folder.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { STATE_ROOT } from '../../../scripts/lib/paths';

/** Where every run writes the page screenshots (listed in apps/admin-web/README.md). */
export const SCREENSHOT_DIR = path.join(STATE_ROOT, 'screenshots', 'admin-web');
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
}

/** Uncaught exceptions in any page (a test fails on them too). */
export const pageErrors: string[] = [];

/** CSP violations a page reported (`securitypolicyviolation` events and console reports), per context. */
export const cspViolations: string[] = [];

/** A context that trusts the local edge's certificate and records CSP violations on every page. */
export async function newContext(browser: Browser, width = 1280): Promise<BrowserContext> {
  // The edge's CA is per stack and Chromium has no per-context trust store: skip verification for loopback names.
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width, height: 900 } });
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
