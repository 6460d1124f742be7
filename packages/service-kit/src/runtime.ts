import { HTTP_LISTEN_BACKLOG, RUNTIME_ENV } from '@scalefu/contracts';
import type { Kafka } from 'kafkajs';
import type { ReadinessCheck } from './http/readiness';
import { createHttpServer, type HttpServerOptions, type ScaleFuHttpServer } from './http/server';
import { createKafka } from './kafka/client';
import type { ConsumerRunner, RetryPolicy } from './kafka/consumer-runner';
import { EventProducer } from './kafka/producer';
import { ServiceLifecycle } from './lifecycle';
import { createLogger, type Logger } from './logger';
import { ServiceMetrics } from './metrics';
import { createPostgresPool, postgresReadiness, type PostgresPool } from './postgres/pool';
import { createRedis, redisReadiness, type Redis } from './redis/client';
import { loadTracingConfig } from './tracing/config';
import { flushTracing, startTracing } from './tracing/sdk';

/** What in-process tests may change in a consumer service without touching the environment. */
export interface ConsumerAppOverrides {
  readonly logger?: Logger;
  /** Consumer retry policy (tests use a short one). */
  readonly retry?: Partial<RetryPolicy>;
  /** Consumer group (tests use a unique one). @default consumerGroupOf(service) */
  readonly groupId?: string;
}

/** The base variables every service config has (see `baseConfigProperties`). */
export interface BaseConfig {
  readonly PORT: number;
  readonly LOG_LEVEL: string;
  readonly SHUTDOWN_TIMEOUT_SECONDS: number;
  readonly SHUTDOWN_DRAIN_SECONDS: number;
}

type Env<K extends string, T> = { readonly [P in K]: T };
export type KafkaConfig = Env<typeof RUNTIME_ENV.kafkaBrokers, string> &
  Env<typeof RUNTIME_ENV.kafkaSsl, boolean> &
  Partial<
    Env<
      typeof RUNTIME_ENV.kafkaSslCaFile | typeof RUNTIME_ENV.kafkaSaslUsername | typeof RUNTIME_ENV.kafkaSaslPassword,
      string
    >
  >;
export type RedisConfig = Env<typeof RUNTIME_ENV.redisUrl | typeof RUNTIME_ENV.redisSentinelMaster, string> &
  Partial<Env<typeof RUNTIME_ENV.redisTls, boolean>> &
  Partial<
    Env<
      typeof RUNTIME_ENV.redisSentinels | typeof RUNTIME_ENV.redisPassword | typeof RUNTIME_ENV.redisTlsCaFile,
      string
    >
  >;
export type PostgresConfig = Env<typeof RUNTIME_ENV.databaseUrl, string> & { readonly PG_POOL_MAX: number };

/**
 * A service's shared plumbing, built the one way: logger, metrics and lifecycle, and clients built from the typed
 * config (so a new setting such as Redis Sentinel reaches every service at once). Each `connect*`/`serve` registers
 * its stop step, so shutdown runs in reverse: HTTP, consumers, producer, then the stores.
 */
export class ServiceRuntime {
  readonly logger: Logger;
  readonly metrics: ServiceMetrics;
  readonly lifecycle: ServiceLifecycle;
  private readonly readiness: ReadinessCheck[] = [];

  constructor(
    readonly service: string,
    readonly config: BaseConfig,
    logger?: Logger,
  ) {
    this.logger = logger ?? createLogger({ service, level: config.LOG_LEVEL });
    this.metrics = new ServiceMetrics(service);
    this.lifecycle = new ServiceLifecycle(this.logger, config.SHUTDOWN_TIMEOUT_SECONDS * 1000);
    // A no-op when `--import @scalefu/service-kit/register` started it (then pg and ioredis are instrumented too);
    // in-process tests get trace context and Kafka spans this way.
    startTracing(loadTracingConfig(), service);
    // Registered first so it runs last: spans of the final requests and records are exported before exit.
    this.lifecycle.onStop('tracing', flushTracing);
  }

  /** Readiness checks gathered from everything connected so far (pass to `createHttpServer`). */
  get readinessChecks(): readonly ReadinessCheck[] {
    return this.readiness;
  }

  addReadinessCheck(check: ReadinessCheck): void {
    this.readiness.push(check);
  }

  async connectRedis(config: RedisConfig): Promise<Redis> {
    const redis = createRedis(
      {
        url: config[RUNTIME_ENV.redisUrl],
        connectionName: this.service,
        sentinelMaster: config[RUNTIME_ENV.redisSentinelMaster],
        ...(config[RUNTIME_ENV.redisSentinels] ? { sentinels: config[RUNTIME_ENV.redisSentinels] } : {}),
        ...(config[RUNTIME_ENV.redisPassword] ? { password: config[RUNTIME_ENV.redisPassword] } : {}),
        ...(config[RUNTIME_ENV.redisTls] ? { tls: true } : {}),
        ...(config[RUNTIME_ENV.redisTlsCaFile] ? { tlsCaFile: config[RUNTIME_ENV.redisTlsCaFile] } : {}),
      },
      this.logger,
    );
    await redis.connect();
    this.lifecycle.onStop('redis', async () => void (await redis.quit().catch(() => redis.disconnect())));
    this.readiness.push(redisReadiness(redis));
    return redis;
  }

  connectPostgres(config: PostgresConfig): PostgresPool {
    const pool = createPostgresPool(
      { url: config[RUNTIME_ENV.databaseUrl], max: config.PG_POOL_MAX, applicationName: this.service },
      this.logger,
    );
    this.lifecycle.onStop('postgres', () => pool.end());
    this.readiness.push(postgresReadiness(pool));
    return pool;
  }

  /** The Kafka client and a connected idempotent producer (consumers also need it for retry/DLQ hand-over). */
  async connectKafka(config: KafkaConfig): Promise<{ kafka: Kafka; producer: EventProducer }> {
    const kafka = createKafka(
      {
        brokers: config[RUNTIME_ENV.kafkaBrokers],
        clientId: this.service,
        ssl: config[RUNTIME_ENV.kafkaSsl],
        ...(config[RUNTIME_ENV.kafkaSslCaFile] ? { sslCaFile: config[RUNTIME_ENV.kafkaSslCaFile] } : {}),
        ...(config[RUNTIME_ENV.kafkaSaslUsername] ? { saslUsername: config[RUNTIME_ENV.kafkaSaslUsername] } : {}),
        ...(config[RUNTIME_ENV.kafkaSaslPassword] ? { saslPassword: config[RUNTIME_ENV.kafkaSaslPassword] } : {}),
      },
      this.logger,
    );
    const producer = new EventProducer(kafka, this.logger, { metrics: this.metrics });
    await producer.connect();
    this.lifecycle.onStop('kafka-producer', () => producer.disconnect());
    this.readiness.push(producer.readinessCheck());
    return { kafka, producer };
  }

  /** The service's HTTP server with the kit's defaults and every readiness check registered so far. */
  createHttpServer(
    options: Partial<Omit<HttpServerOptions, 'service' | 'logger' | 'metrics'>> = {},
  ): Promise<ScaleFuHttpServer> {
    return createHttpServer({
      service: this.service,
      logger: this.logger,
      metrics: this.metrics,
      ...options,
      readinessChecks: [...this.readiness, ...(options.readinessChecks ?? [])],
    });
  }

  /**
   * Listen (on the configured port unless told otherwise; 0 picks a free one) and return the URL; on stop, turn
   * unready first, then stop accepting and drain.
   */
  async serve(server: ScaleFuHttpServer, listen: { port?: number; host?: string } = {}): Promise<string> {
    // Stop steps run last-registered first: unready, wait for endpoints to drop us, then close and drain.
    // `close` is registered before listening so a failed listen (port taken) still releases the server.
    this.lifecycle.onStop('http', () => server.close());
    const url = await server.listen({
      host: listen.host ?? '0.0.0.0',
      port: listen.port ?? this.config.PORT,
      backlog: HTTP_LISTEN_BACKLOG,
    });
    const drainMs = this.config.SHUTDOWN_DRAIN_SECONDS * 1000;
    if (drainMs > 0) this.lifecycle.onStop('drain', () => new Promise((resolve) => setTimeout(resolve, drainMs)));
    this.lifecycle.onStop('readiness', async () => server.markShuttingDown());
    return url;
  }

  /** Start consuming (its readiness joins the server's checks); on stop, finish and commit the records in hand. */
  async consume(runner: ConsumerRunner): Promise<void> {
    await runner.start();
    this.lifecycle.onStop('kafka-consumer', () => runner.stop());
  }
}
