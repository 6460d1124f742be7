import { adminRead } from './admin-read';
import { duplicateStorm } from './duplicate-storm';
import { breakpoint, load, smoke, soak, spike, stress } from './registration-load';
import type { Scenario } from './scenario';

export type { Scenario, ScenarioContext, ScenarioOptions } from './scenario';

/** Every scenario by name, in the order `--list` shows them. */
export const SCENARIOS: Readonly<Record<string, Scenario>> = Object.fromEntries(
  [smoke, load, spike, stress, breakpoint, soak, duplicateStorm, adminRead].map((s) => [s.name, s]),
);

/** What `npm run tournament` runs by default: bounded (a few minutes), soak and stress left to on-demand runs. */
export const TOURNAMENT_SET = ['smoke', 'load', 'spike', 'duplicate-storm', 'admin-read', 'breakpoint'] as const;
