import { duplicateVariants, registerUrl } from '../requests/registrations';
import { jsonPost } from '../engine/targets';
import { THRESHOLDS } from '../thresholds';
import type { Scenario } from './scenario';

/**
 * N registrations of one person at once, written through case, Unicode (fullwidth) and format variants of the
 * e-mail, phone and national ID: dedup must let exactly one through and answer the rest 409, never 5xx.
 */
export const duplicateStorm: Scenario = {
  name: 'duplicate-storm',
  description: '--rate N registrations of one person at once through case, Unicode and format variants: one 201',
  defaults: { rate: 50, durationSeconds: 1 },
  stages: ({ rate }) => [{ label: 'storm', rate: 0, durationSeconds: 5, workers: rate, count: rate }],
  targets: async ({ baseUrl, factory }) => {
    const url = registerUrl(baseUrl);
    const variants = duplicateVariants(factory.registration(), 1_000);
    return variants.map((v) => jsonPost(url, v))[Symbol.iterator]();
  },
  thresholds: [THRESHOLDS.exactlyOneCreated, THRESHOLDS.availability, THRESHOLDS.noneLost, THRESHOLDS.noneDoubled],
  followsRegistrations: true,
};
