import { CLUSTER_TRUSTED_PROXY_HOPS, PUBLIC_RATE_LIMIT, SERVICES } from '@scalefu/contracts';
import { ConfigError } from '@scalefu/service-kit';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadOnboarderConfig, trustedProxiesOf } from './config';

const KEY = 'k'.repeat(32);

test('fills defaults from contracts: port, public rate limit, no trusted proxies', () => {
  const config = loadOnboarderConfig({ NATIONAL_ID_HMAC_KEY: KEY });
  assert.equal(config.PORT, SERVICES.onboarder.port);
  assert.equal(config.RATE_LIMIT_PER_MINUTE, PUBLIC_RATE_LIMIT.max);
  assert.equal(trustedProxiesOf(config), false);
});

test('refuses to start without a national-ID HMAC key of at least 32 characters, without echoing it', () => {
  assert.throws(
    () => loadOnboarderConfig({}),
    (e: unknown) => e instanceof ConfigError && /NATIONAL_ID_HMAC_KEY is required/.test(e.message),
  );
  assert.throws(
    () => loadOnboarderConfig({ NATIONAL_ID_HMAC_KEY: 'short-secret' }),
    (e: unknown) =>
      e instanceof ConfigError && /NATIONAL_ID_HMAC_KEY/.test(e.message) && !e.message.includes('short-secret'),
  );
});

test('reads the rate limit and a comma-separated trusted proxy list', () => {
  const config = loadOnboarderConfig({
    NATIONAL_ID_HMAC_KEY: KEY,
    RATE_LIMIT_PER_MINUTE: '7',
    TRUSTED_PROXIES: '10.0.0.0/8, 192.168.1.1',
  });
  assert.equal(config.RATE_LIMIT_PER_MINUTE, 7);
  assert.deepEqual(trustedProxiesOf(config), ['10.0.0.0/8', '192.168.1.1']);
  assert.throws(() => loadOnboarderConfig({ NATIONAL_ID_HMAC_KEY: KEY, RATE_LIMIT_PER_MINUTE: '0' }), ConfigError);
});

test('reads a bare integer TRUSTED_PROXIES as a hop count (the clusters set CLUSTER_TRUSTED_PROXY_HOPS)', () => {
  const hops = (value: string) =>
    trustedProxiesOf(loadOnboarderConfig({ NATIONAL_ID_HMAC_KEY: KEY, TRUSTED_PROXIES: value }));
  assert.equal(hops(String(CLUSTER_TRUSTED_PROXY_HOPS)), CLUSTER_TRUSTED_PROXY_HOPS);
  assert.equal(hops(' 1 '), 1);
  assert.equal(hops('0'), false, 'zero hops is the socket address');
  assert.deepEqual(hops('10.0.0.1'), ['10.0.0.1'], 'an address is still a list');
});
