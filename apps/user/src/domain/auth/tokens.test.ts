import { AUTH } from '@scalefu/contracts';
import { rotateKeySet } from '@scalefu/service-kit';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeProtectedHeader, decodeJwt } from 'jose';
import { TokenIssuer, newOpaqueToken, sha256 } from './tokens';

const issuer = new TokenIssuer(rotateKeySet(rotateKeySet(undefined)), {
  accessToken: 600,
  challenge: 300,
  trustedDevice: 2_592_000,
});
const claims = {
  accountId: 'acct-1',
  role: 'admin' as const,
  tokenVersion: 2,
  authTime: 1_800_000_000,
  amr: ['pwd', 'otp'],
};

test('an access token carries kid, typ at+jwt, iss, aud, sub, role, ver, auth_time, amr and a 10-minute life', async () => {
  const token = await issuer.issueAccessToken(claims);
  const header = decodeProtectedHeader(token);
  assert.deepEqual(header, { alg: 'EdDSA', kid: issuer.jwks.keys[0]!.kid, typ: AUTH.accessTokenType });
  const payload = decodeJwt(token);
  assert.equal(payload.iss, AUTH.issuer);
  assert.equal(payload.aud, AUTH.audience);
  assert.equal(payload.sub, 'acct-1');
  assert.equal(payload.exp! - payload.iat!, 600);
  assert.deepEqual(
    { role: payload['role'], ver: payload['ver'], auth_time: payload['auth_time'], amr: payload['amr'] },
    { role: 'admin', ver: 2, auth_time: 1_800_000_000, amr: ['pwd', 'otp'] },
  );
  assert.equal((await issuer.verifyAccessToken(token)).tokenVersion, 2);
});

test('each token kind is accepted only where it belongs', async () => {
  const access = await issuer.issueAccessToken(claims);
  const challenge = await issuer.issueChallenge('acct-1');
  const device = await issuer.issueDeviceToken('acct-1', 'dev-1');
  assert.equal((await issuer.verifyChallenge(challenge)).accountId, 'acct-1');
  assert.deepEqual(await issuer.verifyDeviceToken(device), { accountId: 'acct-1', deviceId: 'dev-1' });
  await assert.rejects(issuer.verifyAccessToken(challenge), /invalid/);
  await assert.rejects(issuer.verifyAccessToken(device), /invalid/);
  await assert.rejects(issuer.verifyChallenge(access), /MFA challenge/);
  await assert.rejects(issuer.verifyChallenge(device), /MFA challenge/);
  assert.equal(await issuer.verifyDeviceToken(challenge), undefined);
  assert.equal(await issuer.verifyDeviceToken('garbage'), undefined);
});

test('the JWKS holds the current and the previous public key', () => {
  assert.equal(issuer.jwks.keys.length, 2);
  for (const key of issuer.jwks.keys) assert.equal('d' in key, false);
});

test('opaque tokens are 256 bits, distinct, and stored as SHA-256', () => {
  const token = newOpaqueToken();
  assert.equal(Buffer.from(token, 'base64url').length, 32);
  assert.notEqual(newOpaqueToken(), token);
  assert.equal(sha256(token).length, 32);
});
