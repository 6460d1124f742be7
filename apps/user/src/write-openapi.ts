/**
 * Purpose: regenerate apps/user/openapi.json from the routes' schemas (the test `openapi.test.ts` fails when the
 *          committed file differs from what the server serves).
 * Prerequisites: none (no database or broker is touched).
 * Usage: npm run openapi -w @scalefu/user
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { OPENAPI_FILE, renderOpenApi } from './openapi';

const target = fileURLToPath(OPENAPI_FILE);
await writeFile(target, await renderOpenApi());
console.log(`wrote ${target}`);
