import { METRICS, SERVICE_NAMES } from '@scalefu/contracts';
import { Board } from '../board';
import { argoCdSyncs } from './annotations';

const http = METRICS.httpRequestDuration.name;

/** RED per service: request rate, error ratio and latency of every HTTP route, plus Kafka handling for consumers. */
export function redPerService(): Board {
  const board = new Board({
    uid: 'scalefu-red',
    title: 'ScaleFu / RED per service',
    description: 'Rate, errors and duration of each service by route template (kit metrics)',
    tags: ['red'],
  });
  argoCdSyncs(board);
  for (const service of SERVICE_NAMES) {
    const sel = `service="${service}"`;
    board
      .section(service)
      .panel({
        title: `${service}: requests per second`,
        description: 'By route template and status code',
        queries: [
          {
            expr: `sum by (route, status_code) (rate(${http}_count{${sel}}[5m]))`,
            legend: '{{route}} {{status_code}}',
          },
        ],
        unit: 'reqps',
        width: 8,
      })
      .panel({
        title: `${service}: 5xx ratio`,
        description: 'Share of requests answered 5xx (0 when none)',
        queries: [
          {
            expr: `(sum(rate(${http}_count{${sel},status_code=~"5.."}[5m])) or vector(0)) / sum(rate(${http}_count{${sel}}[5m]))`,
            legend: '5xx',
          },
        ],
        unit: 'percentunit',
        width: 8,
      })
      .panel({
        title: `${service}: p99 latency`,
        description: 'By route template',
        queries: [
          {
            expr: `histogram_quantile(0.99, sum by (le, route) (rate(${http}_bucket{${sel}}[5m])))`,
            legend: '{{route}}',
          },
        ],
        unit: 's',
        width: 8,
      });
  }
  return board;
}
