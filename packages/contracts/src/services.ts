/** Every ScaleFu workload, its local port and how it is driven. Ports are the local-stack defaults and the container ports. */
export const SERVICE_NAMES = ['onboarder', 'user', 'notifier', 'cache-updater'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export interface ServiceSpec {
  /** Service name; also the Kubernetes name, the Kafka client id and consumer group suffix. */
  readonly name: ServiceName;
  /** HTTP port for the API (if any) and the operational endpoints. */
  readonly port: number;
  /** Whether the service answers public or admin API traffic (scaled on CPU/RPS) or only consumes (scaled on lag). */
  readonly kind: 'http-api' | 'consumer';
  /** Env var that overrides the local port. */
  readonly portEnv: string;
  /** One line for humans. */
  readonly description: string;
}

export const SERVICES: Readonly<Record<ServiceName, ServiceSpec>> = {
  onboarder: {
    name: 'onboarder',
    port: 8080,
    kind: 'http-api',
    portEnv: 'ONBOARDER_PORT',
    description: 'public registration API: validates, dedups in Redis, publishes registration commands',
  },
  user: {
    name: 'user',
    port: 8081,
    kind: 'http-api',
    portEnv: 'USER_PORT',
    description: 'users store in Postgres, admin API, outbox relay',
  },
  notifier: {
    name: 'notifier',
    port: 8082,
    kind: 'consumer',
    portEnv: 'NOTIFIER_PORT',
    description: 'sends the confirmation e-mail for user.created',
  },
  'cache-updater': {
    name: 'cache-updater',
    port: 8083,
    kind: 'consumer',
    portEnv: 'CACHE_UPDATER_PORT',
    description: 'keeps the Redis user cache, registration status and dedup keys true',
  },
};

/** The static admin web (Next.js export); served by a static server locally and by GCS + Cloud CDN in GCP. */
export const ADMIN_WEB = { name: 'admin-web', port: 3000, portEnv: 'ADMIN_WEB_PORT' } as const;

/** Kafka consumer group of a service (reads its main topics). */
export function consumerGroupOf(service: ServiceName): string {
  return `scalefu.${service}`;
}

/** Consumer group that reads a service's retry topics, apart from the main group so a retry delay never blocks it. */
export function retryConsumerGroupOf(service: ServiceName): string {
  return `${consumerGroupOf(service)}.retry`;
}
