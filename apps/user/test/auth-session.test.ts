import { AUTH, AUTH_ROUTES } from '@scalefu/contracts';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunningApp } from '../src/app';
import {
  ORIGIN,
  assertEnvelope,
  assertNoSecretsLogged,
  call,
  newAccount,
  secrets,
  setCookieValue,
  signIn,
  startAuthApp,
  type Reply,
} from './auth-helpers';

const IDLE_SECONDS = 3;
const ABSOLUTE_SECONDS = 7;
let app: RunningApp;

before(async () => {
  app = await startAuthApp({
    AUTH_REFRESH_IDLE_SECONDS: IDLE_SECONDS,
    AUTH_REFRESH_ABSOLUTE_SECONDS: ABSOLUTE_SECONDS,
    AUTH_ACCESS_TOKEN_SECONDS: 60,
  });
});

after(async () => {
  await app?.stop();
});

/** `origin: null` sends no Origin header at all. */
const refresh = (cookie: string, origin: string | null = ORIGIN) =>
  call(app, 'POST', AUTH_ROUTES.refresh, { cookie, ...(origin ? { origin } : {}) });

/** The rotated cookie of a refresh answer, ready for the next request. */
function nextCookie(reply: Reply): string {
  const value = setCookieValue(reply, AUTH.refreshCookie);
  assert.ok(value, 'no refresh cookie was set');
  secrets.add(value);
  return `${AUTH.refreshCookie}=${value}`;
}

async function session() {
  return signIn(app, await newAccount(app, 'admin'));
}

describe('refresh tokens: rotation, re-use detection, lifetimes, logout', () => {
  test('the refresh cookie is HttpOnly, Secure, SameSite=Strict and scoped to the auth prefix', async () => {
    const { login } = await session();
    const line = login.headers.getSetCookie().find((l) => l.startsWith(`${AUTH.refreshCookie}=`))!;
    assert.match(line, /; HttpOnly/);
    assert.match(line, /; Secure/);
    assert.match(line, /; SameSite=Strict/);
    assert.match(line, new RegExp(`; Path=${AUTH_ROUTES.prefix}(;|$)`));
    assert.equal(setCookieValue(login, AUTH.refreshCookie)!.length, 43, '256 bits, base64url');
  });

  test('refresh rotates: a new cookie and a new access token that works', async () => {
    const { refreshCookie } = await session();
    const first = await refresh(refreshCookie);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.notEqual(nextCookie(first), refreshCookie);
    secrets.add(first.body.data.accessToken);
    const users = await call(app, 'GET', '/api/v1/users?limit=1', { token: first.body.data.accessToken });
    assert.equal(users.status, 200);
  });

  test('re-using a rotated token revokes the family: the newest token stops working too', async () => {
    const { refreshCookie } = await session();
    const rotated = await refresh(refreshCookie);
    const newest = nextCookie(rotated);
    assertEnvelope(await refresh(refreshCookie), 401, 'UNAUTHORIZED');
    assertEnvelope(await refresh(newest), 401, 'UNAUTHORIZED');
    const { rows } = await app.pool.query(
      `SELECT 1 FROM audit_events WHERE action = 'auth.refresh_reuse' AND request_id IS NOT NULL`,
    );
    assert.ok(rows.length >= 1);
  });

  test('two parallel refreshes with one token: exactly one succeeds', async () => {
    const { refreshCookie } = await session();
    const replies = await Promise.all([refresh(refreshCookie), refresh(refreshCookie)]);
    for (const r of replies) if (r.status === 200) secrets.add(r.body.data.accessToken);
    assert.deepEqual(replies.map((r) => r.status).sort(), [200, 401], JSON.stringify(replies.map((r) => r.body)));
  });

  test('a token unused for longer than the idle lifetime expires', async () => {
    const { refreshCookie } = await session();
    await new Promise((resolve) => setTimeout(resolve, (IDLE_SECONDS + 1) * 1000));
    assertEnvelope(await refresh(refreshCookie), 401, 'UNAUTHORIZED');
  });

  test('a session ends at its absolute lifetime however often it is refreshed', async () => {
    let { refreshCookie } = await session();
    const started = Date.now();
    // Refresh every second (well inside the idle lifetime) until one is refused: that must be the absolute end.
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const reply = await refresh(refreshCookie);
      const elapsed = (Date.now() - started) / 1000;
      if (reply.status !== 200) {
        assertEnvelope(reply, 401, 'UNAUTHORIZED');
        assert.ok(elapsed >= ABSOLUTE_SECONDS - 1, `refused after ${elapsed} s, before the absolute lifetime`);
        break;
      }
      assert.ok(elapsed <= ABSOLUTE_SECONDS + 1, `still refreshing after ${elapsed} s`);
      secrets.add(reply.body.data.accessToken);
      refreshCookie = nextCookie(reply);
    }
  });

  test('CSRF: refresh and logout refuse a foreign or missing Origin', async () => {
    const { refreshCookie } = await session();
    assertEnvelope(await refresh(refreshCookie, 'https://evil.example'), 403, 'FORBIDDEN');
    assertEnvelope(await refresh(refreshCookie, null), 403, 'FORBIDDEN');
    const logout = await call(app, 'POST', AUTH_ROUTES.logout, {
      cookie: refreshCookie,
      origin: 'https://evil.example',
    });
    assertEnvelope(logout, 403, 'FORBIDDEN');
    assert.equal((await refresh(refreshCookie)).status, 200, 'the refused calls changed nothing');
  });

  test('logout revokes the family and clears the cookie', async () => {
    const { refreshCookie } = await session();
    const logout = await call(app, 'POST', AUTH_ROUTES.logout, { cookie: refreshCookie, origin: ORIGIN });
    assert.equal(logout.status, 204);
    assert.equal(setCookieValue(logout, AUTH.refreshCookie), '');
    assertEnvelope(await refresh(refreshCookie), 401, 'UNAUTHORIZED');
  });

  test('no password, token, TOTP secret or code in any log line of this run', () => {
    assertNoSecretsLogged();
  });
});
