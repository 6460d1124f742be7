import { SLO } from '@scalefu/contracts';
import { say } from '../console';
import { fmt } from './goals';
import { runOpenLoad } from './open-load';
import { awaitPipeline } from './outcome';
import { registrationBody } from './registrations';

/** Offered rates the search steps through, lowest first: 50/s apart where a 2-core box breaks; stretch goal 1,000/s. */
export const BREAKPOINT_STEPS = [50, 100, 150, 200, 250, 300, 400, 500, 750, 1000] as const;

/** The search narrows the gap between the last rate that held and the first that failed to within this (per second). */
export const BREAKPOINT_RESOLUTION = 50;

/** Pause before each narrowing probe: it follows a step that overloaded the stack, whose aftermath should pass first. */
export const BREAKPOINT_SETTLE_SECONDS = 10;

export interface BreakpointStep {
  readonly rate: number;
  readonly e2eP95Ms: number;
  readonly acked: number;
  readonly offered: number;
}

/**
 * The rate to try between one that held (`held`, 0 when none did) and one that failed, halfway and a multiple of 25/s;
 * undefined once they are `BREAKPOINT_RESOLUTION` or less apart.
 */
export function refinedRate(held: number, failed: number): number | undefined {
  if (failed - held <= BREAKPOINT_RESOLUTION) return undefined;
  return Math.round((held + failed) / 2 / 25) * 25;
}

/**
 * The highest rate that `holds`: up `BREAKPOINT_STEPS` to the first that fails, then halving the gap to the last that
 * held until it is `BREAKPOINT_RESOLUTION` or less. `beforeNarrowing` runs before each halving probe.
 */
export async function searchBreakpoint(
  holds: (rate: number) => Promise<boolean>,
  beforeNarrowing: () => Promise<void> = async () => undefined,
): Promise<number> {
  let held = 0;
  let failed: number | undefined;
  for (const rate of BREAKPOINT_STEPS) {
    if (!(await holds(rate))) {
      failed = rate;
      break;
    }
    held = rate;
  }
  if (failed === undefined) return held;
  for (let next = refinedRate(held, failed); next !== undefined; next = refinedRate(held, failed)) {
    await beforeNarrowing();
    if (await holds(next)) held = next;
    else failed = next;
  }
  return held;
}

/**
 * The highest offered rate at which accept→CONFIRMED p95 stays inside the SLO and every request is acked and
 * CONFIRMED (`searchBreakpoint`): each step runs `seconds` of open-model load and waits for the pipeline to drain.
 */
export async function findBreakpoint(options: {
  readonly url: string;
  readonly databaseUrl: string;
  readonly run: string;
  readonly seconds: number;
}): Promise<{ readonly rate: number; readonly steps: readonly BreakpointStep[] }> {
  const steps: BreakpointStep[] = [];
  let offset = 0;
  const holds = async (rate: number): Promise<boolean> => {
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
    const everyOneConfirmed = load.acceptedIds.length >= load.offered && outcome.confirmed >= load.acceptedIds.length;
    return outcome.e2eP95Ms <= SLO.endToEndP95Ms && everyOneConfirmed;
  };
  const settle = () => new Promise<void>((resolve) => setTimeout(resolve, BREAKPOINT_SETTLE_SECONDS * 1000));
  const rate = await searchBreakpoint(holds, settle);
  return { rate, steps };
}
