import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CLUSTER_ONLY_LIMIT, CLUSTER_ONLY_METRICS, metricNamesIn, selectorsIn } from './cluster-only';
import { renderDashboards, ruleGroups } from './index';

test('the cluster-only exemption list stays short, names no scalefu_ metric and no stale entry', () => {
  assert.ok(
    CLUSTER_ONLY_METRICS.length <= CLUSTER_ONLY_LIMIT,
    `${CLUSTER_ONLY_METRICS.length} exempt metrics: over the limit of ${CLUSTER_ONLY_LIMIT}`,
  );
  const used = new Set(
    [...renderDashboards().map((d) => d.json), ...ruleGroups().flatMap((g) => g.rules.map((r) => r.expr))].flatMap(
      (text) => [...text.matchAll(/[a-z_:][a-z0-9_:]*/g)].map((m) => m[0]),
    ),
  );
  for (const { metric, source } of CLUSTER_ONLY_METRICS) {
    assert.ok(!metric.startsWith('scalefu_'), `${metric}: our own metrics are never exempt`);
    assert.ok(source.length > 0, `${metric}: say what exposes it`);
    assert.ok(
      ['', '_bucket', '_count', '_sum'].some((suffix) => used.has(metric + suffix)),
      `${metric} is exempt but no dashboard or alert uses it`,
    );
  }
});

test('finds metric selectors in PromQL, not functions, durations, label names or string contents', () => {
  const expr =
    'histogram_quantile(0.99, sum by (le, route) (rate(scalefu_http_request_duration_seconds_bucket{service="user",status_code=~"5.."}[5m]))) / ignoring(x) scalefu:slo_errors:ratio_rate1h{slo="ingest"} or vector(0) > 1e-9 and absent(up{service="user"} == 1)';
  assert.deepEqual(metricNamesIn(expr), [
    'scalefu_http_request_duration_seconds_bucket',
    'scalefu:slo_errors:ratio_rate1h',
    'up',
  ]);
  const [first] = selectorsIn(expr);
  assert.deepEqual(first?.equals, { service: 'user' });
});
