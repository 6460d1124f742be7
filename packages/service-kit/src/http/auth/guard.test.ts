import { AUTH } from '@scalefu/contracts';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SignJWT } from 'jose';
import { createLogger } from '../../logger';
import { ServiceMetrics } from '../../metrics';
import { createHttpServer } from '../server';
import { createAccessTokenVerifier } from './access-token';
import { accessGuardPlugin } from './guard';
import { privateKeyOf, publicJwks, rotateKeySet } from './signing-keys';

const keys = rotateKeySet(undefined);
const versions = new Map<string, number>([['acct-1', 1]]);
let app: Awaited<ReturnType<typeof createHttpServer>>;

before(async () => {
  app = await createHttpServer({
    service: 'onboarder',
    logger: createLogger({ service: 'guard-test', level: 'silent' }),
    metrics: new ServiceMetrics('onboarder'),
  });
  await app.register(async (scope) => {
    await scope.register(
      accessGuardPlugin({
        verify: createAccessTokenVerifier({ keys: publicJwks(keys) }),
        currentTokenVersion: async (id) => versions.get(id),
        stepUpSeconds: 60,
      }),
    );
    scope.get('/things', async (request) => ({ who: request.principal?.accountId }));
    scope.post('/things', async () => ({ ok: true }));
    scope.delete('/things', { config: { auth: { stepUp: true } } }, async () => ({ ok: true }));
    scope.get('/secrets', { config: { auth: { roles: ['admin'] } } }, async () => ({ ok: true }));
  });
  app.get('/open', async () => ({ ok: true }));
});

after(async () => {
  await app.close();
});

function token(claims: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role: 'admin', ver: 1, auth_time: now, amr: ['pwd', 'otp'], ...claims })
    .setProtectedHeader({ alg: 'EdDSA', kid: keys.keys[0]!.kid, typ: AUTH.accessTokenType })
    .setIssuer(AUTH.issuer)
    .setAudience(AUTH.audience)
    .setSubject('acct-1')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(privateKeyOf(keys.keys[0]!));
}

async function status(method: 'GET' | 'POST' | 'DELETE', url: string, bearer?: string) {
  const response = await app.inject({
    method,
    url,
    headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
  });
  return { status: response.statusCode, code: (response.json() as { code?: string }).code };
}

test('guards only the routes of the context it is registered in', async () => {
  assert.equal((await status('GET', '/open')).status, 200);
  assert.deepEqual(await status('GET', '/things'), { status: 401, code: 'UNAUTHORIZED' });
});

test('a valid admin token reads and writes; the principal reaches the handler', async () => {
  const t = await token();
  const read = await app.inject({ method: 'GET', url: '/things', headers: { authorization: `Bearer ${t}` } });
  assert.deepEqual(read.json(), { who: 'acct-1' });
  assert.equal((await status('POST', '/things', t)).status, 200);
});

test('a viewer reads but may not write or read admin-only routes', async () => {
  const t = await token({ role: 'viewer', amr: ['pwd'] });
  assert.equal((await status('GET', '/things', t)).status, 200);
  assert.deepEqual(await status('POST', '/things', t), { status: 403, code: 'FORBIDDEN' });
  assert.deepEqual(await status('GET', '/secrets', t), { status: 403, code: 'FORBIDDEN' });
});

test('an admin without a second factor is sent to enrol', async () => {
  assert.deepEqual(await status('GET', '/things', await token({ amr: ['pwd'] })), {
    status: 403,
    code: 'MFA_ENROLMENT_REQUIRED',
  });
});

test('writes check the token version; reads do not', async () => {
  const stale = await token({ ver: 0 });
  assert.equal((await status('GET', '/things', stale)).status, 200);
  assert.deepEqual(await status('POST', '/things', stale), { status: 401, code: 'UNAUTHORIZED' });
});

test('step-up routes need a recent code, not a trusted device', async () => {
  const old = Math.floor(Date.now() / 1000) - 120;
  assert.equal((await status('DELETE', '/things', await token())).status, 200);
  assert.deepEqual(await status('DELETE', '/things', await token({ auth_time: old })), {
    status: 401,
    code: 'STEP_UP_REQUIRED',
  });
  assert.deepEqual(await status('DELETE', '/things', await token({ amr: ['pwd', 'device'] })), {
    status: 401,
    code: 'STEP_UP_REQUIRED',
  });
});

test('the verifier refuses a clock skew above 30 s at construction', () => {
  assert.throws(() => createAccessTokenVerifier({ keys: publicJwks(keys), clockSkewSeconds: 31 }), /0\.\.30/);
});
