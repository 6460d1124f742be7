import { METRICS } from '@scalefu/contracts';
import { counterOf, histogramOf, startAtZero } from '@scalefu/service-kit';
import type { Counter, Histogram, Registry } from 'prom-client';

/** Outcome of one `POST /api/v1/register`, by what the client was told. */
export const REGISTRATION_OUTCOMES = [
  'accepted',
  'invalid',
  'duplicate',
  'rate_limited',
  'unavailable',
  'error',
] as const;
export type RegistrationOutcome = (typeof REGISTRATION_OUTCOMES)[number];
/** Identity fields a duplicate can be caught on (what a 409 names). */
export const DUPLICATE_FIELDS = ['email', 'phoneNumber', 'nationalId'] as const;

/** Onboarder-specific metrics beside the kit's RED histogram, from the contracts' metric facts. */
export class OnboarderMetrics {
  readonly registrations: Counter<'outcome'>;
  readonly rateLimited: Counter<'route'>;
  /** Request received -> command acked by Kafka, accepted registrations only (the ingest SLO). */
  readonly ingestDuration: Histogram<never>;
  /** Duplicates Redis caught, one count per conflicting field (`stage="redis"`). */
  readonly duplicates: Counter<'field' | 'stage'>;

  /** `limitedRoutes`: route templates behind the public rate limit, whose 429 counters start at 0. */
  constructor(registry: Registry, limitedRoutes: readonly string[] = []) {
    this.registrations = counterOf(registry, METRICS.registrations);
    this.rateLimited = counterOf(registry, METRICS.rateLimited);
    this.ingestDuration = histogramOf(registry, METRICS.ingestDuration);
    this.duplicates = counterOf(registry, METRICS.duplicates);
    startAtZero(
      this.registrations,
      REGISTRATION_OUTCOMES.map((outcome) => ({ outcome })),
    );
    startAtZero(
      this.rateLimited,
      limitedRoutes.map((route) => ({ route })),
    );
    startAtZero(
      this.duplicates,
      DUPLICATE_FIELDS.map((field) => ({ field, stage: 'redis' })),
    );
  }

  /** Map the status a registration request was answered with to its outcome. */
  static outcomeOf(statusCode: number): RegistrationOutcome {
    if (statusCode === 201) return 'accepted';
    if (statusCode === 409) return 'duplicate';
    if (statusCode === 429) return 'rate_limited';
    if (statusCode === 503) return 'unavailable';
    if (statusCode >= 400 && statusCode < 500) return 'invalid';
    return 'error';
  }
}
