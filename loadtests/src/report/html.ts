import type { Distribution } from '../metrics';
import { barChart, escapeHtml as e, lineChart } from './svg';
import type { RunSummary } from './summary';

/** The report's sections (id → heading), in page order; the browser test checks each is on the page. */
export const REPORT_SECTIONS = {
  summary: 'Summary',
  thresholds: 'Thresholds',
  latency: 'Latency over time',
  histogram: 'Latency histogram',
  throughput: 'Throughput',
  status: 'Status codes',
  e2e: 'End-to-end and loss',
  cpu: 'CPU per component',
  bottleneck: 'Bottleneck analysis',
  stages: 'Stages',
} as const;

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1000px;color:#111827;padding:0 16px}
h1{font-size:22px;margin-bottom:4px}h2{font-size:17px;margin-top:32px;border-bottom:1px solid #e5e7eb;padding-bottom:4px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #e5e7eb;padding:4px 10px;text-align:left}
th{background:#f9fafb}td.num{text-align:right;font-variant-numeric:tabular-nums}
.pass{color:#15803d;font-weight:600}.fail{color:#b91c1c;font-weight:600}.skipped{color:#6b7280}
.verdict{display:inline-block;padding:4px 12px;border-radius:4px;color:#fff;font-weight:700}
.verdict.pass{background:#15803d;color:#fff}.verdict.fail{background:#b91c1c;color:#fff}
figure{margin:8px 0}.legend span{margin-right:14px;font-size:12px}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px}
.empty,.note{color:#6b7280}`;

const ms = (n: number | undefined) => (n === undefined ? '—' : `${n} ms`);
const average = (values: readonly number[]) =>
  (values.reduce((sum, v) => sum + v, 0) / Math.max(1, values.length)).toFixed(2);
const pct = (n: number) => `${(n * 100).toFixed(2)} %`;

function table(head: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cell = (c: string | number) => (typeof c === 'number' ? `<td class="num">${c}</td>` : `<td>${c}</td>`);
  return `<table><thead><tr>${head.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map(cell).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

const distRow = (name: string, d: Distribution | undefined) => [
  e(name),
  d?.count ?? 0,
  ms(d?.p50),
  ms(d?.p95),
  ms(d?.p99),
  ms(d?.max),
];

function section(id: keyof typeof REPORT_SECTIONS, body: string): string {
  return `<section id="${id}"><h2>${e(REPORT_SECTIONS[id])}</h2>${body}</section>`;
}

/** One run's report: a single HTML file with inline SVG charts (no script, no network). */
export function renderHtml(s: RunSummary): string {
  const verdict = s.passed ? 'PASS' : 'FAIL';
  const summary = `
<p><span class="verdict ${s.passed ? 'pass' : 'fail'}">${verdict}</span> ${e(s.description)}</p>
${table(
  ['', ''],
  [
    ['Target', e(s.target.baseUrl)],
    ['Stack', e(s.target.note)],
    [
      'Public rate limit',
      s.target.rateLimitPerMinute
        ? `raised to ${s.target.rateLimitPerMinute}/min for this run`
        : 'as the target runs it',
    ],
    ['Engine', `${s.engine.name} ${e(s.engine.version)} (open model)`],
    ['Options', `--rate ${s.options.rate} --duration ${s.options.durationSeconds}`],
    ['Started / finished', `${e(s.startedAt)} / ${e(s.finishedAt)}`],
    ['Requests', s.http.requests],
    ['Throughput', `${s.http.throughputPerSecond} /s`],
    [
      'Latency p50 / p95 / p99',
      `${ms(s.http.latencyMs.p50)} / ${ms(s.http.latencyMs.p95)} / ${ms(s.http.latencyMs.p99)}`,
    ],
    ['Errors (non-2xx) / 5xx or no answer', `${pct(s.http.errorRate)} / ${pct(s.http.serverErrorRate)}`],
    ['Run tag (in every e-mail of the run)', e(s.runTag)],
  ],
)}
${s.notes.map((n) => `<p class="note">${e(n)}</p>`).join('')}`;

  const thresholds = table(
    ['Threshold', 'Source', 'Limit', 'Actual', 'Result'],
    s.thresholds.map((t) => [
      e(t.name),
      e(t.source),
      `${t.op} ${t.limit}${t.unit ? ` ${t.unit}` : ''}`,
      t.actual === null ? 'not measured' : `${+t.actual.toFixed(4)}${t.unit ? ` ${t.unit}` : ''}`,
      `<span class="${t.status}">${t.status}</span>`,
    ]),
  );

  const latency = lineChart(
    [
      { name: 'p50', points: s.timeline.map((p) => [p.second, p.p50Ms] as const) },
      { name: 'p99', points: s.timeline.map((p) => [p.second, p.p99Ms] as const) },
    ],
    'seconds into the run',
    'latency (ms)',
    'latency over time',
  );
  const histogram = barChart(
    s.histogram.map((b) => ({ label: b.upperMs === null ? '>5000' : `≤${b.upperMs}`, value: b.count })),
    'requests',
    'latency histogram (ms buckets)',
  );
  const throughput = lineChart(
    [
      { name: '2xx /s', points: s.timeline.map((p) => [p.second, p.ok] as const) },
      { name: 'other /s', points: s.timeline.map((p) => [p.second, p.failed] as const) },
    ],
    'seconds into the run',
    'responses per second',
    'throughput',
  );
  const codes = Object.entries(s.http.statusCodes).sort();
  const status = `${table(
    ['Status', 'Count', 'Share'],
    codes.map(([code, n]) => [code === '0' ? '0 (no answer)' : code, n, pct(n / Math.max(1, s.http.requests))]),
  )}${
    Object.keys(s.http.errors).length
      ? table(
          ['Transport error', 'Count'],
          Object.entries(s.http.errors).map(([text, n]) => [e(text), n]),
        )
      : ''
  }${barChart(
    codes.map(([label, value]) => ({ label, value })),
    'requests',
    'status codes',
  )}`;

  const l = s.ledger;
  const e2e = l
    ? `${table(
        ['Acked (201)', 'Stored', 'CONFIRMED', 'Mailed', 'Rejected as duplicate', 'Lost', 'Doubled'],
        [[l.acked, l.stored, l.confirmed, l.mailed, l.rejected, l.lost, l.doubled]],
      )}
<p>Waited ${((s.settle?.waitedMs ?? 0) / 1000).toFixed(1)} s after the last request; ${s.settle?.unsettled ?? 0} not settled (neither CONFIRMED nor rejected) when the wait ended.</p>
${table(['Accept → CONFIRMED', 'Count', 'p50', 'p95', 'p99', 'max'], [distRow('end to end', s.endToEndMs)])}`
    : `<p class="empty">Not measured for this run (${e(s.notes.join(' ') || 'not a registration scenario')}).</p>`;

  const cpuTotals = s.cpu ? Object.entries(s.cpu.totalSeconds).sort((a, b) => b[1] - a[1]) : [];
  const cpuStart = s.cpu?.at[0] ?? 0;
  const cpu = s.cpu
    ? `${table(
        ['Component', 'CPU seconds', 'Average cores'],
        cpuTotals.map(([name, seconds]) => [
          e(name),
          seconds,
          +(seconds / Math.max(1, (s.cpu!.at.at(-1)! - cpuStart) / 1000 + 1)).toFixed(2),
        ]),
      )}<p>The machine has ${s.cpu.machineCores} cores; the load generator runs on it too and is counted as one row.
The whole machine (every process, other work included) averaged ${average(s.cpu.machine)} cores busy, at most ${Math.max(0, ...s.cpu.machine).toFixed(2)}.</p>${lineChart(
        [
          ...Object.entries(s.cpu.cores).map(([name, line]) => ({
            name,
            points: line.map((v, i) => [(s.cpu!.at[i]! - cpuStart) / 1000, v] as const),
          })),
          {
            name: 'whole machine',
            points: s.cpu.machine.map((v, i) => [(s.cpu!.at[i]! - cpuStart) / 1000, v] as const),
          },
        ],
        'seconds into the run',
        'cores busy',
        'CPU per component',
      )}`
    : '<p class="empty">Not measured for this run (the target is not a stack this run can see).</p>';

  const bottleneck = `${s.bottleneck.map((b) => `<p>${e(b)}</p>`).join('')}${
    s.pipelineStages
      ? table(
          ['Stage', 'What happens there', 'Count', 'p50', 'p95', 'p99', 'max'],
          s.pipelineStages.map((p) => {
            const row = distRow(p.stage, p.ms);
            return [row[0]!, e(p.what), ...row.slice(1)];
          }),
        )
      : ''
  }`;

  const stages = `${table(
    ['Stage', 'Rate /s', 'Seconds', 'Requests', 'p99', 'Errors'],
    s.stages.map((st) => [
      e(st.label),
      st.rate || 'max',
      st.durationSeconds,
      st.http.requests,
      ms(st.http.latencyMs.p99),
      pct(st.http.errorRate),
    ]),
  )}${
    s.knee
      ? `<p><strong>Knee:</strong> held at ${e(s.knee.heldAt ?? 'no stage')}, broke at ${e(s.knee.brokeAt)}: ${e(s.knee.breached.join('; '))}.</p>`
      : ''
  }${
    s.prometheus
      ? `<p>Prometheus (${e(s.prometheus.url)}): ${s.prometheus.scraped ? 'scraped' : '<span class="fail">did not scrape</span>'} vegeta's exporter — ${e(s.prometheus.detail)}.</p>`
      : ''
  }`;

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ScaleFu load report: ${e(s.scenario)} ${verdict}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body><h1>ScaleFu load report: ${e(s.scenario)}</h1>
${section('summary', summary)}
${section('thresholds', thresholds)}
${section('latency', latency)}
${section('histogram', histogram)}
${section('throughput', throughput)}
${section('status', status)}
${section('e2e', e2e)}
${section('cpu', cpu)}
${section('bottleneck', bottleneck)}
${section('stages', stages)}
</body></html>
`;
}
