import { METRICS, SERVICES, SERVICE_NAMES, topicsConsumedBy } from '@scalefu/contracts';
import { Board } from '../board';
import { argoCdSyncs } from './annotations';

const http = METRICS.httpRequestDuration.name;

/**
 * RED per service: for an HTTP API, request rate, 5xx ratio and latency by route; for a consumer, records handled,
 * the share retried or dead-lettered, and handler latency by topic. A service that is both gets both rows.
 */
export function redPerService(): Board {
  const board = new Board({
    uid: 'scalefu-red',
    title: 'ScaleFu / RED per service',
    description: 'Rate, errors and duration of each service by route template (kit metrics)',
    tags: ['red'],
  });
  argoCdSyncs(board);
  for (const service of SERVICE_NAMES) {
    if (SERVICES[service].kind === 'http-api') httpRed(board, service);
    if (topicsConsumedBy(service).length > 0) kafkaRed(board, service);
  }
  return board;
}

function httpRed(board: Board, service: string): void {
  const sel = `service="${service}"`;
  board
    .section(`${service}: HTTP`)
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

const consumed = METRICS.kafkaConsumed.name;

function kafkaRed(board: Board, service: string): void {
  const sel = `service="${service}"`;
  board
    .section(`${service}: Kafka consumer`)
    .panel({
      title: `${service}: records handled per second`,
      description: 'By topic and outcome',
      queries: [{ expr: `sum by (topic, outcome) (rate(${consumed}{${sel}}[5m]))`, legend: '{{topic}} {{outcome}}' }],
      unit: 'ops',
      width: 8,
    })
    .panel({
      title: `${service}: retried or dead-lettered share`,
      description: 'Records that failed their handler (sent to retry or DLQ) over all records',
      queries: [
        {
          expr: `sum by (topic) (rate(${consumed}{${sel},outcome=~"retried|dead_lettered"}[5m])) / sum by (topic) (rate(${consumed}{${sel}}[5m]))`,
          legend: '{{topic}}',
        },
      ],
      unit: 'percentunit',
      width: 8,
    })
    .panel({
      title: `${service}: handler p99`,
      description: 'By topic, including in-process retries',
      queries: [
        {
          expr: `histogram_quantile(0.99, sum by (le, topic) (rate(${METRICS.kafkaHandlerDuration.name}_bucket{${sel}}[5m])))`,
          legend: '{{topic}}',
        },
      ],
      unit: 's',
      width: 8,
    });
}
