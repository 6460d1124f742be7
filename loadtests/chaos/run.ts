/**
 * One chaos scenario end to end: start the services, put steady load on the onboarder, inject the fault after a
 * warm-up, recover, keep the load on until enough registrations were acked around the fault, stop the load, and
 * check the invariant.
 */
import { SERVICE_NAMES } from '@scalefu/contracts';
import { checkInvariant, type InvariantReport } from './invariant';
import type { ChaosRig } from './rig';
import type { Scenario } from './scenarios';
import { SteadyLoad, type LoadTally } from './sender';

export interface ChaosOptions {
  /** Registrations acked around the fault, at least. @default 500 */
  readonly minAcked?: number;
  /** Registrations started per second. @default 60 */
  readonly ratePerSecond?: number;
  /** How long recovery may take before the invariant is judged, ms. @default 120 000 */
  readonly recoveryTimeoutMs?: number;
}

export interface ChaosResult {
  readonly scenario: string;
  readonly note: string;
  readonly load: Omit<LoadTally, 'acked'>;
  readonly invariant: InvariantReport;
  readonly repeatedMailBound: number;
  readonly passed: boolean;
}

export async function runScenario(rig: ChaosRig, scenario: Scenario, options: ChaosOptions = {}): Promise<ChaosResult> {
  const minAcked = options.minAcked ?? 500;
  const rate = options.ratePerSecond ?? 60;
  for (const name of SERVICE_NAMES) await rig.startService(name, scenario.serviceEnv?.[name] ?? {});
  const load = new SteadyLoad({
    target: rig.onboarderUrl,
    ratePerSecond: rate,
    // Bounded: room to reach minAcked even when most requests of a long outage fail, and never above 10 min.
    maxRequests: minAcked * 6,
    maxDurationMs: 10 * 60_000,
  });
  let note: string;
  try {
    await load.untilAcked(Math.floor(minAcked / 3));
    note = await scenario.fault(rig, load);
  } catch (error) {
    await load.stop();
    throw error;
  }
  const recoveredAt = Date.now();
  // minAcked in all, and some after recovery too: the service must take new work, not only drain its backlog.
  await load.untilAcked(Math.max(minAcked, load.ackedCount + Math.floor(minAcked / 10)));
  const { acked, ...tally } = await load.stop();
  const invariant = await checkInvariant({
    db: rig.db,
    mailWebUrl: rig.mailWebUrl,
    acked,
    recoveredAt,
    timeoutMs: options.recoveryTimeoutMs ?? 120_000,
  });
  const bound = scenario.repeatedMailBound ?? 0;
  const passed =
    invariant.acked >= minAcked &&
    invariant.lost === 0 &&
    invariant.doubled === 0 &&
    invariant.differentMessages === 0 &&
    invariant.repeatedMails <= bound;
  return { scenario: scenario.name, note, load: tally, invariant, repeatedMailBound: bound, passed };
}

/** Two lines per scenario: the verdict with the figures, then the load's status counts. */
export function formatChaos(result: ChaosResult): string {
  const i = result.invariant;
  const recovered =
    i.recoveredAfterMs === undefined ? 'not recovered' : `recovered in ${(i.recoveredAfterMs / 1000).toFixed(1)} s`;
  return (
    `${result.passed ? 'PASS' : 'FAIL'} ${result.scenario} — ${i.acked} acked, ${i.stored} stored, ${i.confirmed} confirmed, ` +
    `${i.mailed} mailed: ${i.lost} lost, ${i.doubled} doubled, ${i.repeatedMails} repeated mails (bound ${result.repeatedMailBound}` +
    `, ${i.differentMessages} with another Message-ID); ${recovered}\n` +
    `       ${result.note}; load: ${result.load.sent} sent, statuses ${JSON.stringify(result.load.statuses)}, ${result.load.dropped} slots dropped`
  );
}
