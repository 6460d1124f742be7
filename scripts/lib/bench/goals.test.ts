import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { missedGoals, PERFORMANCE_GOALS, type BenchFigures } from './goals';
import { benchMarkdown } from './report';

const passing: BenchFigures = {
  rate: 500,
  seconds: 60,
  ingest: { p50Ms: 3, p99Ms: 20 },
  listenQueueOverflows: 0,
  e2e: { p50Ms: 100, p95Ms: 300, p99Ms: 600, maxMs: 900 },
  stages: {
    acceptToStored: { p50Ms: 20, p95Ms: 60 },
    storedToPublished: { p50Ms: 10, p95Ms: 30 },
    publishedToMailed: { p50Ms: 50, p95Ms: 150 },
    mailedToConfirmed: { p50Ms: 20, p95Ms: 60 },
  },
  counts: {
    offered: 100,
    acked: 100,
    stored: 100,
    confirmed: 100,
    mailedOnce: 100,
    mailedTwice: 0,
    failed: 0,
    statuses: { '201': 100 },
  },
  cpuMsPerRegistration: { user: 1, kafka: 1 },
  cpuMsPerRegistrationTotal: 2,
  onboarderCpuMsPerRequest: 0.2,
  idleCoreShare: 0.03,
  idleCoreShareByComponent: { user: 0.03 },
  idleRegisterMs: 2,
  peakRssMb: { user: 100 },
  ratios: {},
};

describe('bench goals', () => {
  it('reports nothing when every figure is inside its goal', () => {
    assert.deepEqual(missedGoals(passing, ['user']), []);
  });

  it('names each missed goal with the measured figure and the goal', () => {
    const missed = missedGoals(
      {
        ...passing,
        e2e: { ...passing.e2e, p95Ms: 700 },
        counts: { ...passing.counts, confirmed: 98, mailedOnce: 97 },
        peakRssMb: { user: 200 },
      },
      ['user'],
    );
    assert.deepEqual(missed, [
      `accept→CONFIRMED p95 700 ms > ${PERFORMANCE_GOALS.e2eP95Ms} ms`,
      '2 acked registrations were not CONFIRMED',
      '3 acked registrations were not mailed exactly once',
      `user RSS 200 MB > ${PERFORMANCE_GOALS.serviceRssMb} MB`,
    ]);
  });

  it('names a breakpoint below the sustained rate', () => {
    const breakpoint = { rate: 200, steps: [{ rate: 300, e2eP95Ms: 900 }] };
    assert.deepEqual(missedGoals({ ...passing, breakpoint }, []), [
      'breakpoint 200/s: accept→CONFIRMED p95 leaves the SLO below 500/s',
    ]);
  });

  it('counts a run below the sustained rate as a miss even when it met every latency', () => {
    assert.match(missedGoals({ ...passing, rate: 100 }, [])[0]!, /sustained rate: ran 100\/s/);
  });

  it('prints where accept→CONFIRMED went, stage by stage, under the end-to-end figures', () => {
    const lines = benchMarkdown(passing, [], 'npm run bench').split('\n');
    const e2e = lines.findIndex((l) => l.startsWith('| accept→CONFIRMED p50'));
    assert.match(
      lines[e2e + 1]!,
      /^\| of which accept→stored .* \| 20\.0 · 60\.0 \/ 10\.0 · 30\.0 \/ 50\.0 · 150 \/ 20\.0 · 60\.0 ms \| — \|$/,
    );
  });
});
