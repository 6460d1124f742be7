import { SLO } from '@scalefu/contracts';
import type { PipelineStages } from './outcome';

/** Issue 13's performance goals; the latency ones are the contracts' SLOs. */
export const PERFORMANCE_GOALS = {
  /** Offered registrations per second the whole local stack must sustain. */
  sustainedRate: 500,
  ingestP99Ms: SLO.ingestP99Ms,
  e2eP95Ms: SLO.endToEndP95Ms,
  e2eP99Ms: SLO.endToEndP99Ms,
  /** CPU of every component together per confirmed registration. */
  cpuMsPerRegistration: 3,
  /** The onboarder's CPU per accepted request. */
  onboarderCpuMsPerRequest: 0.3,
  /** Idle stack CPU, as a share of one core. */
  idleCoreShare: 0.05,
  /** One register on an idle stack, sent straight to the onboarder. */
  idleRegisterMs: 3,
  /** Peak resident memory of each service under the load. */
  serviceRssMb: 150,
} as const;

/** What one bench run measured (every figure the issue asks for). */
export interface BenchFigures {
  readonly rate: number;
  readonly seconds: number;
  readonly ingest: { readonly p50Ms: number; readonly p99Ms: number };
  /** Handshake packets the kernel dropped during the load because an accept queue was full (see listen-overflows). */
  readonly listenQueueOverflows: number;
  readonly e2e: { readonly p50Ms: number; readonly p95Ms: number; readonly p99Ms: number; readonly maxMs: number };
  /** accept→CONFIRMED stage by stage (see `PipelineStages`). */
  readonly stages: PipelineStages;
  readonly counts: {
    readonly offered: number;
    readonly acked: number;
    readonly stored: number;
    readonly confirmed: number;
    /** Acked registrations with exactly one mail. */
    readonly mailedOnce: number;
    /** Acked registrations with more than one mail. */
    readonly mailedTwice: number;
    readonly failed: number;
    /** Answers by HTTP status (and `error` / `dropped` for requests without one). */
    readonly statuses: Readonly<Record<string, number>>;
  };
  /** CPU ms per confirmed registration, per component, and their sum. */
  readonly cpuMsPerRegistration: Readonly<Record<string, number>>;
  readonly cpuMsPerRegistrationTotal: number;
  readonly onboarderCpuMsPerRequest: number;
  readonly idleCoreShare: number;
  readonly idleCoreShareByComponent: Readonly<Record<string, number>>;
  readonly idleRegisterMs: number;
  readonly peakRssMb: Readonly<Record<string, number>>;
  /** Highest rate with accept→CONFIRMED p95 inside the SLO (`--breakpoint` only), with each step tried. */
  readonly breakpoint?: { readonly rate: number; readonly steps: readonly { rate: number; e2eP95Ms: number }[] };
  readonly ratios: {
    readonly registerRps?: number;
    readonly noopRps?: number;
    /** register rps ÷ no-op rps. */
    readonly registerOverNoop?: number;
    readonly recordsPerProduceRequest?: number;
    readonly consumerRps?: number;
    readonly perfTestRps?: number;
    /** the user service's consumption rate ÷ kafka-consumer-perf-test's. */
    readonly consumerOverPerfTest?: number;
  };
}

/** The goals `figures` misses, each a one-line reason; empty when every goal holds. */
export function missedGoals(figures: BenchFigures, services: readonly string[]): string[] {
  const g = PERFORMANCE_GOALS;
  const missed: string[] = [];
  const check = (ok: boolean, reason: string) => {
    if (!ok) missed.push(reason);
  };
  const c = figures.counts;
  check(figures.rate >= g.sustainedRate, `sustained rate: ran ${figures.rate}/s, the goal is ${g.sustainedRate}/s`);
  check(figures.ingest.p99Ms <= g.ingestP99Ms, `ingest p99 ${fmt(figures.ingest.p99Ms)} ms > ${g.ingestP99Ms} ms`);
  check(figures.e2e.p95Ms <= g.e2eP95Ms, `accept→CONFIRMED p95 ${fmt(figures.e2e.p95Ms)} ms > ${g.e2eP95Ms} ms`);
  check(figures.e2e.p99Ms <= g.e2eP99Ms, `accept→CONFIRMED p99 ${fmt(figures.e2e.p99Ms)} ms > ${g.e2eP99Ms} ms`);
  check(c.acked === c.offered, `${c.offered - c.acked} of ${c.offered} offered registrations were not acked`);
  check(c.stored === c.acked, `${c.acked - c.stored} acked registrations were not stored`);
  check(c.confirmed === c.acked, `${c.acked - c.confirmed} acked registrations were not CONFIRMED`);
  check(c.mailedOnce === c.acked, `${c.acked - c.mailedOnce} acked registrations were not mailed exactly once`);
  check(
    figures.cpuMsPerRegistrationTotal <= g.cpuMsPerRegistration,
    `CPU ${fmt(figures.cpuMsPerRegistrationTotal)} ms per confirmed registration > ${g.cpuMsPerRegistration} ms`,
  );
  check(
    figures.onboarderCpuMsPerRequest <= g.onboarderCpuMsPerRequest,
    `onboarder CPU ${fmt(figures.onboarderCpuMsPerRequest)} ms per request > ${g.onboarderCpuMsPerRequest} ms`,
  );
  check(
    figures.idleCoreShare <= g.idleCoreShare,
    `idle stack ${fmt(figures.idleCoreShare * 100)} % of a core > ${g.idleCoreShare * 100} %`,
  );
  check(
    figures.idleRegisterMs <= g.idleRegisterMs,
    `idle register ${fmt(figures.idleRegisterMs)} ms > ${g.idleRegisterMs} ms`,
  );
  if (figures.breakpoint) {
    check(
      figures.breakpoint.rate >= g.sustainedRate,
      `breakpoint ${figures.breakpoint.rate}/s: accept→CONFIRMED p95 leaves the SLO below ${g.sustainedRate}/s`,
    );
  }
  for (const service of services) {
    const rss = figures.peakRssMb[service] ?? 0;
    check(rss <= g.serviceRssMb, `${service} RSS ${fmt(rss)} MB > ${g.serviceRssMb} MB`);
  }
  return missed;
}

export const fmt = (n: number | undefined): string =>
  n === undefined || Number.isNaN(n) ? 'n/a' : n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2);
