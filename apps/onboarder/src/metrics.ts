import { Counter, type Registry } from 'prom-client';

/** Outcome of one `POST /api/v1/register`, by what the client was told. */
export type RegistrationOutcome = 'accepted' | 'invalid' | 'duplicate' | 'rate_limited' | 'unavailable' | 'error';

/** Onboarder-specific counters beside the kit's RED histogram. */
export class OnboarderMetrics {
  readonly registrations: Counter<'outcome'>;
  readonly rateLimited: Counter<'route'>;

  constructor(registry: Registry) {
    this.registrations = new Counter({
      name: 'scalefu_onboarder_registrations_total',
      help: 'Registration requests by outcome (accepted, invalid, duplicate, rate_limited, unavailable, error)',
      labelNames: ['outcome'],
      registers: [registry],
    });
    this.rateLimited = new Counter({
      name: 'scalefu_onboarder_rate_limited_requests_total',
      help: 'Public requests refused with 429 by the per-client-IP limit, by route template',
      labelNames: ['route'],
      registers: [registry],
    });
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
