import type { Stage } from '../engine/attack';
import type { VegetaTarget } from '../engine/targets';
import type { RegistrationFactory } from '../requests/registrations';
import type { Threshold } from '../thresholds';

/** The knobs `npm run load -- <scenario> --rate … --duration …` sets; each scenario reads them its own way. */
export interface ScenarioOptions {
  /** Requests a second of the base stage (for `duplicate-storm`: how many variants are sent at once). */
  readonly rate: number;
  /** Seconds of the base stage (for stepped scenarios: of each step). */
  readonly durationSeconds: number;
}

/** What a scenario's request generator may use. */
export interface ScenarioContext {
  /** Where public requests go (the onboarder, or the URL given with --target). */
  readonly baseUrl: string;
  /** The admin API (user service); absent with --target unless --admin-target is given. */
  readonly adminUrl?: string;
  /** The stack's Postgres, for scenarios that prepare data (admin accounts). */
  readonly databaseUrl?: string;
  readonly factory: RegistrationFactory;
}

/** One load scenario: its rate profile, its request generator and its thresholds (ARCHITECTURE §12). */
export interface Scenario {
  readonly name: string;
  /** One sentence, shown by `npm run load -- --list` and at the top of the report. */
  readonly description: string;
  readonly defaults: ScenarioOptions;
  /** The rate profile: constant-rate stages run back to back. */
  stages(options: ScenarioOptions): Stage[];
  /** Requests, generated lazily; one iterator serves every stage of the run. */
  targets(context: ScenarioContext): Promise<Iterator<VegetaTarget>>;
  /** Checked on the whole run; a breach fails the run (exit 99) and is named. */
  readonly thresholds: readonly Threshold[];
  /**
   * Checked after each stage (stress, breakpoint): the first breach ends the run there, and the report names the
   * last stage that held and the one that broke (the knee). A breach here is the expected outcome, not a failure.
   */
  readonly stopWhen?: readonly Threshold[];
  /** Follow the run's registrations to CONFIRMED in the rows and the mails (false for read-only scenarios). */
  readonly followsRegistrations: boolean;
}
