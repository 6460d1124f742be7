/** Inline SVG charts for the self-contained reports: no script, no CDN, readable in any browser or offline. */

export interface Series {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
}

const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4b5563', '#65a30d'];
const W = 760;
const H = 260;
const PAD = { left: 56, right: 16, top: 16, bottom: 36 };

export const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const fmt = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2));

function axes(xMax: number, yMax: number, xLabel: string, yLabel: string): string {
  const parts: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const y = PAD.top + ((H - PAD.top - PAD.bottom) * i) / 4;
    parts.push(
      `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y}" y2="${y}" stroke="#e5e7eb"/>`,
      `<text x="${PAD.left - 6}" y="${y + 4}" text-anchor="end" font-size="11">${fmt((yMax * (4 - i)) / 4)}</text>`,
    );
    const x = PAD.left + ((W - PAD.left - PAD.right) * i) / 4;
    parts.push(
      `<text x="${x}" y="${H - PAD.bottom + 16}" text-anchor="middle" font-size="11">${fmt((xMax * i) / 4)}</text>`,
    );
  }
  parts.push(
    `<text x="${W / 2}" y="${H - 4}" text-anchor="middle" font-size="12">${escapeHtml(xLabel)}</text>`,
    `<text x="12" y="${H / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 12 ${H / 2})">${escapeHtml(yLabel)}</text>`,
  );
  return parts.join('');
}

function legend(names: readonly string[]): string {
  return `<div class="legend">${names
    .map((n, i) => `<span><i style="background:${PALETTE[i % PALETTE.length]}"></i>${escapeHtml(n)}</span>`)
    .join('')}</div>`;
}

/** Lines over a shared x axis. */
export function lineChart(series: readonly Series[], xLabel: string, yLabel: string, title: string): string {
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) return `<p class="empty">No data for ${escapeHtml(title)}.</p>`;
  const xMax = Math.max(1, ...all.map((p) => p[0]));
  const yMax = Math.max(1e-9, ...all.map((p) => p[1])) * 1.1;
  const sx = (x: number) => PAD.left + (x / xMax) * (W - PAD.left - PAD.right);
  const sy = (y: number) => H - PAD.bottom - (y / yMax) * (H - PAD.top - PAD.bottom);
  const lines = series.map(
    (s, i) =>
      `<polyline fill="none" stroke="${PALETTE[i % PALETTE.length]}" stroke-width="1.8" points="${s.points
        .map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`)
        .join(' ')}"/>`,
  );
  return `<figure><svg role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}">${axes(
    xMax,
    yMax,
    xLabel,
    yLabel,
  )}${lines.join('')}</svg>${legend(series.map((s) => s.name))}</figure>`;
}

/** Vertical bars, one per label. */
export function barChart(bars: readonly { label: string; value: number }[], yLabel: string, title: string): string {
  if (bars.length === 0) return `<p class="empty">No data for ${escapeHtml(title)}.</p>`;
  const yMax = Math.max(1, ...bars.map((b) => b.value)) * 1.1;
  const inner = W - PAD.left - PAD.right;
  const slot = inner / bars.length;
  const rects = bars.map((b, i) => {
    const h = (b.value / yMax) * (H - PAD.top - PAD.bottom);
    const x = PAD.left + i * slot + slot * 0.1;
    return (
      `<rect x="${x.toFixed(1)}" y="${(H - PAD.bottom - h).toFixed(1)}" width="${(slot * 0.8).toFixed(1)}" height="${h.toFixed(1)}" fill="${PALETTE[0]}"><title>${escapeHtml(`${b.label}: ${b.value}`)}</title></rect>` +
      `<text x="${(x + slot * 0.4).toFixed(1)}" y="${H - PAD.bottom + 14}" text-anchor="middle" font-size="10">${escapeHtml(b.label)}</text>` +
      (b.value
        ? `<text x="${(x + slot * 0.4).toFixed(1)}" y="${(H - PAD.bottom - h - 3).toFixed(1)}" text-anchor="middle" font-size="10">${b.value}</text>`
        : '')
    );
  });
  const grid = Array.from({ length: 5 }, (_, i) => {
    const y = PAD.top + ((H - PAD.top - PAD.bottom) * i) / 4;
    return `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y}" y2="${y}" stroke="#e5e7eb"/><text x="${PAD.left - 6}" y="${y + 4}" text-anchor="end" font-size="11">${fmt((yMax * (4 - i)) / 4)}</text>`;
  });
  return `<figure><svg role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}">${grid.join('')}${rects.join('')}<text x="12" y="${H / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 12 ${H / 2})">${escapeHtml(yLabel)}</text></svg></figure>`;
}
