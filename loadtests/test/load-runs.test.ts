/**
 * The load engine on the real test stack: vegeta against the four services, the run's rows, mails and CPU read
 * back, and the HTML report opened in Chromium. Kept to a few seconds of load each (CI time budget).
 */
import { INFRA_PORTS, RUNTIME_ENV } from '@scalefu/contracts';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { STATE_ROOT, stackDirs } from '../../scripts/lib/paths';
import { loadTargetsFile, startPrometheus } from '../../scripts/lib/stack/prometheus';
import type { RunningComponent } from '../../scripts/lib/stack/types';
import { Pipeline, env, serviceUrl } from '../../test/e2e/pipeline';
import { vegetaBinary } from '../../scripts/lib/vegeta';
import { REPORT_SECTIONS } from '../src/report/html';
import { runScenario, type RunTarget } from '../src/run';
import { SCENARIOS } from '../src/scenarios';

/** Debian's Chromium (never `playwright install`: no browser downloads). */
const CHROMIUM = '/usr/bin/chromium';
const offset = Number(process.env['SCALEFU_PORT_OFFSET'] ?? 10000);
const pipeline = new Pipeline();
const reportsDir = path.join(STATE_ROOT, 'loadtests-test');
let prometheus: RunningComponent | undefined;
let target: RunTarget;
let vegeta: string;

before(async () => {
  vegeta = await vegetaBinary({ log: () => undefined });
  await pipeline.startAll();
  prometheus = await startPrometheus(pipeline.startContext, INFRA_PORTS.prometheus.port + offset, pipeline.ports());
  const dirs = stackDirs(process.env['SCALEFU_TEST_STACK_NAME'] ?? 'test');
  target = {
    baseUrl: serviceUrl('onboarder'),
    adminUrl: serviceUrl('user'),
    note: 'test stack; the e2e pipeline lifts the public rate limit',
    databaseUrl: env(RUNTIME_ENV.databaseUrl),
    mailWebUrl: env('MAIL_WEB_URL'),
    stackDir: dirs.root,
    prometheus: {
      url: prometheus.address,
      targetsFile: loadTargetsFile(dirs),
      exporterPort: INFRA_PORTS.vegetaMetrics.port + offset,
    },
  };
  await rm(reportsDir, { recursive: true, force: true });
});

after(async () => {
  await prometheus?.stop();
  await pipeline.stopAll();
});

/** Only the report test checks Prometheus's scrape; the others need not wait for one. */
const settings = (prometheusLingerMs = 0) => ({
  vegeta,
  reportsDir,
  settleTimeoutMs: 30_000,
  prometheusLingerMs,
  log: () => undefined,
});

test('the smoke scenario passes: every registration acked, stored, mailed and CONFIRMED, none lost or doubled', async () => {
  const { summary, jsonFile } = await runScenario(
    SCENARIOS['smoke']!,
    SCENARIOS['smoke']!.defaults,
    target,
    settings(),
  );
  const failed = summary.thresholds.filter((t) => t.status !== 'pass').map((t) => `${t.name}=${t.actual}`);
  assert.deepEqual(failed, [], 'every smoke threshold measured and passed');
  const expected = SCENARIOS['smoke']!.defaults.rate * SCENARIOS['smoke']!.defaults.durationSeconds;
  assert.equal(summary.http.statusCodes['201'], expected);
  assert.deepEqual(
    [summary.ledger?.acked, summary.ledger?.stored, summary.ledger?.confirmed, summary.ledger?.mailed],
    [expected, expected, expected, expected],
  );
  assert.equal(summary.endToEndMs?.count, expected);
  const written = JSON.parse(await readFile(jsonFile, 'utf8')) as { passed: boolean; runTag: string };
  assert.deepEqual([written.passed, written.runTag], [true, summary.runTag]);
});

test('the duplicate storm lets exactly one of 20 variants of one person through and answers the rest 409', async () => {
  const { summary } = await runScenario(
    SCENARIOS['duplicate-storm']!,
    { rate: 20, durationSeconds: 1 },
    target,
    settings(),
  );
  assert.deepEqual(summary.http.statusCodes, { '201': 1, '409': 19 });
  assert.equal(summary.ledger?.stored, 1);
  assert.equal(summary.ledger?.doubled, 0);
  assert.ok(summary.passed, JSON.stringify(summary.thresholds));
});

test('the admin read mix signs in a real viewer and every read answers 200', async () => {
  const { summary } = await runScenario(SCENARIOS['admin-read']!, { rate: 20, durationSeconds: 2 }, target, settings());
  assert.deepEqual(summary.http.statusCodes, { '200': 40 });
  assert.ok(summary.passed);
});

test('a short load run writes an HTML report that Chromium shows with every section; screenshot saved', async (t) => {
  const outcome = await runScenario(SCENARIOS['load']!, { rate: 20, durationSeconds: 4 }, target, settings(6000));
  const { summary } = outcome;
  assert.equal(summary.ledger?.lost, 0);
  assert.ok(summary.cpu && summary.cpu.totalSeconds['onboarder']! > 0, 'CPU seconds of the onboarder counted');
  assert.ok(summary.cpu.totalSeconds['load generator']! > 0, 'the load generator counted apart');
  assert.equal(summary.prometheus?.scraped, true, `Prometheus scraped vegeta: ${summary.prometheus?.detail}`);
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    // A self-contained page: any request beyond the file itself would be a CDN or a leak.
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`file://${outcome.htmlFile}`);
    for (const [id, heading] of Object.entries(REPORT_SECTIONS)) {
      assert.equal(await page.locator(`section#${id} h2`).innerText(), heading);
    }
    assert.ok((await page.locator('svg').count()) >= 5, 'latency, histogram, throughput, status and CPU charts');
    assert.equal(await page.locator('#thresholds tbody tr').count(), SCENARIOS['load']!.thresholds.length);
    assert.match(
      await page.locator('#cpu').innerText(),
      /onboarder[\s\S]*load generator|load generator[\s\S]*onboarder/,
    );
    assert.match(await page.locator('#bottleneck').innerText(), /Time went to/);
    assert.deepEqual(requests, [`file://${outcome.htmlFile}`]);
    const dir = path.join(STATE_ROOT, 'screenshots');
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, 'load-report.png');
    await page.screenshot({ path: file, fullPage: true });
    t.diagnostic(`screenshot: ${file}`);
  } finally {
    await browser.close();
  }
});
