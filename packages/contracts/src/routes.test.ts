import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PUBLIC_ROUTES, localEdgeOrigin, matchesPathPrefix, routeFor, serviceRoutes } from './routes';

test('routes each public API path to its service on its own host, longest prefix first', () => {
  assert.equal(routeFor('api', '/api/v1/register')?.name, 'onboarder');
  assert.equal(routeFor('api', '/api/v1/registrations/0190')?.name, 'onboarder');
  assert.equal(routeFor('adminApi', '/api/v1/users/x')?.name, 'user');
  assert.equal(routeFor('adminApi', '/.well-known/jwks.json')?.name, 'user');
  assert.equal(routeFor('web', '/api/v1/users')?.name, 'admin-web', 'the web host serves only the static site');
  assert.equal(routeFor('api', '/api/v1/users'), undefined, 'the admin API is not on the public API host');
  assert.equal(routeFor('adminApi', '/metrics'), undefined, 'operational endpoints are never public');
});

test('matches prefixes segment-wise, as Gateway API PathPrefix does', () => {
  assert.equal(matchesPathPrefix('/api/v1/users', '/api/v1/users'), true);
  assert.equal(matchesPathPrefix('/api/v1/users', '/api/v1/users/1'), true);
  assert.equal(matchesPathPrefix('/api/v1/users', '/api/v1/usersx'), false);
});

test('every prefix is absolute and claimed by one route per host; only the static site is not a service', () => {
  const seen = new Set<string>();
  for (const route of PUBLIC_ROUTES) {
    for (const prefix of route.pathPrefixes) {
      assert.match(prefix, /^\//);
      const key = `${route.host} ${prefix}`;
      assert.equal(seen.has(key), false, `${key} is claimed twice`);
      seen.add(key);
    }
  }
  assert.deepEqual(
    serviceRoutes().map((r) => r.backend.service),
    ['onboarder', 'user'],
  );
  assert.equal(localEdgeOrigin('web', 18443), 'https://app.scalefu.localhost:18443');
});
