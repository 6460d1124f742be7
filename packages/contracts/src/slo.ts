/** Service levels from the seeds (ARCHITECTURE §9): benchmarks, k6 thresholds, alerts and dashboards read these. */
export const SLO = {
  /** Request received -> durable Kafka ack, p99. */
  ingestP99Ms: 50,
  /** Command consumed -> user stored and event published. */
  processingMs: 200,
  /** Accepted -> CONFIRMED, p95 and p99. */
  endToEndP95Ms: 500,
  endToEndP99Ms: 1000,
  /** Availability objective of the public register endpoint (non-5xx share) over 30 days. */
  availability: 0.999,
} as const;

/** Public rate limit default (ARCHITECTURE §3). */
export const PUBLIC_RATE_LIMIT = { max: 100, windowMs: 60_000 } as const;

/** Largest accepted request body on public endpoints. */
export const PUBLIC_BODY_LIMIT_BYTES = 16 * 1024;
