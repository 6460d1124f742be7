import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { OPENAPI_FILE, renderOpenApi } from './openapi';

test('the committed openapi.json equals what GET /openapi.json serves (regenerate: npm run openapi -w @scalefu/user)', async () => {
  const committed = await readFile(OPENAPI_FILE, 'utf8');
  assert.equal(committed, await renderOpenApi());
});

test('the OpenAPI document describes every admin operation', async () => {
  const document = JSON.parse(await renderOpenApi()) as { paths: Record<string, Record<string, unknown>> };
  assert.deepEqual(Object.keys(document.paths['/api/v1/users'] ?? {}).sort(), ['get', 'post']);
  assert.deepEqual(Object.keys(document.paths['/api/v1/users/{userID}'] ?? {}).sort(), [
    'delete',
    'get',
    'patch',
    'put',
  ]);
});
