import { HTTP_REQUEST_TIMEOUTS } from '@scalefu/contracts';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { test } from 'node:test';
import type { InjectOptions } from 'fastify';
import { Type } from 'typebox';
import { DuplicateError } from '../errors';
import { createLogger } from '../logger';
import { ServiceMetrics } from '../metrics';
import { loadTracingConfig } from '../tracing/config';
import { startTracing } from '../tracing/sdk';
import { securityHeaders } from './security-headers';
import { createHttpServer } from './server';

startTracing(loadTracingConfig({}), 'test'); // the real SDK (as ServiceRuntime starts it), exporting nowhere

async function server(checks: { name: string; check: () => Promise<void> }[] = []) {
  const app = await createHttpServer({
    service: 'test',
    logger: createLogger({ service: 'test', level: 'silent' }),
    metrics: new ServiceMetrics('test'),
    readinessChecks: checks,
    bodyLimitBytes: 1024,
  });
  app.post(
    '/things',
    { schema: { body: Type.Object({ name: Type.String({ minLength: 2 }) }, { additionalProperties: false }) } },
    async (request) => {
      if (request.body.name === 'taken') throw new DuplicateError([{ field: 'name', message: 'is taken' }]);
      return { status: 'success', data: request.body };
    },
  );
  app.get('/boom', async () => {
    throw new Error('database exploded');
  });
  await app.ready();
  return app;
}

const json = { 'content-type': 'application/json' };

test('healthz is live and readyz reports each dependency, turning 503 when one fails', async () => {
  let redisUp = true;
  const app = await server([
    {
      name: 'redis',
      check: async () => {
        if (!redisUp) throw new Error('ECONNREFUSED');
      },
    },
  ]);
  assert.equal((await app.inject({ url: '/healthz' })).statusCode, 200);
  const ready = await app.inject({ url: '/readyz' });
  assert.equal(ready.statusCode, 200);
  assert.deepEqual(ready.json().checks, { redis: 'ok' });
  redisUp = false;
  const unready = await app.inject({ url: '/readyz' });
  assert.equal(unready.statusCode, 503);
  assert.match(unready.json().checks.redis, /ECONNREFUSED/);
  app.markShuttingDown();
  redisUp = true;
  assert.equal((await app.inject({ url: '/readyz' })).statusCode, 503, 'unready while shutting down');
});

test('metrics exposes the RED histogram by route template, not raw URL', async () => {
  const app = await server();
  await app.inject({ method: 'POST', url: '/things', headers: json, payload: { name: 'ok' } });
  const metrics = (await app.inject({ url: '/metrics' })).body;
  const line = metrics.split('\n').find((l) => l.startsWith('scalefu_http_request_duration_seconds_count{'));
  for (const label of ['method="POST"', 'route="/things"', 'status_code="200"', 'service="test"']) {
    assert.ok(line?.includes(label), `${label} in ${line}`);
  }
  assert.ok(line?.endsWith(' 1'));
  assert.match(metrics, /scalefu_process_cpu_seconds_total/);
});

test('client mistakes get their 4xx with the error envelope and never a 500', async () => {
  const app = await server();
  const cases: [string, InjectOptions, number, string][] = [
    [
      'unknown field',
      { method: 'POST', url: '/things', headers: json, payload: { name: 'ok', admin: true } },
      400,
      'VALIDATION_FAILED',
    ],
    ['too short', { method: 'POST', url: '/things', headers: json, payload: { name: 'x' } }, 400, 'VALIDATION_FAILED'],
    ['malformed JSON', { method: 'POST', url: '/things', headers: json, payload: '{"name":' }, 400, 'MALFORMED_JSON'],
    [
      '__proto__',
      { method: 'POST', url: '/things', headers: json, payload: '{"name":"ok","__proto__":{"x":1}}' },
      400,
      'MALFORMED_JSON',
    ],
    [
      'wrong content type',
      { method: 'POST', url: '/things', headers: { 'content-type': 'text/plain' }, payload: 'name=ok' },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'too large',
      { method: 'POST', url: '/things', headers: json, payload: JSON.stringify({ name: 'x'.repeat(2000) }) },
      413,
      'PAYLOAD_TOO_LARGE',
    ],
    ['unknown route', { method: 'GET', url: '/nope' }, 404, 'NOT_FOUND'],
    [
      'domain duplicate',
      { method: 'POST', url: '/things', headers: json, payload: { name: 'taken' } },
      409,
      'DUPLICATE',
    ],
  ];
  for (const [name, request, status, code] of cases) {
    const response = await app.inject(request);
    assert.equal(response.statusCode, status, `${name}: ${response.body}`);
    const body = response.json();
    assert.equal(body.status, 'error', name);
    assert.equal(body.code, code, name);
    assert.match(body.traceId, /^[0-9a-f]{32}$/, `${name} carries the trace id`);
  }
  const fields = (await app.inject(cases[0]![1])).json().errors;
  assert.deepEqual(fields, [{ field: 'admin', message: 'is not an allowed field' }]);
});

test('a real fault is a 500 that hides its details', async () => {
  const app = await server();
  const response = await app.inject({ url: '/boom' });
  assert.equal(response.statusCode, 500);
  assert.equal(response.json().code, 'INTERNAL');
  assert.doesNotMatch(response.body, /exploded/);
});

test('a client-supplied traceparent is continued: same trace id in the response header and the error body', async () => {
  const app = await server();
  const clientTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
  const response = await app.inject({
    method: 'POST',
    url: '/things',
    headers: { traceparent: `00-${clientTrace}-00f067aa0ba902b7-01` },
    payload: { name: 'x' },
  });
  assert.equal(response.statusCode, 400);
  assert.match(String(response.headers['traceparent']), new RegExp(`^00-${clientTrace}-[0-9a-f]{16}-01$`));
  assert.doesNotMatch(String(response.headers['traceparent']), /00f067aa0ba902b7/, 'a span of its own, not the caller');
  assert.equal(response.json().traceId, clientTrace);
  assert.ok(response.headers['x-request-id']);
  assert.equal(response.headers['x-content-type-options'], 'nosniff');
  assert.match(String(response.headers['content-security-policy']), /default-src 'none'/);
});

test("every answer carries helmet's whole header set: success, client errors, faults, 404, 405, 413 and /metrics", async () => {
  const app = await server();
  const expected = securityHeaders();
  const answers: [string, InjectOptions][] = [
    ['201/200', { method: 'POST', url: '/things', headers: json, payload: { name: 'ok' } }],
    ['400', { method: 'POST', url: '/things', headers: json, payload: { name: 'x' } }],
    ['409', { method: 'POST', url: '/things', headers: json, payload: { name: 'taken' } }],
    ['413', { method: 'POST', url: '/things', headers: json, payload: JSON.stringify({ name: 'x'.repeat(2000) }) }],
    ['500', { method: 'GET', url: '/boom' }],
    ['404', { method: 'GET', url: '/nowhere' }],
    ['405', { method: 'DELETE', url: '/things' }],
    ['metrics', { method: 'GET', url: '/metrics' }],
  ];
  for (const [what, request] of answers) {
    const response = await app.inject(request);
    for (const [name, value] of Object.entries(expected))
      assert.equal(response.headers[name], value, `${what}: ${name}`);
  }
  assert.ok(Object.keys(expected).length >= 10, 'helmet sets at least its ten default headers');
});

test("without a traceparent a new trace starts, and its id is the error body's traceId", async () => {
  const app = await server();
  const response = await app.inject({ method: 'POST', url: '/things', payload: { name: 'taken' } });
  assert.equal(response.statusCode, 409);
  const [, traceId] = /^00-([0-9a-f]{32})-/.exec(String(response.headers['traceparent'])) ?? [];
  assert.ok(traceId, 'traceparent answered');
  assert.equal(response.json().traceId, traceId);
});

test('with a hop count, the client is the entry just before the trusted hops and client-supplied entries are ignored', async () => {
  const app = await createHttpServer({
    service: 'test',
    logger: createLogger({ service: 'test', level: 'silent' }),
    metrics: new ServiceMetrics('test'),
    trustedProxies: 2,
  });
  app.get('/ip', async (request) => ({ ip: request.ip }));
  await app.ready();
  // Google's LB: "<client-supplied…>, <client-ip>, <lb-ip>", socket peer = a Google front end.
  const ip = async (xff: string) => (await app.inject({ url: '/ip', headers: { 'x-forwarded-for': xff } })).json().ip;
  assert.equal(await ip('6.6.6.6, 1.2.3.4, 9.9.9.9'), '1.2.3.4');
  assert.equal(await ip('7.7.7.7, 1.2.3.4, 9.9.9.9'), '1.2.3.4');
  assert.equal(await ip('1.2.3.4, 9.9.9.9'), '1.2.3.4');
});

test('a request whose headers never finish is answered 408 and closed within the headers timeout (slowloris)', async () => {
  const app = await server();
  await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const { port } = app.server.address() as { port: number };
    const started = Date.now();
    const answer = await new Promise<string>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      let text = '';
      socket.write('POST /things HTTP/1.1\r\nHost: x\r\n');
      const drip = setInterval(() => socket.write('X'), 200);
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('close', () => {
        clearInterval(drip);
        resolve(text);
      });
    });
    const elapsed = Date.now() - started;
    assert.match(answer, /^HTTP\/1\.1 408/);
    assert.ok(elapsed < HTTP_REQUEST_TIMEOUTS.headersMs + 2 * HTTP_REQUEST_TIMEOUTS.checkIntervalMs, `${elapsed} ms`);
  } finally {
    await app.close();
  }
});
