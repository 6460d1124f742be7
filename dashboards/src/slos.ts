/**
 * The SLOs as service-level indicators in PromQL, built from the SLO numbers and metric names in contracts. The
 * recording rules, the burn-rate alerts and the SLO dashboard all read these, so an SLO changes in one place.
 */
import { METRICS, PUBLIC_ROUTE_TEMPLATES, SERVICES, SLO } from '@scalefu/contracts';

export type SloId = 'ingest' | 'e2e_p95' | 'e2e_p99' | 'availability';

export interface SloIndicator {
  readonly id: SloId;
  readonly title: string;
  /** Share of events that must be good over 30 days. */
  readonly objective: number;
  /** Latency threshold in seconds (latency SLOs). */
  readonly thresholdSeconds?: number;
  /** PromQL: bad events per second over `window`. */
  bad(window: string): string;
  /** PromQL: all events per second over `window`. */
  total(window: string): string;
  /** Section of runbooks/slo.md an alert on this SLO links to. */
  readonly runbookAnchor: string;
}

/** Route template of the public register endpoint, as the kit labels it. */
export const REGISTER_ROUTE = PUBLIC_ROUTE_TEMPLATES.register;

/** `le` label value of a bucket edge as prom-client writes it. */
export const le = (seconds: number) => String(seconds);

/** A latency SLO over a histogram: bad = observations above the bucket edge at the threshold. */
function latencySlo(
  id: SloId,
  title: string,
  metric: { readonly name: string; readonly buckets: readonly number[] },
  quantile: number,
  thresholdMs: number,
  runbookAnchor: string,
): SloIndicator {
  const threshold = thresholdMs / 1000;
  if (!metric.buckets.includes(threshold))
    throw new Error(`${metric.name} has no bucket edge at the SLO ${threshold}s`);
  const total = (w: string) => `sum(rate(${metric.name}_count[${w}]))`;
  return {
    id,
    title,
    objective: quantile,
    thresholdSeconds: threshold,
    total,
    bad: (w) => `(${total(w)} - sum(rate(${metric.name}_bucket{le="${le(threshold)}"}[${w}])))`,
    runbookAnchor,
  };
}

const registerRequests = `${METRICS.httpRequestDuration.name}_count{service="${SERVICES.onboarder.name}",route="${REGISTER_ROUTE}"`;

export const SLOS: readonly SloIndicator[] = [
  latencySlo('ingest', 'Ingest p99', METRICS.ingestDuration, 0.99, SLO.ingestP99Ms, 'ingest-latency'),
  latencySlo('e2e_p95', 'Accept → CONFIRMED p95', METRICS.endToEnd, 0.95, SLO.endToEndP95Ms, 'end-to-end-latency'),
  latencySlo('e2e_p99', 'Accept → CONFIRMED p99', METRICS.endToEnd, 0.99, SLO.endToEndP99Ms, 'end-to-end-latency'),
  {
    id: 'availability',
    title: 'Register availability (non-5xx)',
    objective: SLO.availability,
    // No 5xx at all is no series at all: `or vector(0)` keeps the ratio defined (0) instead of empty.
    bad: (w) => `(sum(rate(${registerRequests},status_code=~"5.."}[${w}])) or vector(0))`,
    total: (w) => `sum(rate(${registerRequests}}[${w}]))`,
    runbookAnchor: 'availability',
  },
];

/** Windows of the multi-window multi-burn-rate alerts (Google SRE workbook) plus 30 d for the budget left. */
export const SLO_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d', '30d'] as const;
export type SloWindow = (typeof SLO_WINDOWS)[number];

/** Name of the recording rule that holds an SLO's error ratio over one window (label `slo` tells them apart). */
export const errorRatioRecord = (window: SloWindow) => `scalefu:slo_errors:ratio_rate${window}`;

/** Selector of one SLO's recorded error ratio. */
export const errorRatio = (slo: SloIndicator, window: SloWindow) => `${errorRatioRecord(window)}{slo="${slo.id}"}`;

/** The error budget: the share of events allowed to be bad. */
export const budgetOf = (slo: SloIndicator) => Number((1 - slo.objective).toPrecision(6));
