import { format, resolveConfig } from 'prettier';
import { ServiceMetrics, createLogger, type PostgresPool } from '@scalefu/service-kit';
import { SERVICE } from './config';
import { OPENAPI_PATH, buildServer } from './server';

/** A pool that refuses to be used: rendering the document must not need a database. */
const noDatabase = new Proxy({} as PostgresPool, {
  get() {
    throw new Error('the OpenAPI renderer must not touch the database');
  },
});

/** Where the committed copy lives. */
export const OPENAPI_FILE = new URL('../openapi.json', import.meta.url);

/** The document exactly as `GET /openapi.json` serves it, formatted as the repo's Prettier config formats JSON. */
export async function renderOpenApi(): Promise<string> {
  const server = await buildServer({
    logger: createLogger({ service: SERVICE, level: 'silent' }),
    metrics: new ServiceMetrics(SERVICE),
    deps: { pool: noDatabase, nationalIdHmacKey: 'x'.repeat(32) },
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
