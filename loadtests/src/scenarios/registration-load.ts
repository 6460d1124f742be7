import { registrationTargets } from '../requests/registrations';
import { THRESHOLDS } from '../thresholds';
import type { Scenario, ScenarioOptions } from './scenario';

const registrations: Pick<Scenario, 'targets' | 'followsRegistrations'> = {
  targets: async ({ baseUrl, factory }) => registrationTargets(baseUrl, factory),
  followsRegistrations: true,
};

/** The SLO set every steady registration scenario is held to. */
const SLO_THRESHOLDS = [
  THRESHOLDS.ingestP99,
  THRESHOLDS.availability,
  THRESHOLDS.endToEndP95,
  THRESHOLDS.endToEndP99,
  THRESHOLDS.noneLost,
  THRESHOLDS.noneDoubled,
];

/** A few seconds of registrations, every one followed to its mail: the pipeline works end to end. */
export const smoke: Scenario = {
  name: 'smoke',
  description: 'a few seconds of fresh registrations; every one must be accepted, stored, mailed and CONFIRMED',
  defaults: { rate: 5, durationSeconds: 3 },
  stages: ({ rate, durationSeconds }) => [{ label: 'smoke', rate, durationSeconds }],
  thresholds: [
    THRESHOLDS.allAccepted,
    THRESHOLDS.availability,
    THRESHOLDS.noneLost,
    THRESHOLDS.noneDoubled,
    THRESHOLDS.allConfirmed,
  ],
  ...registrations,
};

/** Steady registrations at the given rate, held to every SLO. */
export const load: Scenario = {
  name: 'load',
  description: 'steady fresh registrations at the given rate, held to the ingest, end-to-end and no-loss SLOs',
  defaults: { rate: 100, durationSeconds: 30 },
  stages: ({ rate, durationSeconds }) => [{ label: 'steady', rate, durationSeconds }],
  thresholds: SLO_THRESHOLDS,
  ...registrations,
};

/** The base rate, ten times that for 10 s, the base rate again: does the system absorb a burst and recover? */
export const spike: Scenario = {
  name: 'spike',
  description: 'base rate, then ×10 for 10 s, then the base rate again; nothing may be lost or doubled',
  defaults: { rate: 20, durationSeconds: 10 },
  stages: ({ rate, durationSeconds }) => [
    { label: 'before', rate, durationSeconds },
    { label: 'spike ×10', rate: rate * 10, durationSeconds: 10 },
    { label: 'after', rate, durationSeconds },
  ],
  thresholds: [THRESHOLDS.availability, THRESHOLDS.noneLost, THRESHOLDS.noneDoubled],
  ...registrations,
};

/** Steps of rate, rate×2, rate×3…, until the ingest p99 or availability breaks (at most 10 steps). */
export const stress: Scenario = {
  name: 'stress',
  description: 'steps up by the base rate each step until the ingest p99 or availability breaks (≤ 10 steps)',
  defaults: { rate: 50, durationSeconds: 15 },
  stages: ({ rate, durationSeconds }: ScenarioOptions) =>
    Array.from({ length: 10 }, (_, i) => ({ label: `step ${i + 1}`, rate: rate * (i + 1), durationSeconds })),
  thresholds: [THRESHOLDS.noneLost, THRESHOLDS.noneDoubled],
  stopWhen: [THRESHOLDS.ingestP99, THRESHOLDS.availability],
  ...registrations,
};

/** A ramp of +25 % a step until more than 1 % fail or p99 passes the SLO; reports the knee (at most 20 steps). */
export const breakpoint: Scenario = {
  name: 'breakpoint',
  description: 'ramps +25 % a step until over 1 % fail or p99 exceeds the ingest SLO, and reports the knee',
  defaults: { rate: 20, durationSeconds: 8 },
  stages: ({ rate, durationSeconds }) =>
    Array.from({ length: 20 }, (_, i) => ({
      label: `ramp ${i + 1}`,
      rate: Math.round(rate * 1.25 ** i),
      durationSeconds,
    })),
  thresholds: [THRESHOLDS.noneLost, THRESHOLDS.noneDoubled],
  stopWhen: [THRESHOLDS.breakpointErrors, THRESHOLDS.ingestP99],
  ...registrations,
};

/** The steady load for half an hour or more: leaks, growing lag, slow drift. On demand only (never in CI). */
export const soak: Scenario = {
  name: 'soak',
  description: 'steady registrations for 30 min (on demand): leaks, growing lag and drift show up here',
  defaults: { rate: 50, durationSeconds: 1800 },
  stages: ({ rate, durationSeconds }) => [{ label: 'soak', rate, durationSeconds }],
  thresholds: SLO_THRESHOLDS,
  ...registrations,
};
