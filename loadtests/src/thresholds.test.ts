import { SLO } from '@scalefu/contracts';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { httpFigures } from './metrics';
import { THRESHOLDS, breached, evaluate } from './thresholds';

const http = (latencies: number[], code = 201) =>
  httpFigures(latencies.map((latencyMs, i) => ({ sentAtMs: i * 10, latencyMs, code, stage: 's' })));

test('a p99 above the ingest SLO breaches the threshold named after it; one at the limit passes', () => {
  const slow = evaluate([THRESHOLDS.ingestP99], {
    http: http([...Array(98).fill(5), SLO.ingestP99Ms + 1, SLO.ingestP99Ms + 1]),
  });
  assert.equal(slow[0]?.status, 'fail');
  assert.equal(breached(slow)[0]?.name, `register p99 ≤ ${SLO.ingestP99Ms} ms`);
  assert.equal(slow[0]?.source, 'SLO.ingestP99Ms');
  const atLimit = evaluate([THRESHOLDS.ingestP99], {
    http: http([...Array(98).fill(5), SLO.ingestP99Ms, SLO.ingestP99Ms + 1]),
  });
  assert.equal(atLimit[0]?.status, 'pass');
});

test('thresholds on figures the run could not measure are skipped, never passed', () => {
  const results = evaluate([THRESHOLDS.endToEndP95, THRESHOLDS.noneLost], { http: http([1]) });
  assert.deepEqual(
    results.map((r) => [r.status, r.actual]),
    [
      ['skipped', null],
      ['skipped', null],
    ],
  );
  assert.equal(breached(results).length, 0);
});

test('end-to-end and loss thresholds read the ledger and the accept→CONFIRMED distribution', () => {
  const ledger = {
    acked: 3,
    stored: 2,
    confirmed: 2,
    rejected: 0,
    mailed: 2,
    lost: 1,
    doubled: 0,
    unconfirmed: 0,
    unmailed: 0,
  };
  const results = evaluate([THRESHOLDS.noneLost, THRESHOLDS.noneDoubled, THRESHOLDS.endToEndP99], {
    http: http([1]),
    ledger,
    endToEndMs: { count: 2, p99: SLO.endToEndP99Ms + 1 },
  });
  assert.deepEqual(
    results.map((r) => r.status),
    ['fail', 'pass', 'fail'],
  );
});

test('the duplicate storm passes with exactly one 201 and fails with two', () => {
  const one = httpFigures([201, 409, 409].map((code, i) => ({ sentAtMs: i, latencyMs: 1, code, stage: 's' })));
  const two = httpFigures([201, 201, 409].map((code, i) => ({ sentAtMs: i, latencyMs: 1, code, stage: 's' })));
  assert.equal(evaluate([THRESHOLDS.exactlyOneCreated], { http: one })[0]?.status, 'pass');
  assert.equal(evaluate([THRESHOLDS.exactlyOneCreated], { http: two })[0]?.status, 'fail');
});
