import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import helmet from 'helmet';
import { API_SECURITY_HEADERS, securityHeaders } from './security-headers';

/** The headers helmet's own middleware sets on a real response of a real server, request by request. */
async function helmetPerRequest(): Promise<http.IncomingHttpHeaders> {
  const applyHeaders = helmet(API_SECURITY_HEADERS);
  const server = http.createServer((request, response) => applyHeaders(request, response, () => response.end()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    return await new Promise((resolve, reject) =>
      http
        .get({ port, host: '127.0.0.1' }, (response) => {
          response.resume();
          resolve(response.headers);
        })
        .on('error', reject),
    );
  } finally {
    server.close();
  }
}

test('the headers computed once are exactly those helmet sets on each response', async () => {
  const once = securityHeaders();
  const perRequest = await helmetPerRequest();
  for (const [name, value] of Object.entries(once)) assert.equal(perRequest[name], value, name);
  const ours = new Set(Object.keys(once));
  const helmetOnly = Object.keys(perRequest).filter(
    (name) =>
      !ours.has(name) && !['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'].includes(name),
  );
  assert.deepEqual(helmetOnly, [], 'every header helmet sets is in the precomputed set');
  assert.equal(once['content-security-policy']?.startsWith("default-src 'none'"), true);
  assert.equal(once['x-content-type-options'], 'nosniff');
});

test('options helmet refuses are refused at start-up, not on the first request', () => {
  assert.throws(
    () => securityHeaders({ contentSecurityPolicy: { directives: { defaultSrc: ["'none'; script-src *"] } } }),
    /invalid directive value for "default-src"/,
  );
  assert.throws(() => securityHeaders({ crossOriginOpenerPolicy: { policy: 'open' as never } }), /does not support/);
});
