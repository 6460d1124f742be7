import { SLO } from '@scalefu/contracts';
import type { Ledger } from './stack-observer';
import type { Distribution, HttpFigures } from './metrics';

/** What thresholds are evaluated against: a run's (or one stage's) measured figures. */
export interface Measured {
  readonly http: HttpFigures;
  /** Accept → CONFIRMED (ms); absent when the run could not read the stack's rows. */
  readonly endToEndMs?: Distribution;
  readonly ledger?: Ledger;
}

/** A pass/fail rule on one figure, with where its limit comes from. */
export interface Threshold {
  /** Printed on a breach and in the report, e.g. `http p99 ≤ 50 ms`. */
  readonly name: string;
  /** Where the limit is defined, e.g. `SLO.ingestP99Ms` (packages/contracts). */
  readonly source: string;
  readonly limit: number;
  readonly op: '<=' | '==' | '>=';
  /** The figure, or undefined when this run could not measure it (the threshold is then skipped, not passed). */
  readonly actual: (m: Measured) => number | undefined;
  readonly unit?: string;
}

export interface ThresholdResult {
  readonly name: string;
  readonly source: string;
  readonly limit: number;
  readonly op: Threshold['op'];
  readonly unit: string;
  readonly actual: number | null;
  readonly status: 'pass' | 'fail' | 'skipped';
}

export function evaluate(thresholds: readonly Threshold[], measured: Measured): ThresholdResult[] {
  return thresholds.map((t) => {
    const actual = t.actual(measured);
    const ok =
      actual === undefined
        ? undefined
        : t.op === '<='
          ? actual <= t.limit
          : t.op === '>='
            ? actual >= t.limit
            : actual === t.limit;
    return {
      name: t.name,
      source: t.source,
      limit: t.limit,
      op: t.op,
      unit: t.unit ?? '',
      actual: actual === undefined ? null : actual,
      status: ok === undefined ? 'skipped' : ok ? 'pass' : 'fail',
    };
  });
}

export const breached = (results: readonly ThresholdResult[]) => results.filter((r) => r.status === 'fail');

/** The breakpoint rule (issue 12): the knee is where more than 1 % of requests fail. */
export const BREAKPOINT_ERROR_RATE = 0.01;

/** Thresholds built from the SLOs in packages/contracts; scenarios pick from these. */
export const THRESHOLDS = {
  ingestP99: {
    name: `register p99 ≤ ${SLO.ingestP99Ms} ms`,
    source: 'SLO.ingestP99Ms',
    limit: SLO.ingestP99Ms,
    op: '<=',
    unit: 'ms',
    actual: (m) => m.http.latencyMs.p99,
  },
  availability: {
    name: `5xx/no-answer share ≤ ${+(1 - SLO.availability).toFixed(6)}`,
    source: '1 − SLO.availability',
    limit: +(1 - SLO.availability).toFixed(6),
    op: '<=',
    actual: (m) => m.http.serverErrorRate,
  },
  breakpointErrors: {
    name: `error share ≤ ${BREAKPOINT_ERROR_RATE}`,
    source: 'BREAKPOINT_ERROR_RATE (issue 12)',
    limit: BREAKPOINT_ERROR_RATE,
    op: '<=',
    actual: (m) => m.http.errorRate,
  },
  allAccepted: {
    name: 'every request answered 2xx',
    source: 'scenario (raised rate limit, fresh identities)',
    limit: 0,
    op: '==',
    actual: (m) => m.http.errorRate,
  },
  endToEndP95: {
    name: `accept→CONFIRMED p95 ≤ ${SLO.endToEndP95Ms} ms`,
    source: 'SLO.endToEndP95Ms',
    limit: SLO.endToEndP95Ms,
    op: '<=',
    unit: 'ms',
    actual: (m) => m.endToEndMs?.p95,
  },
  endToEndP99: {
    name: `accept→CONFIRMED p99 ≤ ${SLO.endToEndP99Ms} ms`,
    source: 'SLO.endToEndP99Ms',
    limit: SLO.endToEndP99Ms,
    op: '<=',
    unit: 'ms',
    actual: (m) => m.endToEndMs?.p99,
  },
  noneLost: {
    name: 'no acked registration lost',
    source: 'ARCHITECTURE §9',
    limit: 0,
    op: '==',
    actual: (m) => m.ledger?.lost,
  },
  noneDoubled: {
    name: 'no registration stored or mailed twice',
    source: 'ARCHITECTURE §9',
    limit: 0,
    op: '==',
    actual: (m) => m.ledger?.doubled,
  },
  allConfirmed: {
    name: 'every stored registration CONFIRMED and mailed',
    source: 'ARCHITECTURE §2',
    limit: 0,
    op: '==',
    actual: (m) => (m.ledger ? m.ledger.unconfirmed + m.ledger.unmailed : undefined),
  },
  exactlyOneCreated: {
    name: 'exactly one 201 across the variants',
    source: 'ARCHITECTURE §5 (dedup)',
    limit: 1,
    op: '==',
    actual: (m) => m.http.statusCodes['201'] ?? 0,
  },
} as const satisfies Record<string, Threshold>;
