import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RequestResult } from '../engine/attack';
import { distribution, histogram, httpFigures, timeline } from '../metrics';
import { THRESHOLDS, evaluate } from '../thresholds';
import { analyseBottleneck } from './bottleneck';
import { REPORT_SECTIONS, renderHtml } from './html';
import type { RunSummary } from './summary';
import { tournamentMarkdown } from './tournament';

/** A small run: 40 requests over 4 s, two of them 503. */
function summary(overrides: Partial<RunSummary> = {}): RunSummary {
  const results: RequestResult[] = Array.from({ length: 40 }, (_, i) => ({
    sentAtMs: 1_800_000_000_000 + i * 100,
    latencyMs: 5 + (i % 10) * 8,
    code: i % 20 === 7 ? 503 : 201,
    stage: 'steady',
  }));
  const http = httpFigures(results);
  const ledger = {
    acked: 38,
    stored: 38,
    confirmed: 38,
    rejected: 0,
    mailed: 38,
    lost: 0,
    doubled: 0,
    unconfirmed: 0,
    unmailed: 0,
  };
  const pipelineStages = [
    { stage: 'HTTP accept', what: 'onboarder', ms: http.latencyMs },
    { stage: 'accept → stored', what: 'user service', ms: distribution([30, 40, 50]) },
    { stage: 'published → mailed', what: 'notifier <SMTP>', ms: distribution([300, 400, 500]) },
  ];
  const cpu = {
    at: [1, 1001, 2001],
    cores: { kafka: [0.5, 0.6, 0.4], onboarder: [0.2, 0.3, 0.2], 'load generator': [0.1, 0.1, 0.1] },
    totalSeconds: { kafka: 1.5, onboarder: 0.7, 'load generator': 0.3 },
    machine: [1, 1.2, 0.9],
    machineCores: 2,
  };
  const thresholds = evaluate([THRESHOLDS.ingestP99, THRESHOLDS.availability, THRESHOLDS.noneLost], { http, ledger });
  return {
    scenario: 'load',
    description: 'steady <b>registrations</b>',
    runTag: 'abc123',
    startedAt: '2027-01-15T08:00:00.000Z',
    finishedAt: '2027-01-15T08:00:10.000Z',
    target: { baseUrl: 'http://127.0.0.1:8080', note: 'local stack', rateLimitPerMinute: 10_000_000 },
    engine: { name: 'vegeta', version: 'v12.13.0' },
    options: { rate: 10, durationSeconds: 4 },
    stages: [{ label: 'steady', rate: 10, durationSeconds: 4, http }],
    http,
    timeline: timeline(results),
    histogram: histogram(results.map((r) => r.latencyMs)),
    endToEndMs: distribution([350, 450, 560]),
    ledger,
    settle: { waitedMs: 900, unsettled: 0 },
    pipelineStages,
    cpu,
    thresholds,
    bottleneck: analyseBottleneck({ http, pipelineStages, cpu }),
    passed: false,
    notes: [],
    ...overrides,
  };
}

test('the HTML report has every section, inline SVG charts and nothing that loads from the network', () => {
  const html = renderHtml(summary());
  for (const [id, heading] of Object.entries(REPORT_SECTIONS)) {
    assert.match(html, new RegExp(`<section id="${id}"><h2>${heading}</h2>`), id);
  }
  assert.ok((html.match(/<svg /g) ?? []).length >= 5, 'latency, histogram, throughput, status and CPU charts');
  assert.doesNotMatch(html, /<script|<link|src="http|url\(http/i, 'self-contained');
  assert.match(html, /raised to 10000000\/min for this run/, 'the raised rate limit is stated');
});

test('the report shows each threshold with its source and result, and escapes text it did not write', () => {
  const html = renderHtml(summary());
  assert.match(html, /register p99 ≤ 50 ms<\/td><td>SLO\.ingestP99Ms<\/td>.*?<span class="fail">fail<\/span>/s);
  assert.match(html, /no acked registration lost<\/td>.*?<span class="pass">pass<\/span>/s);
  assert.match(html, /steady &lt;b&gt;registrations&lt;\/b&gt;/);
  assert.doesNotMatch(html, /<b>registrations<\/b>/);
  assert.match(html, /<td>503<\/td><td class="num">2<\/td>/, 'status code counts');
});

test('the bottleneck analysis names the slowest stage and the busiest component', () => {
  const lines = summary().bottleneck;
  assert.match(lines[0]!, /Time went to "published → mailed" \(notifier <SMTP>\)/);
  assert.match(lines[1]!, /busiest component was kafka: 1.5 CPU s, 60 % of all/);
  assert.match(lines.join('\n'), /2 requests were answered 5xx/);
  assert.doesNotMatch(lines.join('\n'), /saturated/);
  const busy = analyseBottleneck({ ...summary(), cpu: { ...summary().cpu!, cores: { kafka: [1.9, 1.95, 1.8] } } });
  assert.match(busy.join('\n'), /CPU-saturated by the run itself/);
  const starved = analyseBottleneck({ ...summary(), cpu: { ...summary().cpu!, machine: [2, 2, 1.9] } });
  assert.match(starved.join('\n'), /CPU-saturated by other work: the stack was starved/);
});

test('the tournament Markdown has one row per scenario with its verdict, figures and breached thresholds', () => {
  const md = tournamentMarkdown(
    'Tournament',
    [
      { summary: summary(), reportHref: 'a-load/report.html' },
      { summary: summary({ scenario: 'smoke', passed: true, thresholds: [] }), reportHref: 'b-smoke/report.html' },
    ],
    'context',
  );
  const rows = md.split('\n').filter((l) => /^\| (load|smoke) \|/.test(l));
  assert.equal(rows.length, 2);
  assert.match(
    rows[0]!,
    /\| load \| FAIL \| 40 \|.*\| 0 \| 0 \| register p99 ≤ 50 ms; 5xx\/no-answer share ≤ 0.001 \|$/,
  );
  assert.match(rows[1]!, /\| smoke \| PASS \|.*\| — \|$/);
  assert.match(md, /\[a-load\]\(a-load\/report\.html\)/);
});
