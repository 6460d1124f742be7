import { format, resolveConfig } from 'prettier';
import { RUNTIME_ENV } from '@scalefu/contracts';
import { ServiceMetrics, createLogger, rotateKeySet, type PostgresPool } from '@scalefu/service-kit';
import type { Redis } from 'ioredis';
import { authDepsOf } from './auth-deps';
import { SERVICE, loadUserConfig } from './config';
import { OPENAPI_PATH, buildServer } from './server';

/** A pool that refuses to be used: rendering the document must not need a database. */
const noDatabase = new Proxy({} as PostgresPool, {
  get() {
    throw new Error('the OpenAPI renderer must not touch the database');
  },
});

/** Nor Redis. */
const noRedis = new Proxy({} as Redis, {
  get() {
    throw new Error('the OpenAPI renderer must not touch Redis');
  },
});

/** Where the committed copy lives. */
export const OPENAPI_FILE = new URL('../openapi.json', import.meta.url);

/** The document exactly as `GET /openapi.json` serves it, formatted as the repo's Prettier config formats JSON. */
export async function renderOpenApi(): Promise<string> {
  const logger = createLogger({ service: SERVICE, level: 'silent' });
  // A throw-away key set and defaults: the document depends on no secret and no environment.
  const config = loadUserConfig({
    [RUNTIME_ENV.nationalIdHmacKey]: 'x'.repeat(32),
    [RUNTIME_ENV.jwtSigningKey]: JSON.stringify(rotateKeySet(undefined)),
  });
  const server = await buildServer({
    logger,
    metrics: new ServiceMetrics(SERVICE),
    deps: { pool: noDatabase, nationalIdHmacKey: 'x'.repeat(32) },
    auth: authDepsOf(config, noDatabase, noRedis, logger),
  });
  try {
    const response = await server.inject({ method: 'GET', url: OPENAPI_PATH });
    if (response.statusCode !== 200) throw new Error(`${OPENAPI_PATH} answered ${response.statusCode}`);
    const options = (await resolveConfig(OPENAPI_FILE)) ?? {};
    return format(JSON.stringify(response.json()), { ...options, parser: 'json' });
  } finally {
    await server.close();
  }
}
