/**
 * Purpose: regenerate apps/onboarder/openapi.json from the route schemas (the committed OpenAPI document).
 * Prerequisites: none — the server is built with inert dependencies and never listens or connects.
 * Usage: npm run openapi -w @scalefu/onboarder
 */
import { ServiceMetrics, createLogger } from '@scalefu/service-kit';
import { writeFile } from 'node:fs/promises';
import { format, resolveConfig } from 'prettier';
import { SERVICE } from './config';
import { OPENAPI_FILE, openApiText } from './openapi';
import { buildServer } from './server';

const unused = async (): Promise<never> => {
  throw new Error('not available while writing the OpenAPI document');
};

const server = await buildServer({
  logger: createLogger({ service: SERVICE, level: 'silent' }),
  metrics: new ServiceMetrics(SERVICE),
  reservations: { reserve: unused, release: unused, status: unused },
  rateLimiter: { hit: unused },
  producer: { publish: unused },
  nationalIdHmacKey: 'x'.repeat(32),
  trustedProxies: false,
  readinessChecks: [],
});
// Formatted like every other file in the repo, so `prettier --check` passes; the drift test compares parsed JSON.
await writeFile(
  OPENAPI_FILE,
  await format(openApiText(server), { ...(await resolveConfig(OPENAPI_FILE)), parser: 'json', filepath: OPENAPI_FILE }),
);
await server.close();
console.log(`wrote ${OPENAPI_FILE}`);
