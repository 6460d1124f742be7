import type { Stage } from '../engine/attack';
import type { Distribution, HttpFigures, TimelinePoint } from '../metrics';
import type { CpuSeries, Ledger } from '../stack-observer';
import type { ThresholdResult } from '../thresholds';

/** Where the run sent its load, and how the stack was set up for it. */
export interface RunTargetInfo {
  readonly baseUrl: string;
  /** e.g. `local stack "load" started for this run (RATE_LIMIT_PER_MINUTE=1000000)` or `--target given`. */
  readonly note: string;
  /** The public rate limit the target ran with, when this run set it. */
  readonly rateLimitPerMinute?: number;
}

/** Per pipeline stage, where a registration's time went (ms). */
export interface StageBreakdown {
  readonly stage: string;
  /** What happens in that stage. */
  readonly what: string;
  readonly ms: Distribution;
}

/** The JSON summary of one run (`summary.json`); the HTML report is drawn from it alone. */
export interface RunSummary {
  readonly scenario: string;
  readonly description: string;
  readonly runTag: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly target: RunTargetInfo;
  readonly engine: { readonly name: 'vegeta'; readonly version: string };
  readonly options: { readonly rate: number; readonly durationSeconds: number };
  readonly stages: readonly (Stage & { readonly http: HttpFigures })[];
  /** Stepped scenarios: the last stage that held and the first that broke, with what broke. */
  readonly knee?: {
    readonly heldAt?: string;
    readonly brokeAt: string;
    readonly rate: number;
    readonly breached: string[];
  };
  readonly http: HttpFigures;
  readonly timeline: readonly TimelinePoint[];
  readonly histogram: readonly { upperMs: number | null; count: number }[];
  readonly endToEndMs?: Distribution;
  readonly ledger?: Ledger;
  /** How long the run waited after the last request for the pipeline to settle, and how many had not. */
  readonly settle?: { readonly waitedMs: number; readonly unsettled: number };
  readonly pipelineStages?: readonly StageBreakdown[];
  readonly cpu?: CpuSeries & { readonly machineCores: number };
  /** Whether the local Prometheus scraped vegeta's exporter during the run. */
  readonly prometheus?: { readonly url: string; readonly scraped: boolean; readonly detail: string };
  readonly thresholds: readonly ThresholdResult[];
  /** Sentences: where the time went, what saturated. */
  readonly bottleneck: readonly string[];
  readonly passed: boolean;
  /** What the run could not measure, and why. */
  readonly notes: readonly string[];
}
