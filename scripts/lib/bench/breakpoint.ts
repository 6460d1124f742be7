import { SLO } from '@scalefu/contracts';
import { say } from '../console';
import { fmt } from './goals';
import { runOpenLoad } from './open-load';
import { awaitPipeline } from './outcome';
import { registrationBody } from './registrations';

/** Offered rates the search steps through, lowest first: 50/s apart where a 2-core box breaks; stretch goal 1,000/s. */
export const BREAKPOINT_STEPS = [50, 100, 150, 200, 250, 300, 400, 500, 750, 1000] as const;

export interface BreakpointStep {
  readonly rate: number;
  readonly e2eP95Ms: number;
  readonly acked: number;
  readonly offered: number;
}

/**
 * The highest offered rate at which accept→CONFIRMED p95 stays inside the SLO and every request is acked: each step
 * runs `seconds` of open-model load and waits for the pipeline to drain; the search stops at the first failing step.
 */
export async function findBreakpoint(options: {
  readonly url: string;
  readonly databaseUrl: string;
  readonly run: string;
  readonly seconds: number;
}): Promise<{ readonly rate: number; readonly steps: readonly BreakpointStep[] }> {
  const steps: BreakpointStep[] = [];
  let best = 0;
  let offset = 0;
  for (const rate of BREAKPOINT_STEPS) {
    const base = offset;
    const load = await runOpenLoad({
      url: options.url,
      rate,
      seconds: options.seconds,
      body: (i) => registrationBody(options.run, 'breakpoint', base + i),
    });
    offset += load.offered;
    const outcome = await awaitPipeline(options.databaseUrl, load.acceptedIds, { stallMs: 15_000 });
    steps.push({ rate, e2eP95Ms: outcome.e2eP95Ms, acked: load.acceptedIds.length, offered: load.offered });
    say.step('bench', `breakpoint: ${rate}/s → accept→CONFIRMED p95 ${fmt(outcome.e2eP95Ms)} ms`);
    if (!(outcome.e2eP95Ms <= SLO.endToEndP95Ms) || load.acceptedIds.length < load.offered) break;
    best = rate;
  }
  return { rate: best, steps };
}
