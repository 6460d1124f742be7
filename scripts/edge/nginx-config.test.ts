import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ensureNginx } from '../lib/stack/edge';
import { edgeRequest } from './client';
import { nginxEdgeConfig } from './nginx-config';
import { ensureEdgeTls } from './tls';
import { PLACEHOLDER } from './web-root';

// The generated configuration run by the real nginx (no services behind it): the edge's own answers — redirects,
// unknown hosts, the admin web's headers and SPA fallback, the 404 of unrouted paths — as the Node edge gives them.
const dir = mkdtempSync(path.join(tmpdir(), 'edge-nginx-'));
let ports: { https: number; http: number };
let ca: string;
let stop: () => void = () => {};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

before(async () => {
  const nginx = await ensureNginx();
  const tls = await ensureEdgeTls(path.join(dir, 'tls'));
  ca = readFileSync(tls.caCert, 'utf8');
  ports = { https: await freePort(), http: await freePort() };
  const config = path.join(dir, 'nginx.conf');
  const options = {
    httpsPort: ports.https,
    httpPort: ports.http,
    tls,
    upstreams: {},
    webRoot: PLACEHOLDER,
    runDir: dir,
  };
  writeFileSync(config, nginxEdgeConfig({ ...options, workers: 1 }));
  const child = spawn(nginx, ['-e', 'stderr', '-p', dir, '-c', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  stop = () => child.kill('SIGTERM');
  for (let i = 0; ; i++) {
    const up = await edgeRequest(`https://api.scalefu.localhost:${ports.https}/`, { ca }).catch(() => undefined);
    if (up) break;
    if (i > 50 || child.exitCode !== null) throw new Error(`nginx did not start: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
});
after(() => stop());

test('routes every prefix of the route table segment-wise, to upstreams kept alive', () => {
  const config = nginxEdgeConfig({
    httpsPort: 8443,
    httpPort: 8000,
    tls: { cert: '/c.pem', key: '/k.pem' },
    upstreams: { onboarder: 'http://127.0.0.1:8080', user: 'http://127.0.0.1:8081' },
    webRoot: PLACEHOLDER,
    runDir: '/tmp',
  });
  assert.match(config, /location = \/api\/v1\/users \{\n\s+proxy_pass http:\/\/scalefu_user;/);
  assert.match(config, /location \^~ \/api\/v1\/users\/ \{\n\s+proxy_pass http:\/\/scalefu_user;/);
  assert.match(config, /location = \/api\/v1\/register \{\n\s+proxy_pass http:\/\/scalefu_onboarder;/);
  assert.match(config, /server 127\.0\.0\.1:8080;\n\s+keepalive 128;/, 'upstream connections are kept alive');
  assert.doesNotMatch(config, /location \/api\/v1\/users \{/, 'a bare prefix would match /api/v1/usersx');
  assert.match(config, /listen 127\.0\.0\.1:8443 ssl http2;/, 'HTTP/2 offered, as production does');
  assert.match(config, /error_page 405 = @method_to_service;/, 'nginx’s own 405 (TRACE) goes to the service');
});

test('redirects plain HTTP on the redirect port to HTTPS for known hosts, and refuses other hosts', async () => {
  const moved = await edgeRequest(`http://api.scalefu.localhost:${ports.http}/api/v1/register?x=1`);
  assert.equal(moved.status, 301);
  assert.equal(moved.headers['location'], `https://api.scalefu.localhost:${ports.https}/api/v1/register?x=1`);
  const other = await edgeRequest(`http://127.0.0.1:${ports.http}/`);
  assert.equal(other.status, 421);
});

test('serves the admin web with its CSP and HSTS, the SPA fallback, and 404 for paths no route names', async () => {
  const web = `https://app.scalefu.localhost:${ports.https}`;
  const page = await edgeRequest(`${web}/`, { ca });
  assert.equal(page.status, 200);
  assert.match(String(page.headers['content-type']), /text\/html/);
  assert.match(String(page.headers['content-security-policy']), /default-src 'none'/);
  assert.equal(page.headers['strict-transport-security'], 'max-age=31536000');
  assert.equal(page.headers['x-frame-options'], 'SAMEORIGIN');
  const deepLink = await edgeRequest(`${web}/admin/users/42`, { ca });
  assert.equal(deepLink.status, 200, 'a client-side route gets the index');
  assert.match(deepLink.body, /<html/);
  const api = await edgeRequest(`https://api.scalefu.localhost:${ports.https}/metrics`, { ca });
  assert.equal(api.status, 404);
  assert.equal(JSON.parse(api.body).code, 'NOT_FOUND');
  assert.equal(api.headers['content-security-policy'], undefined, 'the CSP is the admin web’s only');
  assert.equal(api.headers['strict-transport-security'], 'max-age=31536000');
});

test('names the methods of static files in its own 405s, TRACE included, with the admin web’s headers', async () => {
  for (const method of ['TRACE', 'DELETE']) {
    const refused = await edgeRequest(`https://app.scalefu.localhost:${ports.https}/`, { ca, method });
    assert.equal(refused.status, 405, method);
    assert.equal(refused.headers['allow'], 'GET, HEAD', method);
    assert.match(String(refused.headers['content-security-policy']), /default-src 'none'/, method);
    assert.equal(refused.headers['strict-transport-security'], 'max-age=31536000', method);
  }
  const unrouted = await edgeRequest(`https://api.scalefu.localhost:${ports.https}/metrics`, { ca, method: 'TRACE' });
  assert.equal(unrouted.status, 404, 'TRACE goes through the routing like any method');
});

test('answers 421 without HSTS for a name that is not one of the edge’s hosts', async () => {
  const unknown = await edgeRequest(`https://api.scalefu.localhost:${ports.https}/`, {
    ca,
    headers: { host: '127.0.0.1' },
  });
  assert.equal(unknown.status, 421);
  assert.equal(unknown.headers['strict-transport-security'], undefined, 'never HSTS for shared loopback names');
});
