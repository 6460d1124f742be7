import { LOAD_GENERATOR_SCRAPE_JOB, METRICS } from '@scalefu/contracts';
import { Board } from '../board';

/**
 * Load-test overlay: what the attacker saw (vegeta's Prometheus exporter, `vegeta attack -prometheus-addr`, job
 * LOAD_GENERATOR_SCRAPE_JOB) beside what the platform measured. vegeta v12 names its metrics without a prefix: `request_seconds`
 * (histogram, labels method/url/status), `request_bytes_in`, `request_bytes_out`, `request_fail_count`.
 */
export function loadTestOverlay(): Board {
  const board = new Board({
    uid: 'scalefu-load-test',
    title: 'ScaleFu / Load-test overlay',
    description: 'Client-side (vegeta) against server-side (ScaleFu) rate and latency during a load test',
    tags: ['load-test'],
  });
  board
    .section('Rate')
    .panel({
      title: 'Attack rate vs accepted registrations',
      description: 'vegeta requests per second by status against registrations the onboarder accepted',
      queries: [
        {
          expr: `sum by (status) (rate(request_seconds_count{job="${LOAD_GENERATOR_SCRAPE_JOB}"}[1m]))`,
          legend: 'vegeta {{status}}',
        },
        { expr: `sum(rate(${METRICS.registrations.name}{outcome="accepted"}[1m]))`, legend: 'accepted' },
      ],
      unit: 'reqps',
    })
    .panel({
      title: 'vegeta failures',
      description: 'Hits that never reached the server (connection errors, timeouts)',
      queries: [
        {
          expr: `sum by (code) (rate(request_fail_count{job="${LOAD_GENERATOR_SCRAPE_JOB}"}[1m]))`,
          legend: '{{code}}',
        },
      ],
      unit: 'ops',
    })
    .section('Latency')
    .panel({
      title: 'Client p99 vs server ingest p99 and accept → CONFIRMED p95',
      description: 'The gap between client and ingest latency is the network and the edge',
      queries: [
        {
          expr: `histogram_quantile(0.99, sum by (le) (rate(request_seconds_bucket{job="${LOAD_GENERATOR_SCRAPE_JOB}"}[1m])))`,
          legend: 'vegeta p99',
        },
        {
          expr: `histogram_quantile(0.99, sum by (le) (rate(${METRICS.ingestDuration.name}_bucket[1m])))`,
          legend: 'ingest p99',
        },
        {
          expr: `histogram_quantile(0.95, sum by (le) (rate(${METRICS.endToEnd.name}_bucket[1m])))`,
          legend: 'accept→CONFIRMED p95',
        },
      ],
      unit: 's',
      width: 24,
    });
  return board;
}
