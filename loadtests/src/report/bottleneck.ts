import type { CpuSeries } from '../stack-observer';
import type { HttpFigures } from '../metrics';
import type { StageBreakdown } from './summary';

/** Share of the machine's cores in use at which latency measures the machine, not the design. */
const SATURATED = 0.85;

/**
 * The bottleneck analysis in plain sentences: which pipeline stage took most of a registration's time, which
 * component burned the most CPU, whether the machine itself was the limit, and what the HTTP errors say.
 */
export function analyseBottleneck(input: {
  readonly http: HttpFigures;
  readonly pipelineStages?: readonly StageBreakdown[];
  readonly cpu?: CpuSeries & { readonly machineCores: number };
}): string[] {
  const lines: string[] = [];
  const stages = (input.pipelineStages ?? []).filter((s) => s.ms.p50 !== undefined);
  const total = stages.reduce((sum, s) => sum + (s.ms.p50 ?? 0), 0);
  if (stages.length && total > 0) {
    const slowest = [...stages].sort((a, b) => (b.ms.p50 ?? 0) - (a.ms.p50 ?? 0))[0]!;
    const share = Math.round(((slowest.ms.p50 ?? 0) / total) * 100);
    lines.push(
      `Time went to "${slowest.stage}" (${slowest.what}): ${share} % of a typical registration's path ` +
        `(p50 ${slowest.ms.p50} ms, p95 ${slowest.ms.p95} ms).`,
    );
  }
  if (input.cpu) {
    const totals = Object.entries(input.cpu.totalSeconds).sort((a, b) => b[1] - a[1]);
    const all = totals.reduce((sum, [, s]) => sum + s, 0);
    if (totals.length && all > 0) {
      const [name, seconds] = totals[0]!;
      lines.push(`The busiest component was ${name}: ${seconds} CPU s, ${Math.round((seconds / all) * 100)} % of all.`);
    }
    const perSample = input.cpu.at.map((_, i) =>
      Object.values(input.cpu!.cores).reduce((sum, line) => sum + (line[i] ?? 0), 0),
    );
    const peak = Math.max(0, ...perSample);
    const machinePeak = Math.max(0, ...(input.cpu.machine ?? []));
    const cores = input.cpu.machineCores;
    lines.push(
      `At the peak the stack and the load generator kept ${peak.toFixed(2)} of ${cores} cores busy; ` +
        `the whole machine, other work included, ${machinePeak.toFixed(2)}.`,
    );
    if (Math.max(peak, machinePeak) >= cores * SATURATED) {
      lines.push(
        peak >= cores * SATURATED
          ? 'The machine was CPU-saturated by the run itself: latency here measures the machine more than the design.'
          : 'The machine was CPU-saturated by other work: the stack was starved, so its latency measures the ' +
              'shared machine, not the design. Rerun on a quiet machine before drawing conclusions.',
      );
    }
  }
  const limited = input.http.statusCodes['429'] ?? 0;
  if (limited) lines.push(`${limited} requests were rate-limited (429): the limit, not the system, answered them.`);
  const unanswered = input.http.statusCodes['0'] ?? 0;
  if (unanswered) {
    lines.push(`${unanswered} requests got no answer (timeout or refused): the load outran what the server accepts.`);
  }
  const serverErrors = Object.entries(input.http.statusCodes)
    .filter(([code]) => Number(code) >= 500)
    .reduce((sum, [, n]) => sum + n, 0);
  if (serverErrors) lines.push(`${serverErrors} requests were answered 5xx: look at the services' logs for why.`);
  if (lines.length === 0) lines.push('Nothing stood out: no stage timings, no CPU figures and no errors to analyse.');
  return lines;
}
