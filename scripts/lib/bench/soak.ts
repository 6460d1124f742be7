import { pssMbByComponent, rssMbByComponent, type ComponentGroups } from './proc-cpu';

/**
 * The soak's default rate: one the 2-core box sustains (~1.2 cores at ~4.8 ms per registration). At the goal's 500/s
 * the box falls behind, and a soak would measure a growing backlog instead of memory.
 */
export const SOAK_DEFAULT_RATE = 250;

/** Refuse soak settings that cannot give a verdict, before the stack starts rather than after the run. */
export function assertSoakFlags(minutes: number, sampleSeconds: number, rate: number): void {
  if (!(minutes > 0)) throw new Error(`--soak wants minutes > 0, got ${minutes}`);
  if (!(sampleSeconds >= 1)) throw new Error(`--sample-seconds wants ≥ 1, got ${sampleSeconds}`);
  if (!(rate > 0)) throw new Error(`--rate wants > 0, got ${rate}`);
  if ((minutes * 60) / sampleSeconds < 9) {
    throw new Error(
      `--soak ${minutes} with --sample-seconds ${sampleSeconds} gives under 9 samples: no thirds to compare`,
    );
  }
}

/** How much the last third's peak may exceed the middle third's before a component counts as growing. */
export const SOAK_MARGIN = { fraction: 0.1, minimumMb: 8 } as const;

/**
 * Components whose memory is the data they hold: Redis keeps the dedup index, the user hashes and the statuses in
 * memory by design, so it grows with every registration stored. Its growth is reported per registration, not judged
 * as a leak (ADR 0146).
 */
export const DATA_HOLDERS: readonly string[] = ['redis'];

/** One component's verdict over a soak: peaks of the first, middle and last thirds of its samples. */
export interface SoakVerdict {
  readonly component: string;
  readonly samples: number;
  readonly firstPeakMb: number;
  readonly middlePeakMb: number;
  readonly lastPeakMb: number;
  readonly bounded: boolean;
}

const peak = (values: readonly number[]): number => values.reduce((a, b) => Math.max(a, b), 0);
const mb = (n: number) => n.toFixed(0);

/** The highest peak still counted as level with `referencePeakMb`: it plus the margin's share, or its minimum. */
const allowedPeak = (referencePeakMb: number, margin = SOAK_MARGIN): number =>
  referencePeakMb + Math.max(referencePeakMb * margin.fraction, margin.minimumMb);

/**
 * Bounded means: the last third's peak is at most the middle third's peak plus SOAK_MARGIN (10 %, at least 8 MB, so
 * a 30 MB process is not failed for a 3 MB wobble). The first third is warm-up (JIT, pools, JVM heap sizing) and only
 * reported. A leak keeps raising the peak from third to third; a bounded process levels off.
 */
export function judgeSoak(component: string, series: readonly number[], margin = SOAK_MARGIN): SoakVerdict {
  if (series.length < 3) throw new Error(`${component}: ${series.length} samples cannot be split into thirds`);
  const third = Math.floor(series.length / 3);
  const firstPeakMb = peak(series.slice(0, third));
  const middlePeakMb = peak(series.slice(third, 2 * third));
  const lastPeakMb = peak(series.slice(2 * third));
  const bounded = lastPeakMb <= allowedPeak(middlePeakMb, margin);
  return { component, samples: series.length, firstPeakMb, middlePeakMb, lastPeakMb, bounded };
}

/** The soak's table: one row per component, with the verdict (data holders say so instead of yes/GREW). */
export function soakMarkdown(metric: string, verdicts: readonly SoakVerdict[]): string {
  const verdict = (v: SoakVerdict) =>
    DATA_HOLDERS.includes(v.component) ? 'holds the data (not judged)' : v.bounded ? 'yes' : 'GREW';
  return [
    `| component | samples | ${metric} peak MB, first third | middle third | last third | bounded |`,
    '|---|---|---|---|---|---|',
    ...verdicts.map(
      (v) =>
        `| ${v.component} | ${v.samples} | ${mb(v.firstPeakMb)} | ${mb(v.middlePeakMb)} | ${mb(v.lastPeakMb)} | ${verdict(v)} |`,
    ),
  ].join('\n');
}

/**
 * Each component's peak while the backlog drained after the load stopped. Not judged (a drain is not a steady state),
 * but printed: a consumer that balloons while it catches up would otherwise go unseen, since the judge stops with the
 * load.
 */
export function drainPeaksMarkdown(load: MemorySeries, drain: MemorySeries): string {
  const rows = Object.keys(drain.pss)
    .sort()
    .map((name) => {
      const loadPeak = peak(load.pss[name] ?? []);
      const drainPeak = peak(drain.pss[name]!);
      const flag = DATA_HOLDERS.includes(name)
        ? ' (holds the data)'
        : drainPeak > allowedPeak(loadPeak)
          ? ' **above**'
          : '';
      return `| ${name} | ${mb(loadPeak)} | ${mb(drainPeak)}${flag} | ${mb(peak(drain.rss[name]!))} |`;
    });
  return [
    '| component | PSS peak MB under load | PSS peak MB while draining | RSS peak MB while draining |',
    '|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/** Samples every component's RSS and PSS every `intervalMs` into one series per component. */
export class MemorySeries {
  readonly rss: Record<string, number[]> = {};
  readonly pss: Record<string, number[]> = {};
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly components: readonly ComponentGroups[]) {}

  start(intervalMs: number): void {
    const sample = () => {
      for (const [name, mb] of Object.entries(rssMbByComponent(this.components))) (this.rss[name] ??= []).push(mb);
      for (const [name, mb] of Object.entries(pssMbByComponent(this.components))) (this.pss[name] ??= []).push(mb);
    };
    sample();
    this.timer = setInterval(sample, intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
