import swagger, { type SwaggerOptions } from '@fastify/swagger';
import { API_WIDE_RULES, SERVICES } from '@scalefu/contracts';
import type { ScaleFuHttpServer } from '@scalefu/service-kit';
import { fileURLToPath } from 'node:url';

export const OPENAPI_PATH = '/openapi.json';
/** The committed document; `npm run openapi -w @scalefu/onboarder` rewrites it, a test fails when it drifts. */
export const OPENAPI_FILE = fileURLToPath(new URL('../openapi.json', import.meta.url));

const options: SwaggerOptions = {
  openapi: {
    openapi: '3.1.0',
    info: {
      title: 'ScaleFu onboarder',
      version: '1.0.0',
      description: `${SERVICES.onboarder.description}. ${API_WIDE_RULES} Generated from the route schemas by \`npm run openapi -w @scalefu/onboarder\`; do not edit by hand.`,
    },
    servers: [{ url: `http://127.0.0.1:${SERVICES.onboarder.port}`, description: 'local stack' }],
    tags: [{ name: 'registration', description: 'public registration API' }],
  },
};

/** Collect route schemas into an OpenAPI document; call before the routes are registered. */
export async function registerOpenApi(app: ScaleFuHttpServer): Promise<void> {
  await app.register(swagger, options);
}

/** Serve the document built from the registered routes; call after them. */
export function serveOpenApi(app: ScaleFuHttpServer): void {
  app.get(OPENAPI_PATH, { schema: { hide: true }, logLevel: 'warn' }, async () => app.swagger());
}

/** The served document as text (the writer formats it with prettier before committing). */
export function openApiText(app: ScaleFuHttpServer): string {
  return `${JSON.stringify(app.swagger(), null, 2)}\n`;
}
