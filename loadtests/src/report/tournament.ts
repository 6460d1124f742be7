import path from 'node:path';
import { escapeHtml as e } from './svg';
import type { RunSummary } from './summary';

/** One scenario's place in the tournament report: its summary and where its own report is. */
export interface TournamentEntry {
  readonly summary: RunSummary;
  /** The run's report.html, relative to the tournament report. */
  readonly reportHref: string;
}

const ms = (n: number | undefined) => (n === undefined ? '—' : `${n} ms`);
const failedNames = (s: RunSummary) => s.thresholds.filter((t) => t.status === 'fail').map((t) => t.name);

function rows(entries: readonly TournamentEntry[]): string[][] {
  return entries.map(({ summary: s }) => [
    s.scenario,
    s.passed ? 'PASS' : 'FAIL',
    String(s.http.requests),
    `${s.http.throughputPerSecond}/s`,
    ms(s.http.latencyMs.p99),
    ms(s.endToEndMs?.p95),
    ms(s.endToEndMs?.p99),
    s.ledger ? String(s.ledger.lost) : '—',
    s.ledger ? String(s.ledger.doubled) : '—',
    failedNames(s).join('; ') || '—',
  ]);
}

const HEAD = [
  'Scenario',
  'Verdict',
  'Requests',
  'Throughput',
  'HTTP p99',
  'E2E p95',
  'E2E p99',
  'Lost',
  'Doubled',
  'Breached',
];

/** The presentable Markdown: a results table, then per scenario its knee and bottleneck sentences. */
export function tournamentMarkdown(title: string, entries: readonly TournamentEntry[], context: string): string {
  const lines = [
    `# ${title}`,
    '',
    context,
    '',
    `| ${HEAD.join(' | ')} |`,
    `| ${HEAD.map(() => '---').join(' | ')} |`,
    ...rows(entries).map((r) => `| ${r.join(' | ')} |`),
    '',
  ];
  for (const { summary: s, reportHref } of entries) {
    lines.push(`## ${s.scenario} — ${s.passed ? 'PASS' : 'FAIL'}`, '', s.description, '');
    if (s.knee)
      lines.push(
        `- Knee: held at ${s.knee.heldAt ?? 'no stage'}, broke at ${s.knee.brokeAt} (${s.knee.breached.join('; ')})`,
      );
    for (const b of s.bottleneck) lines.push(`- ${b}`);
    lines.push(`- Full report: [${path.basename(path.dirname(reportHref))}](${reportHref})`, '');
  }
  return `${lines.join('\n')}\n`;
}

/** The same as one self-contained HTML page, linking each scenario's own report. */
export function tournamentHtml(title: string, entries: readonly TournamentEntry[], context: string): string {
  const table = `<table><thead><tr>${HEAD.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead><tbody>${rows(entries)
    .map(
      (r, i) =>
        `<tr>${r.map((c, j) => `<td class="${j === 1 ? c.toLowerCase() : ''}">${j === 0 ? `<a href="${e(entries[i]!.reportHref)}">${e(c)}</a>` : e(c)}</td>`).join('')}</tr>`,
    )
    .join('')}</tbody></table>`;
  const details = entries
    .map(
      ({ summary: s }) =>
        `<section id="${e(s.scenario)}"><h2>${e(s.scenario)} — <span class="${s.passed ? 'pass' : 'fail'}">${s.passed ? 'PASS' : 'FAIL'}</span></h2><p>${e(s.description)}</p>${
          s.knee
            ? `<p><strong>Knee:</strong> held at ${e(s.knee.heldAt ?? 'no stage')}, broke at ${e(s.knee.brokeAt)} (${e(s.knee.breached.join('; '))})</p>`
            : ''
        }<ul>${s.bottleneck.map((b) => `<li>${e(b)}</li>`).join('')}</ul></section>`,
    )
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${e(title)}</title><style>
body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1100px;padding:0 16px;color:#111827}
table{border-collapse:collapse}td,th{border:1px solid #e5e7eb;padding:4px 10px}th{background:#f9fafb}
.pass{color:#15803d;font-weight:700}.fail{color:#b91c1c;font-weight:700}</style></head><body>
<h1>${e(title)}</h1><p>${e(context)}</p>${table}${details}</body></html>
`;
}
