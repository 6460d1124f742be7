import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildHttpsEdge, buildRedirect, publicHostOf } from './server';
import { ensureEdgeTls } from './tls';

const PLACEHOLDER = fileURLToPath(new URL('./placeholder', import.meta.url));

test('maps Host headers to the public hosts, with or without a port, and nothing else', () => {
  assert.equal(publicHostOf('api.scalefu.localhost:8443'), 'api');
  assert.equal(publicHostOf('ADMIN-API.scalefu.localhost'), 'adminApi');
  assert.equal(publicHostOf('app.scalefu.localhost:1'), 'web');
  assert.equal(publicHostOf('localhost:8443'), undefined);
  assert.equal(publicHostOf('api.scalefu.localhost.evil.example'), undefined);
  assert.equal(publicHostOf(undefined), undefined);
});

test('the HTTP port redirects known hosts to the same path on HTTPS and refuses other hosts', async () => {
  const redirect = await buildRedirect({ httpsPort: 8443 });
  const moved = await redirect.inject({ url: '/api/v1/register?x=1', headers: { host: 'api.scalefu.localhost:8000' } });
  assert.equal(moved.statusCode, 301);
  assert.equal(moved.headers['location'], 'https://api.scalefu.localhost:8443/api/v1/register?x=1');
  const other = await redirect.inject({ url: '/', headers: { host: 'evil.example' } });
  assert.equal(other.statusCode, 421);
});

test('serves the admin web with its CSP and HSTS, the SPA fallback, and 404 for paths no route names', async () => {
  const tls = await ensureEdgeTls(mkdtempSync(path.join(tmpdir(), 'edge-tls-')));
  const edge = await buildHttpsEdge({
    httpsPort: 8443,
    httpPort: 8000,
    tls: { cert: readFileSync(tls.cert, 'utf8'), key: readFileSync(tls.key, 'utf8') },
    upstreams: {},
    webRoot: PLACEHOLDER,
  });
  const page = await edge.inject({ url: '/', headers: { host: 'app.scalefu.localhost:8443' } });
  assert.equal(page.statusCode, 200);
  assert.match(String(page.headers['content-security-policy']), /default-src 'none'/);
  assert.equal(page.headers['strict-transport-security'], 'max-age=31536000');
  const deepLink = await edge.inject({ url: '/admin/users/42', headers: { host: 'app.scalefu.localhost:8443' } });
  assert.equal(deepLink.statusCode, 200, 'a client-side route gets the index');
  assert.match(deepLink.body, /<html/);
  const api = await edge.inject({ url: '/metrics', headers: { host: 'api.scalefu.localhost:8443' } });
  assert.equal(api.statusCode, 404);
  assert.equal(api.headers['content-security-policy'], undefined, 'the CSP is the admin web’s only');
  const unknown = await edge.inject({ url: '/', headers: { host: '127.0.0.1:8443' } });
  assert.equal(unknown.statusCode, 421);
  assert.equal(unknown.headers['strict-transport-security'], undefined, 'never HSTS for shared loopback names');
  await edge.close();
});
