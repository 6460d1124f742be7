import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RequestResult } from './engine/attack';
import { histogram, httpFigures, percentile, timeline } from './metrics';

const result = (sentAtMs: number, latencyMs: number, code: number): RequestResult => ({
  sentAtMs,
  latencyMs,
  code,
  stage: 's',
});

test('percentiles use the nearest rank', () => {
  const values = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(values, 50), 50);
  assert.equal(percentile(values, 99), 99);
  assert.equal(percentile(values, 100), 100);
  assert.equal(percentile([], 99), undefined);
});

test('HTTP figures count 5xx and missing answers against availability, 4xx only against the error rate', () => {
  const figures = httpFigures([result(0, 10, 201), result(100, 20, 409), result(200, 30, 503), result(300, 40, 0)]);
  assert.equal(figures.requests, 4);
  assert.equal(figures.errorRate, 0.75);
  assert.equal(figures.serverErrorRate, 0.5);
  assert.deepEqual(figures.statusCodes, { '0': 1, '201': 1, '409': 1, '503': 1 });
});

test('the timeline has one point per second, gaps included, and the histogram puts each latency in one bucket', () => {
  const points = timeline([result(1000, 5, 201), result(1500, 7, 201), result(3200, 9, 500)]);
  assert.deepEqual(
    points.map((p) => [p.second, p.requests, p.failed]),
    [
      [0, 2, 0],
      [1, 0, 0],
      [2, 1, 1],
    ],
  );
  const buckets = histogram([0.5, 3, 3, 7000]);
  assert.equal(
    buckets.reduce((s, b) => s + b.count, 0),
    4,
  );
  assert.equal(buckets.find((b) => b.upperMs === 5)?.count, 2);
  assert.equal(buckets.at(-1)?.count, 1);
});
