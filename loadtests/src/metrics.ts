import type { RequestResult } from './engine/attack';

/** Nearest-rank percentile of `values` (0 < p ≤ 100); undefined for no values. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export interface Distribution {
  readonly count: number;
  readonly min?: number;
  readonly mean?: number;
  readonly p50?: number;
  readonly p90?: number;
  readonly p95?: number;
  readonly p99?: number;
  readonly max?: number;
}

const round = (n: number | undefined) => (n === undefined ? undefined : Math.round(n * 100) / 100);

export function distribution(values: readonly number[]): Distribution {
  if (values.length === 0) return { count: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => round(percentile(sorted, p));
  return {
    count: sorted.length,
    min: round(sorted[0]),
    mean: round(sorted.reduce((s, v) => s + v, 0) / sorted.length),
    p50: at(50),
    p90: at(90),
    p95: at(95),
    p99: at(99),
    max: round(sorted[sorted.length - 1]),
  };
}

/** HTTP figures of a set of results. */
export interface HttpFigures {
  readonly requests: number;
  /** Responses a second over the wall time the requests spanned. */
  readonly throughputPerSecond: number;
  readonly latencyMs: Distribution;
  /** Status code (or `0` for no response) → count. */
  readonly statusCodes: Record<string, number>;
  /** Error text → count, for requests that failed at the transport. */
  readonly errors: Record<string, number>;
  /** Share of requests without a 2xx answer. */
  readonly errorRate: number;
  /** Share of requests answered 5xx or not at all: what the availability SLO counts. */
  readonly serverErrorRate: number;
}

export function httpFigures(results: readonly RequestResult[]): HttpFigures {
  const statusCodes: Record<string, number> = {};
  const errors: Record<string, number> = {};
  let first = Infinity;
  let last = -Infinity;
  let failed = 0;
  let serverErrors = 0;
  for (const r of results) {
    statusCodes[String(r.code)] = (statusCodes[String(r.code)] ?? 0) + 1;
    if (r.error && r.code === 0) errors[r.error.slice(0, 120)] = (errors[r.error.slice(0, 120)] ?? 0) + 1;
    if (r.code < 200 || r.code >= 300) failed++;
    if (r.code === 0 || r.code >= 500) serverErrors++;
    first = Math.min(first, r.sentAtMs);
    last = Math.max(last, r.sentAtMs + r.latencyMs);
  }
  const n = results.length;
  const spanSeconds = n > 0 ? Math.max((last - first) / 1000, 0.001) : 1;
  return {
    requests: n,
    throughputPerSecond: Math.round((n / spanSeconds) * 10) / 10,
    latencyMs: distribution(results.map((r) => r.latencyMs)),
    statusCodes,
    errors,
    errorRate: n ? failed / n : 0,
    serverErrorRate: n ? serverErrors / n : 0,
  };
}

/** One second of a run. */
export interface TimelinePoint {
  /** Seconds since the run's first request. */
  readonly second: number;
  readonly requests: number;
  readonly ok: number;
  readonly failed: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export function timeline(results: readonly RequestResult[]): TimelinePoint[] {
  if (results.length === 0) return [];
  const start = results.reduce((min, r) => Math.min(min, r.sentAtMs), Infinity);
  const buckets = new Map<number, RequestResult[]>();
  for (const r of results) {
    const s = Math.floor((r.sentAtMs - start) / 1000);
    const bucket = buckets.get(s);
    if (bucket) bucket.push(r);
    else buckets.set(s, [r]);
  }
  const last = Math.max(...buckets.keys());
  return Array.from({ length: last + 1 }, (_, second) => {
    const bucket = buckets.get(second) ?? [];
    const ok = bucket.filter((r) => r.code >= 200 && r.code < 300).length;
    const latencies = bucket.map((r) => r.latencyMs);
    return {
      second,
      requests: bucket.length,
      ok,
      failed: bucket.length - ok,
      p50Ms: round(percentile(latencies, 50)) ?? 0,
      p99Ms: round(percentile(latencies, 99)) ?? 0,
    };
  });
}

/** Upper bounds (ms) of the latency histogram's buckets; the last one catches the rest. */
export const HISTOGRAM_BOUNDS_MS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, Infinity] as const;

export function histogram(latencies: readonly number[]): { upperMs: number | null; count: number }[] {
  const counts = HISTOGRAM_BOUNDS_MS.map(() => 0);
  for (const l of latencies) counts[HISTOGRAM_BOUNDS_MS.findIndex((b) => l <= b)]!++;
  return HISTOGRAM_BOUNDS_MS.map((b, i) => ({ upperMs: Number.isFinite(b) ? b : null, count: counts[i]! }));
}
