import { RUNTIME_ENV } from '@scalefu/contracts';
import { ServiceMetrics, createLogger, rotateKeySet, type PostgresPool } from '@scalefu/service-kit';
import type { Redis } from 'ioredis';
import { authDepsOf } from './auth-deps';
import { SERVICE, loadUserConfig } from './config';
import { buildServer } from './server';

/** A dependency that refuses to be used: what needs no database must prove it by not touching one. */
function refusing<T extends object>(what: string): T {
  return new Proxy({} as T, {
    get() {
      throw new Error(`this in-memory server must not touch ${what}`);
    },
  });
}

/**
 * The whole HTTP surface with no Postgres, Redis or Kafka behind it and a throw-away key set: for the OpenAPI
 * renderer and for route tests that prove a request is refused before any dependency is asked.
 */
export async function buildInMemoryServer(env: Readonly<Record<string, string>> = {}) {
  const logger = createLogger({ service: SERVICE, level: 'silent' });
  const config = loadUserConfig({
    [RUNTIME_ENV.nationalIdHmacKey]: 'x'.repeat(32),
    [RUNTIME_ENV.jwtSigningKey]: JSON.stringify(rotateKeySet(undefined)),
    [RUNTIME_ENV.mfaEncryptionKey]: '0'.repeat(64),
    ...env,
  });
  const pool = refusing<PostgresPool>('Postgres');
  const metrics = new ServiceMetrics(SERVICE);
  const auth = authDepsOf(config, pool, refusing<Redis>('Redis'), logger, metrics);
  const server = await buildServer({
    logger,
    metrics,
    deps: { pool, nationalIdHmacKey: config[RUNTIME_ENV.nationalIdHmacKey] },
    auth,
  });
  return { server, auth, config };
}
