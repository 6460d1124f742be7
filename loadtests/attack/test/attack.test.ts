import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { after, before, test } from 'node:test';
import { PUBLIC_RATE_LIMIT, PUBLIC_ROUTE_TEMPLATES, RUNTIME_ENV, localEdgeOrigin } from '@scalefu/contracts';
import { startApp, type OnboarderApp } from '../../../apps/onboarder/src/app';
import { loadOnboarderConfig } from '../../../apps/onboarder/src/config';
import { Pipeline, database, env, serviceUrl } from '../../../test/e2e/pipeline';
import { newPerson } from '../../lib/people';
import { CATALOGUE } from '../catalogue';
import { waitForStoredUser } from '../catalogue/stored';
import { makeFixtures, type Fixtures } from '../fixtures';
import { send } from '../http';
import { formatResult, runCatalogue, type AttackTarget } from '../runner';

// The attack suite against the test stack's real services, at the default public rate limit (as `npm run attack`).
const pipeline = new Pipeline({ [RUNTIME_ENV.rateLimitPerMinute]: String(PUBLIC_RATE_LIMIT.max) });
const db = database();
let target: AttackTarget;
let fixtures: Fixtures;

before(async () => {
  await Promise.all([pipeline.start('onboarder'), pipeline.start('user')]);
  // From an address of its own (127.99/16, which the cases' addresses never use): earlier tests on this stack may
  // have used up 127.0.0.1's per-IP budgets (registrations, sign-in failures).
  const fixtureSource = `127.99.${randomInt(256)}.${randomInt(1, 255)}`;
  const registered = await send(
    { base: serviceUrl('onboarder'), sourceIp: fixtureSource },
    { method: 'POST', path: PUBLIC_ROUTE_TEMPLATES.register, body: newPerson('fixture') },
  );
  assert.equal(registered.status, 201, registered.text);
  await waitForStoredUser(db, registered.json.data.userID);
  fixtures = await makeFixtures({
    db,
    admin: { base: serviceUrl('user'), sourceIp: fixtureSource },
    mfaEncryptionKey: env(RUNTIME_ENV.mfaEncryptionKey),
    userID: registered.json.data.userID,
  });
  target = {
    publicUrl: serviceUrl('onboarder'),
    adminUrl: serviceUrl('user'),
    rateLimit: PUBLIC_RATE_LIMIT.max,
    allowedOrigin: localEdgeOrigin('web'),
    db,
    fixtures,
  };
});

after(async () => {
  await pipeline.stopAll();
  await db.end();
});

test('every case of the attack catalogue passes against the real services: no 5xx, no forbidden state change', async () => {
  const results = await runCatalogue(target, CATALOGUE);
  const failed = results.filter((r) => !r.passed).map(formatResult);
  assert.deepEqual(failed, [], failed.join('\n'));
  assert.equal(results.length, CATALOGUE.length);
});

test('an onboarder that trusts X-Forwarded-For from any loopback peer fails the rate-limit bypass case', async () => {
  // The weakness, re-introduced by configuration alone: TRUSTED_PROXIES names the attacker's own hop.
  let weak: OnboarderApp | undefined;
  try {
    weak = await startApp(
      loadOnboarderConfig({
        ...process.env,
        [RUNTIME_ENV.rateLimitPerMinute]: String(PUBLIC_RATE_LIMIT.max),
        [RUNTIME_ENV.trustedProxies]: '127.0.0.0/8',
      }),
      { port: 0 },
    );
    const { port } = weak.server.server.address() as { port: number };
    const cases = CATALOGUE.filter((c) => c.id === 'ratelimit-x-forwarded-for');
    const [result] = await runCatalogue({ ...target, publicUrl: `http://127.0.0.1:${port}` }, cases);
    assert.equal(result?.passed, false, 'the bypass went unnoticed');
    assert.match(result.reason ?? '', /expected 429, got 404/);
  } finally {
    await weak?.stop();
  }
});
