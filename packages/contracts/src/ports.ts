/** Default local-stack ports of the infrastructure components (ARCHITECTURE §8). Each is overridable by its env var. */
export interface InfraPort {
  readonly port: number;
  readonly env: string;
}

export const INFRA_PORTS = {
  kafka: { port: 9092, env: 'KAFKA_PORT' },
  kafkaController: { port: 9093, env: 'KAFKA_CONTROLLER_PORT' },
  postgres: { port: 5432, env: 'POSTGRES_PORT' },
  redis: { port: 6379, env: 'REDIS_PORT' },
  smtp: { port: 1025, env: 'SMTP_PORT' },
  /** The SMTP catcher's web inbox and REST API (mailpit). */
  mailWeb: { port: 1080, env: 'MAIL_WEB_PORT' },
  prometheus: { port: 9090, env: 'PROMETHEUS_PORT' },
  /** Trace backend with a UI (Zipkin), ARCHITECTURE §8 wave 2. */
  zipkin: { port: 9411, env: 'ZIPKIN_PORT' },
  /** Local HTTPS edge: one origin layout like production's, TLS from a local CA. */
  edgeHttps: { port: 8443, env: 'EDGE_HTTPS_PORT' },
  /** Plain HTTP on the edge only redirects to HTTPS. */
  edgeHttp: { port: 8000, env: 'EDGE_HTTP_PORT' },
  /** The throw-away API server of `npm run cluster:check` / `cluster:diff` (loopback, only while a check runs). */
  kubeApiserver: { port: 6443, env: 'KUBE_APISERVER_PORT' },
  etcd: { port: 2379, env: 'ETCD_PORT' },
  etcdPeer: { port: 2380, env: 'ETCD_PEER_PORT' },
  /** Image registry (Debian's docker-registry) that `npm run release -- --dry-run` pushes to instead of Artifact Registry. */
  registry: { port: 5000, env: 'REGISTRY_PORT' },
  /** vegeta's Prometheus exporter while `npm run load` runs (the local Prometheus scrapes it; loopback only). */
  vegetaMetrics: { port: 8880, env: 'VEGETA_METRICS_PORT' },
} as const satisfies Record<string, InfraPort>;

export type InfraComponent = keyof typeof INFRA_PORTS;

/** In-cluster ports of the data stores (what NetworkPolicies open and clients dial). */
export const CLUSTER_PORTS = {
  kafkaTls: 9093,
  postgres: 5432,
  redis: 6379,
  redisSentinel: 26379,
  smtp: 587,
  dns: 53,
} as const;

/** The local stack's throw-away database (loopback only; real environments read theirs from Secret Manager). */
export const LOCAL_DATABASE = { user: 'scalefu', password: 'scalefu', name: 'scalefu' } as const;
export const LOCAL_DATABASE_URL = `postgres://${LOCAL_DATABASE.user}:${LOCAL_DATABASE.password}@127.0.0.1:${INFRA_PORTS.postgres.port}/${LOCAL_DATABASE.name}`;

/** Redis Sentinel master set name (the clusters' RedisFailover and every client agree on it). */
export const REDIS_SENTINEL_MASTER_SET = 'scalefu';
