/**
 * Multi-window multi-burn-rate SLO alerts (Google SRE workbook, ch. 5): page when 2 % of the 30-day budget burns
 * in 1 h (14.4×, confirmed over 5 m) or 5 % in 6 h (6×, over 30 m); ticket at 10 % in 1 d (3×, over 2 h) or 1×
 * over 3 d (over 6 h). The short window makes an alert stop soon after the burn stops.
 */
import { METRICS } from '@scalefu/contracts';
import type { AlertSpec, RecordingRule, RuleCase } from '../rules';
import {
  REGISTER_ROUTE,
  SLOS,
  SLO_WINDOWS,
  budgetOf,
  errorRatio,
  errorRatioRecord,
  le,
  type SloIndicator,
} from '../slos';

/** One error-ratio series per SLO and window. */
export function sloRecordingRules(): RecordingRule[] {
  return SLOS.flatMap((slo) =>
    SLO_WINDOWS.map((w) => ({
      record: errorRatioRecord(w),
      expr: `${slo.bad(w)} / ${slo.total(w)}`,
      labels: { slo: slo.id },
    })),
  );
}

const PAGE = [
  { factor: 14.4, long: '1h', short: '5m' },
  { factor: 6, long: '6h', short: '30m' },
] as const;
const TICKET = [
  { factor: 3, long: '1d', short: '2h' },
  { factor: 1, long: '3d', short: '6h' },
] as const;

function burnExpr(slo: SloIndicator, pairs: typeof PAGE | typeof TICKET): string {
  const budget = budgetOf(slo);
  return pairs
    .map(
      (p) =>
        `(${errorRatio(slo, p.long)} > (${p.factor} * ${budget}) and ${errorRatio(slo, p.short)} > (${p.factor} * ${budget}))`,
    )
    .join(' or ');
}

/** Input series for one SLO: `badShare` of all events are bad, at 60 events per minute. */
function sloSeries(slo: SloIndicator, badShare: 0 | 1): RuleCase['series'] {
  const minutes = 'x480';
  if (slo.id === 'availability') {
    const base = `${METRICS.httpRequestDuration.name}_count{service="onboarder",route="${REGISTER_ROUTE}"`;
    return [
      { series: `${base},status_code="201"}`, values: `0+${60 * (1 - badShare)}${minutes}` },
      { series: `${base},status_code="503"}`, values: `0+${60 * badShare}${minutes}` },
    ];
  }
  const metric = slo.id === 'ingest' ? METRICS.ingestDuration.name : METRICS.endToEnd.name;
  return [
    { series: `${metric}_count{service="x"}`, values: `0+60${minutes}` },
    {
      series: `${metric}_bucket{service="x",le="${le(slo.thresholdSeconds!)}"}`,
      values: `0+${60 * (1 - badShare)}${minutes}`,
    },
  ];
}

export function sloAlerts(): AlertSpec[] {
  return SLOS.flatMap((slo): AlertSpec[] => {
    const runbook = { file: 'slo.md', anchor: slo.runbookAnchor };
    const fires = (at: string): RuleCase => ({ series: sloSeries(slo, 1), at, alerts: [{ slo: slo.id }] });
    const quiet = (at: string): RuleCase => ({ series: sloSeries(slo, 0), at, alerts: [] });
    return [
      {
        alert: 'ScaleFuErrorBudgetBurnFast',
        expr: burnExpr(slo, PAGE),
        for: '2m',
        severity: 'critical',
        labels: { slo: slo.id },
        summary: `${slo.title}: error budget burning fast ({{ $labels.slo }})`,
        description: `At this rate the 30-day budget (${budgetOf(slo)}) of "${slo.title}" is gone in under 2 days (burn ≥ 6× over 6 h or ≥ 14.4× over 1 h).`,
        runbook,
        fires: fires('1h'),
        quiet: quiet('1h'),
      },
      {
        alert: 'ScaleFuErrorBudgetBurnSlow',
        expr: burnExpr(slo, TICKET),
        for: '15m',
        severity: 'warning',
        labels: { slo: slo.id },
        summary: `${slo.title}: error budget burning ({{ $labels.slo }})`,
        description: `The budget (${budgetOf(slo)}) of "${slo.title}" burns faster than it refills (≥ 3× over 1 d or ≥ 1× over 3 d): fix within working hours.`,
        runbook,
        fires: fires('8h'),
        quiet: quiet('8h'),
      },
    ];
  });
}
