import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Type } from 'typebox';
import { createLogger } from '../logger';
import { ServiceMetrics } from '../metrics';
import { jsonCharsetOf } from './json-charset';
import { createHttpServer } from './server';

const ADMIN_WEB = 'https://app.scalefu.localhost:8443';

async function server(allowedOrigins: string[] = [ADMIN_WEB]) {
  const app = await createHttpServer({
    service: 'test',
    logger: createLogger({ service: 'test', level: 'silent' }),
    metrics: new ServiceMetrics('test'),
    allowedOrigins,
  });
  app.post('/things', { schema: { body: Type.Object({ name: Type.String() }) } }, async (request) => ({
    status: 'success',
    data: request.body,
  }));
  app.get('/things/:id', async () => ({ status: 'success' }));
  app.delete('/things/:id', async () => ({ status: 'success' }));
  // A dummy cookie-authenticated endpoint, guarded the way refresh and logout are.
  app.post('/session/refresh', { onRequest: app.requireAllowedOrigin }, async () => ({ status: 'success' }));
  await app.ready();
  return app;
}

test('names the charset of JSON content types only', () => {
  assert.equal(jsonCharsetOf('application/json'), undefined);
  assert.equal(jsonCharsetOf('application/json; charset=UTF-16'), 'utf-16');
  assert.equal(jsonCharsetOf('application/problem+json;charset="latin1"'), 'latin1');
  assert.equal(jsonCharsetOf('text/plain; charset=utf-16'), undefined);
});

test('refuses a JSON body labelled with a charset other than UTF-8 with 415 and the envelope', async () => {
  const app = await server();
  for (const charset of ['utf-16', 'UTF-16LE', 'iso-8859-1', '"utf-32"', 'us-ascii']) {
    const response = await app.inject({
      method: 'POST',
      url: '/things',
      headers: { 'content-type': `application/json; charset=${charset}` },
      payload: '{"name":"x"}',
    });
    assert.equal(response.statusCode, 415, charset);
    assert.equal(response.json().code, 'UNSUPPORTED_MEDIA_TYPE');
    assert.equal(response.json().status, 'error');
  }
  for (const charset of ['utf-8', 'UTF-8', 'utf8']) {
    const response = await app.inject({
      method: 'POST',
      url: '/things',
      headers: { 'content-type': `application/json; charset=${charset}` },
      payload: '{"name":"x"}',
    });
    assert.equal(response.statusCode, 200, charset);
  }
});

test('answers a method the path does not serve with 405 and Allow, before reading any body', async () => {
  const app = await server();
  const trace = await app.inject({ method: 'TRACE', url: '/things' });
  assert.equal(trace.statusCode, 405);
  assert.equal(trace.headers['allow'], 'OPTIONS, POST');
  assert.equal(trace.json().code, 'METHOD_NOT_ALLOWED');
  // QUERY carries a body, so fastify would first insist on a content type (a 400); the path decides first.
  const query = await app.inject({ method: 'QUERY', url: '/things/42' });
  assert.equal(query.statusCode, 405);
  assert.equal(query.headers['allow'], 'DELETE, GET, HEAD, OPTIONS');
  const put = await app.inject({ method: 'PUT', url: '/things/42?x=1', payload: {} });
  assert.equal(put.statusCode, 405);
});

test('keeps 404 for unknown paths, whatever the method', async () => {
  const app = await server();
  for (const method of ['GET', 'TRACE', 'QUERY', 'POST'] as const) {
    const response = await app.inject({ method, url: '/nothing-here' });
    assert.equal(response.statusCode, 404, method);
    assert.equal(response.json().code, 'NOT_FOUND');
  }
});

test('allows CORS with credentials for the configured origin only, never reflecting another', async () => {
  const app = await server();
  const allowed = await app.inject({ method: 'GET', url: '/things/1', headers: { origin: ADMIN_WEB } });
  assert.equal(allowed.headers['access-control-allow-origin'], ADMIN_WEB);
  assert.equal(allowed.headers['access-control-allow-credentials'], 'true');
  assert.match(String(allowed.headers['vary']), /Origin/);

  const evil = await app.inject({ method: 'GET', url: '/things/1', headers: { origin: 'https://evil.example' } });
  assert.equal(evil.statusCode, 200, 'CORS is enforced by the browser; the server just sends no grant');
  assert.equal(evil.headers['access-control-allow-origin'], undefined);
  assert.equal(evil.headers['access-control-allow-credentials'], undefined);

  const preflight = await app.inject({
    method: 'OPTIONS',
    url: '/things',
    headers: {
      origin: ADMIN_WEB,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type',
    },
  });
  assert.equal(preflight.statusCode, 204);
  assert.equal(preflight.headers['access-control-allow-origin'], ADMIN_WEB);
  assert.equal(preflight.headers['access-control-allow-credentials'], 'true');
  assert.equal(preflight.headers['access-control-allow-methods'], 'POST', 'the path’s own methods');
  assert.match(String(preflight.headers['access-control-allow-headers']), /content-type/);

  const evilPreflight = await app.inject({
    method: 'OPTIONS',
    url: '/things',
    headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
  });
  assert.equal(evilPreflight.headers['access-control-allow-origin'], undefined);
  assert.equal(evilPreflight.headers['access-control-allow-methods'], undefined);
});

test('answers OPTIONS on a known path with 204 and Allow, and 404 on an unknown one, in or out of CORS', async () => {
  const app = await server();
  const plain = await app.inject({ method: 'OPTIONS', url: '/things/9' });
  assert.equal(plain.statusCode, 204);
  assert.equal(plain.headers['allow'], 'DELETE, GET, HEAD, OPTIONS');
  const unknown = await app.inject({
    method: 'OPTIONS',
    url: '/nothing-here',
    headers: { origin: ADMIN_WEB, 'access-control-request-method': 'POST' },
  });
  assert.equal(unknown.statusCode, 404);
  assert.equal(unknown.json().code, 'NOT_FOUND');
  const noRequestMethod = await app.inject({ method: 'OPTIONS', url: '/things', headers: { origin: ADMIN_WEB } });
  assert.equal(noRequestMethod.statusCode, 204, 'an incomplete preflight is a plain OPTIONS, not a text/plain 400');
});

test('sends no CORS header at all when no origin is configured', async () => {
  const app = await server([]);
  const response = await app.inject({ method: 'GET', url: '/things/1', headers: { origin: ADMIN_WEB } });
  assert.equal(response.headers['access-control-allow-origin'], undefined);
  const trace = await app.inject({ method: 'TRACE', url: '/things/1' });
  assert.equal(trace.headers['allow'], 'DELETE, GET, HEAD, OPTIONS');
  const preflight = await app.inject({
    method: 'OPTIONS',
    url: '/things/1',
    headers: { origin: ADMIN_WEB, 'access-control-request-method': 'GET' },
  });
  assert.equal(preflight.statusCode, 204);
  assert.equal(preflight.headers['access-control-allow-origin'], undefined);
  assert.equal(preflight.headers['access-control-allow-methods'], undefined);
});

test('the Origin check refuses cookie-authenticated requests from other or missing origins with 403', async () => {
  const app = await server();
  const ok = await app.inject({ method: 'POST', url: '/session/refresh', headers: { origin: ADMIN_WEB } });
  assert.equal(ok.statusCode, 200);
  const sibling = await app.inject({
    method: 'POST',
    url: '/session/refresh',
    headers: { origin: 'https://api.scalefu.localhost:8443' },
  });
  assert.equal(sibling.statusCode, 403);
  assert.equal(sibling.json().code, 'FORBIDDEN');
  const none = await app.inject({ method: 'POST', url: '/session/refresh' });
  assert.equal(none.statusCode, 403);
});
