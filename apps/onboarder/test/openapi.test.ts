import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import type { OnboarderApp } from '../src/app';
import { OPENAPI_FILE, OPENAPI_PATH } from '../src/openapi';
import { startTestApp } from './helpers';

let app: OnboarderApp;
let baseUrl: string;
before(async () => ({ app, baseUrl } = await startTestApp()));
after(async () => app.stop());

test('serves exactly the committed OpenAPI document (run `npm run openapi -w @scalefu/onboarder` after a route change)', async () => {
  const served: unknown = await (await fetch(`${baseUrl}${OPENAPI_PATH}`)).json();
  const committed: unknown = JSON.parse(await readFile(OPENAPI_FILE, 'utf8'));
  assert.deepEqual(served, committed);
});

test('documents both public endpoints with their error answers', async () => {
  const doc = (await (await fetch(`${baseUrl}${OPENAPI_PATH}`)).json()) as {
    paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
  };
  const register = doc.paths['/api/v1/register']?.['post'];
  assert.ok(register, 'POST /api/v1/register documented');
  assert.deepEqual(Object.keys(register.responses).sort(), ['201', '400', '409', '413', '415', '429', '431', '503']);
  assert.ok(doc.paths['/api/v1/registrations/{userID}']?.['get'], 'GET /api/v1/registrations/{userID} documented');
});
