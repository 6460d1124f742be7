import { AUTH, AUTH_ROUTES, RUNTIME_ENV } from '@scalefu/contracts';
import { generateSigningKey, parseSigningKeySet, privateKeyOf } from '@scalefu/service-kit';
import assert from 'node:assert/strict';
import { createHmac, createPublicKey } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { SignJWT } from 'jose';
import type { RunningApp } from '../src/app';
import { changeByEmail } from '../src/admin-cli/commands';
import {
  assertEnvelope,
  assertNoSecretsLogged,
  call,
  capturingLogger,
  newAccount,
  secrets,
  signIn,
  startAuthApp,
  type TestAccount,
} from './auth-helpers';
import { config, newPerson } from './helpers';

const currentKey = parseSigningKeySet(config[RUNTIME_ENV.jwtSigningKey]).keys[0]!;
let app: RunningApp;
let admin: TestAccount;

before(async () => {
  app = await startAuthApp();
  admin = await newAccount(app, 'admin');
});

after(async () => {
  await app?.stop();
});

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

function claims(overrides: Record<string, unknown> = {}) {
  return {
    iss: AUTH.issuer,
    aud: AUTH.audience,
    sub: admin.accountId,
    role: 'admin',
    ver: 1,
    auth_time: now(),
    amr: ['pwd', 'otp'],
    iat: now(),
    exp: now() + 300,
    ...overrides,
  };
}

/** Signs like the service would, with its real key, unless told otherwise. */
async function forge(
  payload: Record<string, unknown>,
  header: Record<string, unknown> = {},
  key = privateKeyOf(currentKey),
): Promise<string> {
  const token = await new SignJWT(payload)
    .setProtectedHeader({ alg: 'EdDSA', kid: currentKey.kid, typ: AUTH.accessTokenType, ...header })
    .sign(key);
  secrets.add(token);
  return token;
}

const list = (token: string) => call(app, 'GET', '/api/v1/users?limit=1', { token });

describe('access-token attacks are refused with 401 and the envelope', () => {
  test('control: a token forged with the real key and valid claims is accepted (the forger works)', async () => {
    assert.equal((await list(await forge(claims()))).status, 200);
  });

  test('alg none (unsigned)', async () => {
    const token = `${b64({ alg: 'none', typ: AUTH.accessTokenType, kid: currentKey.kid })}.${b64(claims())}.`;
    assertEnvelope(await list(token), 401, 'UNAUTHORIZED');
  });

  test('HS256 signed with the public key as the HMAC secret', async () => {
    const publicPem = createPublicKey(privateKeyOf(currentKey)).export({ type: 'spki', format: 'pem' }).toString();
    const input = `${b64({ alg: 'HS256', typ: AUTH.accessTokenType, kid: currentKey.kid })}.${b64(claims())}`;
    for (const secret of [publicPem, currentKey.x]) {
      const token = `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
      assertEnvelope(await list(token), 401, 'UNAUTHORIZED');
    }
  });

  test('unknown kid, and a key the service never had under the real kid', async () => {
    const stranger = privateKeyOf(generateSigningKey());
    assertEnvelope(await list(await forge(claims(), { kid: 'unknown-kid' }, stranger)), 401, 'UNAUTHORIZED');
    assertEnvelope(await list(await forge(claims(), {}, stranger)), 401, 'UNAUTHORIZED');
  });

  test('expired beyond the 30 s skew', async () => {
    const reply = await list(await forge(claims({ iat: now() - 600, exp: now() - 31 })));
    assertEnvelope(reply, 401, 'UNAUTHORIZED');
    assert.match(reply.body.message, /expired/);
  });

  test('nbf in the future beyond the skew', async () => {
    assertEnvelope(await list(await forge(claims({ nbf: now() + 120 }))), 401, 'UNAUTHORIZED');
  });

  test('wrong audience, issuer and typ', async () => {
    assertEnvelope(await list(await forge(claims({ aud: 'another-api' }))), 401, 'UNAUTHORIZED');
    assertEnvelope(await list(await forge(claims({ iss: 'https://evil.example' }))), 401, 'UNAUTHORIZED');
    assertEnvelope(await list(await forge(claims(), { typ: 'JWT' })), 401, 'UNAUTHORIZED');
    assertEnvelope(await list(await forge(claims(), { typ: AUTH.challengeTokenType })), 401, 'UNAUTHORIZED');
  });

  test('a tampered payload (viewer token turned admin) fails its signature', async () => {
    const viewer = await newAccount(app, 'viewer');
    const token = (await signIn(app, viewer)).accessToken;
    const [header, payload, signature] = token.split('.');
    const elevated = { ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), role: 'admin' };
    const tampered = `${header}.${b64(elevated)}.${signature}`;
    assertEnvelope(
      await call(app, 'POST', '/api/v1/users', { token: tampered, body: newPerson('Tamper') }),
      401,
      'UNAUTHORIZED',
    );
  });

  test('the MFA challenge token is not an access token', async () => {
    const login = await call(app, 'POST', AUTH_ROUTES.login, {
      body: { email: admin.email, password: admin.password },
    });
    secrets.add(login.body.data.challengeToken);
    assertEnvelope(await list(login.body.data.challengeToken), 401, 'UNAUTHORIZED');
  });

  test('a disabled account: writes refused at once, reads until the token expires', async () => {
    const victim = await newAccount(app, 'admin');
    const token = (await signIn(app, victim)).accessToken;
    assert.equal((await call(app, 'POST', '/api/v1/users', { token, body: newPerson('Before') })).status, 201);
    await changeByEmail(app.pool, capturingLogger, victim.email, { disabled: true }, 'accounts.disable');
    const write = await call(app, 'POST', '/api/v1/users', { token, body: newPerson('After') });
    assertEnvelope(write, 401, 'UNAUTHORIZED');
    assert.equal((await list(token)).status, 200);
    const login = await call(app, 'POST', AUTH_ROUTES.login, {
      body: { email: victim.email, password: victim.password },
    });
    assertEnvelope(login, 401, 'UNAUTHORIZED');
  });

  test('the JWKS publishes the public key the tokens name, and no private part', async () => {
    const reply = await call(app, 'GET', AUTH_ROUTES.jwks);
    assert.equal(reply.status, 200);
    assert.ok(reply.body.keys.some((k: { kid: string }) => k.kid === currentKey.kid));
    for (const key of reply.body.keys) assert.equal('d' in key, false);
  });

  test('no password, token, TOTP secret or code in any log line of this run', () => {
    assertNoSecretsLogged();
  });
});
