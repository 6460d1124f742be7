import { AUTH_ROUTES, INFRA_PORTS, RUNTIME_ENV, localEdgeOrigin } from '@scalefu/contracts';
import { createLogger } from '@scalefu/service-kit';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createAccount } from '../../apps/user/src/admin-cli/commands';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { edgeRequest, type EdgeResponse } from '../../scripts/edge/client';
import { stackDirs } from '../../scripts/lib/paths';
import { ProcessSupervisor } from '../../scripts/lib/process-supervisor';
import { startEdgeComponent, type RunningEdgeComponent } from '../../scripts/lib/stack/edge';
import { Pipeline, eventually, serviceUrl, uniqueEmail, uniquePhone } from '../e2e/pipeline';

// The local edge as `npm start` runs it (its own process on the pinned Node, TLS from the stack's local CA) in front
// of the onboarder and the user service as real processes; every request goes over HTTPS trusting only that CA.
const offset = Number(process.env['SCALEFU_PORT_OFFSET'] ?? 10000);
const httpsPort = INFRA_PORTS.edgeHttps.port + offset;
const httpPort = INFRA_PORTS.edgeHttp.port + offset;
const WEB = localEdgeOrigin('web', httpsPort);
const API = localEdgeOrigin('api', httpsPort);
const ADMIN_API = localEdgeOrigin('adminApi', httpsPort);

const pipeline = new Pipeline();
const silentLogger = createLogger({ service: 'edge-test', level: 'silent' });
const dirs = stackDirs(process.env['SCALEFU_TEST_STACK_NAME'] ?? 'test');
const supervisor = new ProcessSupervisor(dirs.root);
let edge: RunningEdgeComponent;
let ca: string;

before(async () => {
  const cors = { [RUNTIME_ENV.corsAllowedOrigins]: WEB };
  await Promise.all([pipeline.start('onboarder', cors), pipeline.start('user', cors)]);
  edge = await startEdgeComponent(
    { dirs, supervisor },
    { httpsPort, httpPort, upstreams: { onboarder: serviceUrl('onboarder'), user: serviceUrl('user') } },
  );
  ca = readFileSync(edge.tls.caCert, 'utf8');
});

after(async () => {
  await edge?.stop();
  await pipeline.stopAll();
});

const json = (r: EdgeResponse) => JSON.parse(r.body) as Record<string, unknown> & { data?: Record<string, unknown> };

test('registers over HTTPS on the API host and reads the status at the Location it answers', async () => {
  const response = await edgeRequest(`${API}/api/v1/register`, {
    ca,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Tigress', email: uniqueEmail('edge'), phoneNumber: uniquePhone() }),
  });
  assert.equal(response.status, 201, response.body);
  const location = response.headers['location'];
  assert.match(String(location), /^\/api\/v1\/registrations\//);
  const status = await eventually('status through the edge', async () => {
    const r = await edgeRequest(`${API}${location}`, { ca });
    return r.status === 200 ? json(r) : undefined;
  });
  assert.equal(status.data?.['userID'], json(response).data?.['userID']);
  assert.ok(['ACCEPTED', 'CREATED', 'CONFIRMED'].includes(String(status.data?.['registrationStatus'])));
});

test('keeps each API on its own host, and the admin API closed to anonymous callers', async () => {
  assert.equal((await edgeRequest(`${ADMIN_API}/api/v1/users?limit=1`, { ca })).status, 401, 'sign-in required');
  assert.equal((await edgeRequest(`${API}/api/v1/users`, { ca })).status, 404, 'admin API is not on the public host');
  assert.equal((await edgeRequest(`${ADMIN_API}/metrics`, { ca })).status, 404, 'operational endpoints stay private');
  assert.equal((await edgeRequest(`${ADMIN_API}/api/v1/usersx`, { ca })).status, 404, 'prefixes match by segment');
});

test('signs in on the admin API host and lists users with the access token, masked for a viewer', async () => {
  const pool = new pg.Pool({ connectionString: process.env[RUNTIME_ENV.databaseUrl], max: 1 });
  const email = `edge-viewer-${Date.now().toString(36)}@example.com`;
  const password = `edge ${randomBytes(12).toString('base64url')}`;
  try {
    await createAccount(pool, silentLogger, { email, role: 'viewer', password });
  } finally {
    await pool.end();
  }
  const login = await edgeRequest(`${ADMIN_API}${AUTH_ROUTES.login}`, {
    ca,
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: WEB },
    body: JSON.stringify({ email, password }),
  });
  assert.equal(login.status, 200, login.body);
  const token = String(json(login).data?.['accessToken'] ?? '');
  assert.match(token, /^ey/, 'a viewer without MFA gets its access token at login');
  assert.match(String(login.headers['set-cookie']), /HttpOnly/i, 'the refresh token comes as an HttpOnly cookie');
  const users = await edgeRequest(`${ADMIN_API}/api/v1/users?limit=5`, {
    ca,
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(users.status, 200, users.body);
  const listed = (json(users).data as { users: { email: string }[] }).users;
  assert.ok(listed.length > 0, 'the test stack has users (the register test made one)');
  assert.ok(
    listed.every((u) => /^.\*{3,}@/.test(u.email)),
    `a viewer sees masked e-mails: ${listed.map((u) => u.email).join(', ')}`,
  );
});

test('redirects plain HTTP to the same host and path on HTTPS', async () => {
  const response = await edgeRequest(`http://api.scalefu.localhost:${httpPort}/api/v1/registrations/x?y=1`);
  assert.equal(response.status, 301);
  assert.equal(response.headers['location'], `${API}/api/v1/registrations/x?y=1`);
  // A browser that learnt HSTS asks https:// on the redirect port: the port speaks TLS too.
  const upgraded = await edgeRequest(`https://api.scalefu.localhost:${httpPort}/api/v1/register`, { ca });
  assert.equal(upgraded.status, 405, 'GET /api/v1/register reached the onboarder over TLS');
});

test('answers a method a path does not serve as the service does: 405 with Allow, TRACE included', async () => {
  // nginx refuses TRACE on its own (a bare 405); the edge hands it to the route's service like every other method.
  for (const method of ['TRACE', 'QUERY', 'DELETE']) {
    const response = await edgeRequest(`${API}/api/v1/register`, { ca, method });
    assert.equal(response.status, 405, method);
    assert.equal(response.headers['allow'], 'OPTIONS, POST', method);
    assert.equal(json(response)['code'], 'METHOD_NOT_ALLOWED', method);
    assert.equal(response.headers['strict-transport-security'], 'max-age=31536000', method);
  }
  const status = await edgeRequest(`${API}/api/v1/registrations/0`, { ca, method: 'TRACE' });
  assert.equal(status.status, 405);
  assert.match(String(status.headers['allow']), /\bGET\b/);
  const unrouted = await edgeRequest(`${API}/metrics`, { ca, method: 'TRACE' });
  assert.equal(unrouted.status, 404, 'a path no route names stays 404 whatever the method');
});

test('serves the admin web with HSTS, a strict CSP and the other security headers', async () => {
  const page = await edgeRequest(`${WEB}/`, { ca });
  assert.equal(page.status, 200);
  assert.match(String(page.headers['content-type']), /text\/html/);
  assert.equal(page.headers['strict-transport-security'], 'max-age=31536000');
  const csp = String(page.headers['content-security-policy']);
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.ok(csp.includes(`connect-src 'self' ${API} ${ADMIN_API}`), csp);
  assert.equal(page.headers['x-content-type-options'], 'nosniff');
  assert.ok(page.headers['x-frame-options']);
  const api = await edgeRequest(`${API}/api/v1/registrations/0`, { ca });
  assert.equal(api.headers['strict-transport-security'], 'max-age=31536000');
  assert.equal(api.headers['x-content-type-options'], 'nosniff');
});

test('grants CORS with credentials to the admin web origin only, as production does across hosts', async () => {
  const preflight = (origin: string) =>
    edgeRequest(`${ADMIN_API}/api/v1/users`, {
      ca,
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
  const allowed = await preflight(WEB);
  assert.equal(allowed.status, 204);
  assert.equal(allowed.headers['access-control-allow-origin'], WEB);
  assert.equal(allowed.headers['access-control-allow-credentials'], 'true');
  const read = await edgeRequest(`${ADMIN_API}/api/v1/users?limit=1`, { ca, headers: { origin: WEB } });
  assert.equal(read.headers['access-control-allow-origin'], WEB);
  assert.equal(read.headers['access-control-allow-credentials'], 'true');

  for (const other of ['https://evil.example', API, `https://app.scalefu.localhost:${httpsPort + 1}`]) {
    const refused = await preflight(other);
    assert.equal(refused.headers['access-control-allow-origin'], undefined, other);
    assert.equal(refused.headers['access-control-allow-credentials'], undefined, other);
    const get = await edgeRequest(`${ADMIN_API}/api/v1/users?limit=1`, { ca, headers: { origin: other } });
    assert.equal(get.headers['access-control-allow-origin'], undefined, other);
  }
});

test('refuses a certificate check against anything but the local CA, and unknown hosts', async () => {
  await assert.rejects(edgeRequest(`${API}/api/v1/registrations/0`), /self-signed|unable to verify|certificate/i);
  const unknown = await edgeRequest(`https://127.0.0.1:${httpsPort}/`, {
    ca,
    headers: { host: 'localhost' },
  }).catch((error: Error) => error);
  // 127.0.0.1 is not a name on the certificate: the TLS check itself fails before any routing.
  assert.ok(unknown instanceof Error, 'no certificate is valid for 127.0.0.1');
});
