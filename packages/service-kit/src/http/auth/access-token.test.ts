import { AUTH } from '@scalefu/contracts';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { SignJWT } from 'jose';
import { bearerToken, createAccessTokenVerifier } from './access-token';
import { privateKeyOf, publicJwks, rotateKeySet, type SigningKeySet } from './signing-keys';

// A real HTTP JWKS endpoint, as another service's guard would fetch it from the user service.
let published: SigningKeySet = rotateKeySet(undefined);
let fetches = 0;
let server: Server;
let url: URL;

before(async () => {
  server = createServer((_request, response) => {
    fetches++;
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify(publicJwks(published)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`);
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

function sign(keys: SigningKeySet) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role: 'viewer', ver: 3, auth_time: now, amr: ['pwd'] })
    .setProtectedHeader({ alg: 'EdDSA', kid: keys.keys[0]!.kid, typ: AUTH.accessTokenType })
    .setIssuer(AUTH.issuer)
    .setAudience(AUTH.audience)
    .setSubject('acct-9')
    .setIssuedAt()
    .setExpirationTime('1m')
    .sign(privateKeyOf(keys.keys[0]!));
}

test('a remote JWKS is cached, and refetched when a token names a kid it has not seen (key rotation)', async () => {
  const verify = createAccessTokenVerifier({ keys: url, jwksCooldownMs: 0 });
  const before = published;
  const principal = await verify(await sign(before));
  assert.deepEqual(principal, {
    accountId: 'acct-9',
    role: 'viewer',
    authTime: principal.authTime,
    amr: ['pwd'],
    tokenVersion: 3,
  });
  await verify(await sign(before));
  assert.equal(fetches, 1, 'the second token used the cached set');

  published = rotateKeySet(before);
  await verify(await sign(published));
  assert.equal(fetches, 2, 'an unknown kid triggered one refetch');
  await verify(await sign(before));
  assert.equal(fetches, 2, 'the previous key is still in the refetched set');
});

test('a kid that is in no published set is refused as invalid', async () => {
  const verify = createAccessTokenVerifier({ keys: url, jwksCooldownMs: 0 });
  await assert.rejects(verify(await sign(rotateKeySet(undefined))), /Access token is invalid/);
});

test('bearerToken takes only a well-formed Bearer credential', () => {
  assert.equal(bearerToken('Bearer abc.def.ghi'), 'abc.def.ghi');
  assert.equal(bearerToken('bearer abc.def.ghi'), 'abc.def.ghi');
  assert.equal(bearerToken('Basic dXNlcjpwdw=='), undefined);
  assert.equal(bearerToken('Bearer a b'), undefined);
  assert.equal(bearerToken(undefined), undefined);
});
