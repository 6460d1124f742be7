/**
 * Where traces go and how many are kept (ARCHITECTURE §11). The kit's tracing, the local stack's trace backend and
 * the clusters' OpenTelemetry Collector all read these.
 */
export const TRACE_SAMPLING = {
  /** Locally every trace is kept, so one registration can always be followed. */
  localRatio: 1,
  /** In the clusters, the share of new root traces kept; parent-based, so a kept trace is never cut in half. */
  clusterRatio: 0.1,
} as const;

/** The clusters' OpenTelemetry Collector: services export OTLP over HTTP to it; it forwards to Cloud Trace. */
export const OTEL_COLLECTOR = {
  /** Service name of the collector in the monitoring namespace. */
  serviceName: 'otel-collector',
  namespace: 'monitoring',
  /** OTLP/HTTP receiver port. */
  otlpHttpPort: 4318,
} as const;

/** OTLP/HTTP traces endpoint of the clusters' collector, as the services are configured with it. */
export const OTEL_COLLECTOR_TRACES_URL = `http://${OTEL_COLLECTOR.serviceName}.${OTEL_COLLECTOR.namespace}.svc:${OTEL_COLLECTOR.otlpHttpPort}/v1/traces`;

/**
 * Prometheus job of the load generator's exporter (`vegeta attack -prometheus-addr`): the local Prometheus scrapes a
 * load run under it and the load-test dashboard selects it.
 */
export const LOAD_GENERATOR_SCRAPE_JOB = 'vegeta';
