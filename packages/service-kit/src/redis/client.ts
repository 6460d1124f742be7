import { REDIS_SENTINEL_MASTER_SET } from '@scalefu/contracts';
import { Redis } from 'ioredis';
import type { ReadinessCheck } from '../http/readiness';
import type { Logger } from '../logger';

export interface RedisSettings {
  /** `redis://[:password@]host:port[/db]`; used when no Sentinels are given. */
  readonly url: string;
  /** `host:port,host:port` of Sentinels; when set the client follows the elected primary across failovers. @default none */
  readonly sentinels?: string;
  /** Sentinel master set name. @default REDIS_SENTINEL_MASTER_SET */
  readonly sentinelMaster?: string;
  /** Password for Redis (and the Sentinels). @default from the URL, if any */
  readonly password?: string;
  /** Connection name shown in `CLIENT LIST`. */
  readonly connectionName: string;
}

/**
 * ioredis client that fails fast while Redis is down (no offline queue, one retry per command), so callers
 * answer 503 at once and `/readyz` turns unready, instead of requests piling up in memory.
 */
export function createRedis(settings: RedisSettings, logger: Logger): Redis {
  const common = {
    connectionName: settings.connectionName,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    commandTimeout: 2000,
    lazyConnect: true,
    retryStrategy: (times: number) => Math.min(times * 200, 2000),
  };
  const redis = settings.sentinels
    ? new Redis({
        ...common,
        sentinels: settings.sentinels.split(',').map((hostPort) => {
          const [host, port] = hostPort.split(':');
          return { host: host!, port: Number(port) };
        }),
        name: settings.sentinelMaster ?? REDIS_SENTINEL_MASTER_SET,
        role: 'master',
        ...(settings.password ? { password: settings.password, sentinelPassword: settings.password } : {}),
      })
    : new Redis(settings.url, { ...common, ...(settings.password ? { password: settings.password } : {}) });
  let lastErrorLogged = 0;
  redis.on('error', (error) => {
    if (Date.now() - lastErrorLogged > 5000) {
      lastErrorLogged = Date.now();
      logger.warn({ err: error }, 'redis connection error');
    }
  });
  return redis;
}

export function redisReadiness(redis: Redis): ReadinessCheck {
  return {
    name: 'redis',
    check: async () => {
      if ((await redis.ping()) !== 'PONG') throw new Error('unexpected PING reply');
    },
  };
}

export type { Redis };
