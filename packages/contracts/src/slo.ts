/** Service levels from the seeds (ARCHITECTURE §9): benchmarks, load-test thresholds, alerts and dashboards read these. */
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

/**
 * Proxy hops in front of the public API in the clusters: Google's front end (the socket peer) and the load
 * balancer's own address, which it appends to X-Forwarded-For. The client is the entry before them; anything
 * further left is client-supplied and never trusted.
 */
export const CLUSTER_TRUSTED_PROXY_HOPS = 2;

/** Largest accepted request body on public endpoints. */
export const PUBLIC_BODY_LIMIT_BYTES = 16 * 1024;

/**
 * How long a client may take to send a request (slowloris, slow bodies): the headers, then the whole request, and
 * how often the server looks for connections past those limits. Over them the connection gets 408 and is closed.
 */
export const HTTP_REQUEST_TIMEOUTS = { headersMs: 10_000, requestMs: 15_000, checkIntervalMs: 1_000 } as const;

/**
 * Connections a service's listening socket holds before it accepts them (the kernel caps it at `net.core.somaxconn`,
 * 4096 on current kernels). With Node's default of 511, a stall at 500/s brought hundreds of new connections at once:
 * the kernel dropped their handshakes, and clients waited 1–15 s to retry or got ECONNRESET (`npm run bench` counts
 * the drops).
 */
export const HTTP_LISTEN_BACKLOG = 4096;
