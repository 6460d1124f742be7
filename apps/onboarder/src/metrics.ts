import { METRICS } from '@scalefu/contracts';
import { counterOf, histogramOf } from '@scalefu/service-kit';
import type { Counter, Histogram, Registry } from 'prom-client';

/** Outcome of one `POST /api/v1/register`, by what the client was told. */
export type RegistrationOutcome = 'accepted' | 'invalid' | 'duplicate' | 'rate_limited' | 'unavailable' | 'error';

/** Onboarder-specific metrics beside the kit's RED histogram, from the contracts' metric facts. */
export class OnboarderMetrics {
  readonly registrations: Counter<'outcome'>;
  readonly rateLimited: Counter<'route'>;
  /** Request received -> command acked by Kafka, accepted registrations only (the ingest SLO). */
  readonly ingestDuration: Histogram<never>;
  /** Duplicates Redis caught, one count per conflicting field (`stage="redis"`). */
  readonly duplicates: Counter<'field' | 'stage'>;

  constructor(registry: Registry) {
    this.registrations = counterOf(registry, METRICS.registrations);
    this.rateLimited = counterOf(registry, METRICS.rateLimited);
    this.ingestDuration = histogramOf(registry, METRICS.ingestDuration);
    this.duplicates = counterOf(registry, METRICS.duplicates);
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
