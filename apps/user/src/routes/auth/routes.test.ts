import { AUTH, AUTH_ROUTES } from '@scalefu/contracts';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildInMemoryServer } from '../../in-memory-server';

// In-memory route tests: no Postgres or Redis exists behind this server, so each refusal below is proven to happen
// before any dependency is asked. The real-stack flows are in test/auth-*.test.ts.
let built: Awaited<ReturnType<typeof buildInMemoryServer>>;

before(async () => {
  built = await buildInMemoryServer({ CORS_ALLOWED_ORIGINS: 'https://admin.example' });
});

after(async () => {
  await built.server.close();
});

test('GET /.well-known/jwks.json publishes the public keys, cacheable, without private parts', async () => {
  const response = await built.server.inject({ method: 'GET', url: AUTH_ROUTES.jwks });
  assert.equal(response.statusCode, 200);
  assert.match(response.headers['cache-control'] as string, /max-age=300/);
  const { keys } = response.json() as { keys: Record<string, string>[] };
  assert.deepEqual(keys, built.auth.tokens.jwks.keys);
  for (const key of keys) assert.equal(key['d'], undefined);
});

test('login validates its body before looking anything up', async () => {
  for (const payload of [{}, { email: 'a@b.co' }, { email: 'a@b.co', password: 'x', extra: 1 }]) {
    const response = await built.server.inject({ method: 'POST', url: AUTH_ROUTES.login, payload });
    assert.equal(response.statusCode, 400, response.body);
    assert.equal(response.json().code, 'VALIDATION_FAILED');
  }
});

for (const path of [AUTH_ROUTES.refresh, AUTH_ROUTES.logout]) {
  test(`${path} refuses a foreign or missing Origin with 403 before reading the cookie`, async () => {
    for (const origin of ['https://evil.example', undefined]) {
      const response = await built.server.inject({
        method: 'POST',
        url: path,
        headers: { cookie: `${AUTH.refreshCookie}=abc`, ...(origin ? { origin } : {}) },
      });
      assert.equal(response.statusCode, 403, response.body);
      assert.equal(response.json().code, 'FORBIDDEN');
    }
  });
}

test('refresh without a cookie from an allowed origin is 401', async () => {
  const response = await built.server.inject({
    method: 'POST',
    url: AUTH_ROUTES.refresh,
    headers: { origin: 'https://admin.example' },
  });
  assert.equal(response.statusCode, 401);
});

test('admin and audit routes refuse an anonymous caller with 401 before validation or the database', async () => {
  for (const [method, url] of [
    ['GET', '/api/v1/users'],
    ['POST', '/api/v1/users'],
    ['DELETE', '/api/v1/users/not-even-a-uuid'],
    ['GET', AUTH_ROUTES.audit],
    ['GET', AUTH_ROUTES.accounts],
  ] as const) {
    const response = await built.server.inject({ method, url, payload: method === 'POST' ? {} : undefined });
    assert.equal(response.statusCode, 401, `${method} ${url}: ${response.body}`);
    assert.equal(response.json().code, 'UNAUTHORIZED');
  }
});

test('self-service routes need a bearer token', async () => {
  for (const url of [AUTH_ROUTES.totpEnrol, AUTH_ROUTES.stepUp]) {
    const response = await built.server.inject({ method: 'POST', url, payload: { code: '123456' } });
    assert.equal(response.statusCode, 401, `${url}: ${response.body}`);
  }
});
