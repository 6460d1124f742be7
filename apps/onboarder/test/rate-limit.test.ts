import { CLUSTER_TRUSTED_PROXY_HOPS, PUBLIC_RATE_LIMIT, REDIS_KEYS } from '@scalefu/contracts';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { v7 as uuidv7 } from 'uuid';
import type { OnboarderApp } from '../src/app';
import { get, post, sleep, startTestApp, testRedis, validBody } from './helpers';

const LIMIT = 5;
let proxied: { app: OnboarderApp; baseUrl: string };
let direct: { app: OnboarderApp; baseUrl: string };
let behindLoadBalancer: { app: OnboarderApp; baseUrl: string };
const redis = testRedis();

before(async () => {
  // Behind a trusted proxy (the loopback the test connects from), the client is the X-Forwarded-For address,
  // so each test gets a fresh client of its own even though every test talks from 127.0.0.1.
  proxied = await startTestApp({ RATE_LIMIT_PER_MINUTE: String(LIMIT), TRUSTED_PROXIES: '127.0.0.1' });
  direct = await startTestApp({ RATE_LIMIT_PER_MINUTE: String(LIMIT) });
  // As in the clusters: a hop count, because the load balancer appends its own address after the client's.
  behindLoadBalancer = await startTestApp({
    RATE_LIMIT_PER_MINUTE: String(LIMIT),
    TRUSTED_PROXIES: String(CLUSTER_TRUSTED_PROXY_HOPS),
  });
});
after(async () => {
  await proxied.app.stop();
  await direct.app.stop();
  await behindLoadBalancer.app.stop();
  redis.disconnect();
});

const freshClientIp = () => `2001:db8::${randomBytes(2).toString('hex')}:${randomBytes(2).toString('hex')}`;

/** Stay clear of a window edge so all requests of one test count in the same fixed window. */
async function awayFromWindowEdge(): Promise<void> {
  const intoWindow = Date.now() % PUBLIC_RATE_LIMIT.windowMs;
  if (intoWindow > PUBLIC_RATE_LIMIT.windowMs - 5000) await sleep(PUBLIC_RATE_LIMIT.windowMs - intoWindow + 50);
}

test('answers 429 with Retry-After and the error envelope once a client passes the limit', async () => {
  await awayFromWindowEdge();
  const client = { 'x-forwarded-for': freshClientIp() };
  for (let i = 0; i < LIMIT; i++) {
    const res = await get(proxied.baseUrl, `/api/v1/registrations/${uuidv7()}`, client);
    assert.equal(res.status, 404, `request ${i + 1} is within the limit`);
  }
  const refused = await post(proxied.baseUrl, validBody('limited'), { headers: client });
  assert.equal(refused.status, 429);
  assert.equal(refused.json['status'], 'error');
  assert.equal(refused.json['code'], 'RATE_LIMITED');
  const retryAfter = Number(refused.headers.get('retry-after'));
  assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${refused.headers.get('retry-after')}`);

  // Another client is not affected.
  const other = await get(proxied.baseUrl, `/api/v1/registrations/${uuidv7()}`, { 'x-forwarded-for': freshClientIp() });
  assert.equal(other.status, 404);
});

test('ignores X-Forwarded-For from an untrusted hop, so a client cannot pick its own rate-limit key', async () => {
  await awayFromWindowEdge();
  const spoofed = Array.from({ length: LIMIT + 1 }, freshClientIp);
  const statuses: number[] = [];
  for (const ip of spoofed) {
    statuses.push((await get(direct.baseUrl, `/api/v1/registrations/${uuidv7()}`, { 'x-forwarded-for': ip })).status);
  }
  assert.ok(statuses.includes(429), `one socket address is one client: ${statuses.join(',')}`);
  const windowStart = Date.now() - (Date.now() % PUBLIC_RATE_LIMIT.windowMs);
  for (const ip of spoofed) assert.equal(await redis.exists(REDIS_KEYS.rateLimit(ip, windowStart)), 0);
});

test('counts a client in Redis with an expiry, so the limit holds across replicas and resets', async () => {
  await awayFromWindowEdge();
  const ip = freshClientIp();
  // Two app instances share one Redis: hits on either count against the same client.
  const replicaB = await startTestApp({ RATE_LIMIT_PER_MINUTE: String(LIMIT), TRUSTED_PROXIES: '127.0.0.1' });
  try {
    const statuses: number[] = [];
    for (let i = 0; i <= LIMIT; i++) {
      const target = i % 2 ? replicaB.baseUrl : proxied.baseUrl;
      statuses.push((await get(target, `/api/v1/registrations/${uuidv7()}`, { 'x-forwarded-for': ip })).status);
    }
    assert.deepEqual(statuses, [...Array(LIMIT).fill(404), 429]);
  } finally {
    await replicaB.app.stop();
  }
  const windowStart = Date.now() - (Date.now() % PUBLIC_RATE_LIMIT.windowMs);
  const key = REDIS_KEYS.rateLimit(ip, windowStart);
  assert.equal(await redis.get(key), String(LIMIT + 1));
  const ttl = await redis.pttl(key);
  assert.ok(ttl > 0 && ttl <= PUBLIC_RATE_LIMIT.windowMs, `counter expires with its window (pttl ${ttl})`);
});

test('with a hop count, limits the client before the load balancer, whatever the client puts further left', async () => {
  await awayFromWindowEdge();
  // X-Forwarded-For as Google's load balancer sends it: <client-supplied…>, <client>, <load balancer>; the socket
  // peer (127.0.0.1 here, Google's front end there) is the first trusted hop, the load balancer the second.
  const loadBalancer = '9.9.9.9';
  const client = freshClientIp();
  const spoofs = ['6.6.6.6', ...Array.from({ length: LIMIT }, freshClientIp)];
  const statuses: number[] = [];
  for (const spoof of spoofs) {
    const xff = { 'x-forwarded-for': `${spoof}, ${client}, ${loadBalancer}` };
    statuses.push((await get(behindLoadBalancer.baseUrl, `/api/v1/registrations/${uuidv7()}`, xff)).status);
  }
  assert.deepEqual(statuses, [...Array(LIMIT).fill(404), 429], 'a new spoofed first entry is still the same client');

  const windowStart = Date.now() - (Date.now() % PUBLIC_RATE_LIMIT.windowMs);
  assert.equal(await redis.get(REDIS_KEYS.rateLimit(client, windowStart)), String(LIMIT + 1));
  for (const ip of [...spoofs, loadBalancer]) {
    assert.equal(await redis.exists(REDIS_KEYS.rateLimit(ip, windowStart)), 0, `no bucket for ${ip}`);
  }

  // Another client behind the same load balancer has a bucket of its own.
  const other = { 'x-forwarded-for': `6.6.6.6, ${freshClientIp()}, ${loadBalancer}` };
  assert.equal((await get(behindLoadBalancer.baseUrl, `/api/v1/registrations/${uuidv7()}`, other)).status, 404);
});
