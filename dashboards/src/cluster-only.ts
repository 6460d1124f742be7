/**
 * Metrics the dashboards and alerts use that no local process exposes: they come from exporters and controllers
 * that run only in the clusters (or, for vegeta, only during a load test). The live test exempts exactly these
 * from "every query returns a series"; a unit test keeps the list short so the exemption cannot swallow a typo.
 */
export interface ClusterOnlyMetric {
  readonly metric: string;
  /** What exposes it. */
  readonly source: string;
}

export const CLUSTER_ONLY_METRICS: readonly ClusterOnlyMetric[] = [
  { metric: 'kafka_consumergroup_lag', source: 'Strimzi Kafka Exporter (Kafka CR kafkaExporter)' },
  { metric: 'cnpg_collector_up', source: 'CloudNativePG instance exporter' },
  { metric: 'cnpg_backends_total', source: 'CloudNativePG instance exporter' },
  { metric: 'cnpg_pg_database_size_bytes', source: 'CloudNativePG instance exporter' },
  { metric: 'redis_up', source: 'redis_exporter sidecar' },
  { metric: 'redis_commands_processed_total', source: 'redis_exporter sidecar' },
  { metric: 'redis_memory_used_bytes', source: 'redis_exporter sidecar' },
  { metric: 'argocd_app_sync_total', source: 'Argo CD application controller' },
  { metric: 'kube_pod_container_status_restarts_total', source: 'kube-state-metrics (kube-prometheus-stack)' },
  { metric: 'request_seconds', source: 'vegeta attack -prometheus-addr (load tests only)' },
  { metric: 'request_fail_count', source: 'vegeta attack -prometheus-addr (load tests only)' },
];

/** True when `name` (or the histogram it is a series of) is on the cluster-only list. */
export function isClusterOnly(name: string): boolean {
  const base = name.replace(/_(bucket|count|sum)$/, '');
  return CLUSTER_ONLY_METRICS.some((m) => m.metric === name || m.metric === base);
}

/** Upper bound the unit test enforces: raising it is a reviewed decision, not a side effect. */
export const CLUSTER_ONLY_LIMIT = 12;

/** Metric names referenced by a PromQL expression (identifiers before `{`, `[` or a space that are not functions). */
export function metricNamesIn(expr: string): string[] {
  return [...new Set(selectorsIn(expr).map((s) => s.name))];
}

export interface Selector {
  readonly name: string;
  /** Equality matchers (`label="value"`); regex and negative matchers filter values that may be legitimately absent. */
  readonly equals: Readonly<Record<string, string>>;
  /** The selector text as written. */
  readonly text: string;
}

const PROMQL_WORDS = new Set([
  'sum',
  'max',
  'min',
  'avg',
  'count',
  'rate',
  'increase',
  'changes',
  'histogram_quantile',
  'absent',
  'vector',
  'by',
  'without',
  'and',
  'or',
  'unless',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'clamp_min',
  'bool',
  'le',
]);

/** Metric selectors in a PromQL expression: `name{...}` or a bare `name`, skipping functions, keywords and labels. */
export function selectorsIn(expr: string): Selector[] {
  // Drop string literals' contents from consideration for names, and label lists after by/without/on.
  const found: Selector[] = [];
  const re = /([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\{[^}]*\})?/g;
  const stripped = expr.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  for (const match of stripped.matchAll(re)) {
    const [text, name, braces] = match;
    if (!name || PROMQL_WORDS.has(name)) continue;
    const before = stripped.slice(0, match.index);
    if (/"[^"]*$/.test(before.replace(/"[^"]*"/g, ''))) continue; // inside a string
    const after = stripped.slice(match.index + text.length);
    if (!braces && after.startsWith('(')) continue; // a function call
    if (/[0-9.]$/.test(before)) continue; // a duration (`5m`) or an exponent
    if (!braces && /[=!]~?\s*$/.test(before)) continue;
    if (!braces && /^\s*[=!]~?/.test(after)) continue; // a label name in a matcher
    const equals: Record<string, string> = {};
    for (const m of (braces ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"([^"]*)"/g)) {
      if (m[1] && m[2] !== undefined) equals[m[1]] = m[2];
    }
    found.push({ name, equals, text: text.trim() });
  }
  return found;
}
