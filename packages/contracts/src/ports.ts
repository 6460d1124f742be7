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
  maildevWeb: { port: 1080, env: 'MAILDEV_WEB_PORT' },
  prometheus: { port: 9090, env: 'PROMETHEUS_PORT' },
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
