import { METRICS, SLO } from '@scalefu/contracts';
import { Board } from '../board';
import { SLOS, budgetOf, errorRatio } from '../slos';
import { argoCdSyncs } from './annotations';

const quantile = (q: number, metric: string, window = '5m') =>
  `histogram_quantile(${q}, sum by (le) (rate(${metric}_bucket[${window}])))`;

/** SLO overview: the seeds' service levels against their lines, the budget left and how fast it burns. */
export function sloOverview(): Board {
  const board = new Board({
    uid: 'scalefu-slo',
    title: 'ScaleFu / SLO overview',
    description: 'Ingest and accept→CONFIRMED latency against the SLOs (ARCHITECTURE §9), error budget and burn rate',
    tags: ['slo'],
  });
  argoCdSyncs(board);
  board
    .section('Latency against the SLO lines')
    .panel({
      title: 'Ingest p99 (request → Kafka ack)',
      description: `SLO: p99 ≤ ${SLO.ingestP99Ms} ms`,
      queries: [{ expr: quantile(0.99, METRICS.ingestDuration.name), legend: 'p99' }],
      unit: 's',
      thresholds: [{ value: SLO.ingestP99Ms / 1000, color: 'red' }],
    })
    .panel({
      title: 'Accept → CONFIRMED p50 / p95 / p99',
      description: `SLO: p95 ≤ ${SLO.endToEndP95Ms} ms, p99 ≤ ${SLO.endToEndP99Ms} ms (from the UUIDv7 time of the userID)`,
      queries: [0.5, 0.95, 0.99].map((q) => ({
        expr: quantile(q, METRICS.endToEnd.name),
        legend: `p${Math.round(q * 100)}`,
      })),
      unit: 's',
      thresholds: [
        { value: SLO.endToEndP95Ms / 1000, color: 'orange' },
        { value: SLO.endToEndP99Ms / 1000, color: 'red' },
      ],
    })
    .section('Error budget (30 days)');
  for (const slo of SLOS) {
    board.panel({
      title: `Budget left: ${slo.title}`,
      description: `1 - (error ratio over 30 d / budget ${budgetOf(slo)}); below 0 the SLO is missed`,
      queries: [{ expr: `1 - (${errorRatio(slo, '30d')} / ${budgetOf(slo)})`, legend: slo.id }],
      unit: 'percentunit',
      kind: 'stat',
      width: 6,
      height: 5,
    });
  }
  board.section('Burn rate (1 = spending the budget exactly over 30 days)');
  board.panel({
    title: 'Burn rate over 1 h',
    description: 'Error ratio / budget; the page threshold is 14.4 (2 % of the budget in 1 h)',
    queries: SLOS.map((slo) => ({ expr: `${errorRatio(slo, '1h')} / ${budgetOf(slo)}`, legend: slo.id })),
    thresholds: [{ value: 14.4, color: 'red' }],
  });
  board.panel({
    title: 'Burn rate over 6 h',
    description: 'Error ratio / budget; the page threshold is 6 (5 % of the budget in 6 h)',
    queries: SLOS.map((slo) => ({ expr: `${errorRatio(slo, '6h')} / ${budgetOf(slo)}`, legend: slo.id })),
    thresholds: [{ value: 6, color: 'red' }],
  });
  return board;
}
