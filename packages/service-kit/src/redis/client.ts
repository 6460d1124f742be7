import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { REDIS_SENTINEL_MASTER_SET } from '@scalefu/contracts';
import { Redis, type RedisOptions } from 'ioredis';
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
  /**
   * TLS to Redis and, with `sentinels`, to the Sentinels too (a `rediss://` URL also turns it on without Sentinels).
   * The server's certificate is always verified, chain and host name. @default false
   */
  readonly tls?: boolean;
  /** PEM file of the CA the servers' certificates chain to (read once, at creation). @default Node's public roots */
  readonly tlsCaFile?: string;
}

/** ioredis' TLS options (Node's `tls.connect`), or none when TLS is off. */
function tlsOptions(settings: RedisSettings): ConnectionOptions | undefined {
  const tls = settings.tls || (!settings.sentinels && settings.url.startsWith('rediss://'));
  if (!tls) {
    if (settings.tlsCaFile) throw new Error('Redis: a TLS CA file was given but TLS is off');
    return undefined;
  }
  return settings.tlsCaFile ? { ca: [readFileSync(settings.tlsCaFile, 'utf8')] } : {};
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
  const tls = tlsOptions(settings);
  // Sentinel mode needs all three: `sentinelTLS` for the Sentinels, `tls` + `enableTLSForSentinelMode` for the primary
  // they name (ioredis dials it with `tls.connect`, verifying the announced host name).
  const sentinelTls: Partial<RedisOptions> = tls ? { sentinelTLS: tls, tls, enableTLSForSentinelMode: true } : {};
  const redis = settings.sentinels
    ? new Redis({
        ...common,
        sentinels: settings.sentinels.split(',').map((hostPort) => {
          const [host, port] = hostPort.split(':');
          return { host: host!, port: Number(port) };
        }),
        name: settings.sentinelMaster ?? REDIS_SENTINEL_MASTER_SET,
        role: 'master',
        ...sentinelTls,
        ...(settings.password ? { password: settings.password, sentinelPassword: settings.password } : {}),
      })
    : new Redis(settings.url, {
        ...common,
        ...(settings.password ? { password: settings.password } : {}),
        ...(tls ? { tls } : {}),
      });
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
