import { format, resolveConfig } from 'prettier';
import { buildInMemoryServer } from './in-memory-server';
import { OPENAPI_PATH } from './server';

/** Where the committed copy lives. */
export const OPENAPI_FILE = new URL('../openapi.json', import.meta.url);

/** The document exactly as `GET /openapi.json` serves it, formatted as the repo's Prettier config formats JSON. */
export async function renderOpenApi(): Promise<string> {
  // No database, Redis or secret: the document depends on none of them.
  const { server } = await buildInMemoryServer();
  try {
    const response = await server.inject({ method: 'GET', url: OPENAPI_PATH });
    if (response.statusCode !== 200) throw new Error(`${OPENAPI_PATH} answered ${response.statusCode}`);
    const options = (await resolveConfig(OPENAPI_FILE)) ?? {};
    return format(JSON.stringify(response.json()), { ...options, parser: 'json' });
  } finally {
    await server.close();
  }
}
