import { AUTH, AUTH_ROUTES } from '@scalefu/contracts';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunningApp } from '../src/app';
import { TOTP_PERIOD_MS, codeAt } from '../src/domain/auth/totp';
import {
  assertEnvelope,
  assertNoSecretsLogged,
  call,
  freshCode,
  newAccount,
  ORIGIN,
  secrets,
  setCookieValue,
  signIn,
  startAuthApp,
  type TestAccount,
} from './auth-helpers';
import { newPerson } from './helpers';

let app: RunningApp;

before(async () => {
  app = await startAuthApp();
});

after(async () => {
  await app?.stop();
});

async function challengeOf(account: TestAccount, cookie?: string): Promise<string> {
  const login = await call(app, 'POST', AUTH_ROUTES.login, {
    body: { email: account.email, password: account.password },
    ...(cookie ? { cookie } : {}),
  });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  assert.equal(login.body.data.next, 'mfa');
  secrets.add(login.body.data.challengeToken);
  return login.body.data.challengeToken;
}

const verify = (challengeToken: string, code: string, trustDevice?: boolean) => {
  secrets.add(code);
  return call(app, 'POST', AUTH_ROUTES.mfaVerify, {
    body: { challengeToken, code, ...(trustDevice ? { trustDevice } : {}) },
  });
};

describe('TOTP enrolment, replay, lockout, backup codes, trusted devices', () => {
  let enrolled: { account: TestAccount; secret: string; backupCodes: string[] };

  test('an admin enrols: URI + SVG; the factor is active only after a correct code; 10 backup codes once', async () => {
    const account = await newAccount(app, 'admin', false);
    const { accessToken } = await signIn(app, account);
    const enrol = await call(app, 'POST', AUTH_ROUTES.totpEnrol, { token: accessToken });
    assert.equal(enrol.status, 200);
    const secret = new URL(enrol.body.data.otpauthUri).searchParams.get('secret')!;
    secrets.add(secret);
    assert.match(enrol.body.data.qrSvg, /<svg[\s\S]*<\/svg>/);
    // Not active yet: login still skips MFA and the admin API stays closed.
    const before = await call(app, 'POST', AUTH_ROUTES.login, {
      body: { email: account.email, password: account.password },
    });
    assert.equal(before.body.data.next, 'enrol');
    secrets.add(before.body.data.accessToken);
    const wrong = await call(app, 'POST', AUTH_ROUTES.totpActivate, { token: accessToken, body: { code: '000000' } });
    assertEnvelope(wrong, 401, 'UNAUTHORIZED');
    const code = codeAt(secret, Date.now());
    secrets.add(code);
    const activate = await call(app, 'POST', AUTH_ROUTES.totpActivate, { token: accessToken, body: { code } });
    assert.equal(activate.status, 200, JSON.stringify(activate.body));
    const backupCodes = activate.body.data.backupCodes as string[];
    assert.equal(new Set(backupCodes).size, 10);
    backupCodes.forEach((c) => secrets.add(c));
    secrets.add(activate.body.data.accessToken);
    const users = await call(app, 'GET', '/api/v1/users?limit=1', { token: activate.body.data.accessToken });
    assert.equal(users.status, 200, 'the token from activation opens the admin API');
    const stored = await app.pool.query<{ totp_secret: string }>(
      `SELECT totp_secret FROM admin_accounts WHERE account_id = $1`,
      [account.accountId],
    );
    assert.match(stored.rows[0]!.totp_secret, /^v1\./, 'the TOTP secret is sealed at rest');
    assert.equal(stored.rows[0]!.totp_secret.includes(secret), false);
    const { rows } = await app.pool.query(`SELECT code_hash FROM backup_codes WHERE account_id = $1`, [
      account.accountId,
    ]);
    assert.equal(rows.length, 10);
    for (const row of rows) assert.equal(backupCodes.includes(String(row.code_hash)), false, 'stored hashed');
    enrolled = {
      account: { ...account, totpSecret: secret, lastStep: Math.floor(Date.now() / TOTP_PERIOD_MS) },
      secret,
      backupCodes,
    };
  });

  test('activation turns the sign-in into an MFA session: a new refresh cookie (pwd+otp), the old one ends', async () => {
    const account = await newAccount(app, 'admin', false);
    const { accessToken, refreshCookie } = await signIn(app, account);
    const enrol = await call(app, 'POST', AUTH_ROUTES.totpEnrol, { token: accessToken });
    const secret = new URL(enrol.body.data.otpauthUri).searchParams.get('secret')!;
    secrets.add(secret);
    const code = codeAt(secret, Date.now());
    secrets.add(code);
    const activate = await call(app, 'POST', AUTH_ROUTES.totpActivate, {
      token: accessToken,
      cookie: refreshCookie,
      body: { code },
    });
    assert.equal(activate.status, 200, JSON.stringify(activate.body));
    activate.body.data.backupCodes.forEach((c: string) => secrets.add(c));
    secrets.add(activate.body.data.accessToken);
    const rotated = setCookieValue(activate, AUTH.refreshCookie);
    assert.ok(rotated, 'activation sets a refresh cookie');
    secrets.add(rotated);
    assert.notEqual(`${AUTH.refreshCookie}=${rotated}`, refreshCookie);
    // What a reload does: the new cookie refreshes into a full session, not back to "enrol".
    const reload = await call(app, 'POST', AUTH_ROUTES.refresh, {
      cookie: `${AUTH.refreshCookie}=${rotated}`,
      origin: ORIGIN,
    });
    assert.equal(reload.status, 200, JSON.stringify(reload.body));
    assert.equal(reload.body.data.next, 'done');
    secrets.add(reload.body.data.accessToken);
    const claims = JSON.parse(Buffer.from(reload.body.data.accessToken.split('.')[1], 'base64url').toString());
    assert.deepEqual([...claims.amr].sort(), ['otp', 'pwd']);
    const users = await call(app, 'GET', '/api/v1/users?limit=1', { token: reload.body.data.accessToken });
    assert.equal(users.status, 200, 'the refreshed token opens the admin API');
    // The password-only family is over: its cookie no longer refreshes.
    assertEnvelope(
      await call(app, 'POST', AUTH_ROUTES.refresh, { cookie: refreshCookie, origin: ORIGIN }),
      401,
      'UNAUTHORIZED',
    );
    const { rows } = await app.pool.query<{ amr: string[]; revoke_reason: string | null }>(
      `SELECT amr, revoke_reason FROM refresh_families WHERE account_id = $1 ORDER BY created_at`,
      [account.accountId],
    );
    assert.deepEqual(
      rows.map((r) => [r.amr.join('+'), r.revoke_reason]),
      [
        ['pwd', 'mfa_activated'],
        ['pwd+otp', null],
      ],
    );
  });

  test('a replayed TOTP code (same step) is refused', async () => {
    const account = await newAccount(app, 'admin');
    const code = await freshCode(account);
    assert.equal((await verify(await challengeOf(account), code)).status, 200);
    assertEnvelope(await verify(await challengeOf(account), code), 401, 'UNAUTHORIZED');
  });

  test('a code two steps away is refused; one step away is accepted', async () => {
    const account = await newAccount(app, 'admin');
    const far = codeAt(account.totpSecret!, Date.now() + 2 * TOTP_PERIOD_MS + 1000);
    assertEnvelope(await verify(await challengeOf(account), far), 401, 'UNAUTHORIZED');
    const next = codeAt(account.totpSecret!, Date.now() + TOTP_PERIOD_MS);
    assert.equal((await verify(await challengeOf(account), next)).status, 200);
  });

  test('10 wrong codes lock the account with 429 and Retry-After, even for a right code', async () => {
    const account = await newAccount(app, 'admin');
    const challenge = await challengeOf(account);
    for (let i = 0; i < 10; i++) assertEnvelope(await verify(challenge, '000000'), 401, 'UNAUTHORIZED');
    const locked = await verify(challenge, await freshCode(account));
    assertEnvelope(locked, 429, 'RATE_LIMITED');
    assert.ok(Number(locked.headers.get('retry-after')) >= 1, `Retry-After ${locked.headers.get('retry-after')}`);
    const { rows } = await app.pool.query(`SELECT 1 FROM audit_events WHERE action = 'auth.lockout' AND target = $1`, [
      account.accountId,
    ]);
    assert.equal(rows.length, 1);
  });

  test('a backup code works once', async () => {
    const code = enrolled.backupCodes[3]!;
    const first = await verify(await challengeOf(enrolled.account), code.toUpperCase());
    assert.equal(first.status, 200, JSON.stringify(first.body));
    secrets.add(first.body.data.accessToken);
    assertEnvelope(await verify(await challengeOf(enrolled.account), code), 401, 'UNAUTHORIZED');
  });

  test('a challenge is single-use', async () => {
    const account = await newAccount(app, 'admin');
    const challenge = await challengeOf(account);
    assert.equal((await verify(challenge, await freshCode(account))).status, 200);
    assertEnvelope(await verify(challenge, await freshCode(account)), 401, 'UNAUTHORIZED');
  });

  test('"trust this device": the next login skips the code; revoking the device asks for it again', async () => {
    const account = await newAccount(app, 'admin');
    const trusted = await verify(await challengeOf(account), await freshCode(account), true);
    assert.equal(trusted.status, 200);
    const deviceToken = setCookieValue(trusted, AUTH.deviceCookie)!;
    secrets.add(deviceToken);
    const deviceLine = trusted.headers.getSetCookie().find((l) => l.startsWith(`${AUTH.deviceCookie}=`))!;
    assert.match(deviceLine, /HttpOnly.*SameSite=Strict.*Secure|HttpOnly; SameSite=Strict; Secure/);
    const cookie = `${AUTH.deviceCookie}=${deviceToken}`;

    const again = await call(app, 'POST', AUTH_ROUTES.login, {
      body: { email: account.email, password: account.password },
      cookie,
    });
    assert.equal(again.body.data.next, 'done');
    const token = again.body.data.accessToken as string;
    secrets.add(token);
    assert.equal((await call(app, 'POST', '/api/v1/users', { token, body: newPerson('Device') })).status, 201);

    const devices = await call(app, 'GET', AUTH_ROUTES.devices, { token });
    assert.equal(devices.body.data.devices.length, 1);
    const deviceId = devices.body.data.devices[0].deviceId as string;
    assert.equal((await call(app, 'DELETE', `${AUTH_ROUTES.devices}/${deviceId}`, { token })).status, 204);
    const afterRevoke = await call(app, 'POST', AUTH_ROUTES.login, {
      body: { email: account.email, password: account.password },
      cookie,
    });
    assert.equal(afterRevoke.body.data.next, 'mfa');
    secrets.add(afterRevoke.body.data.challengeToken);
    // Another account's device cookie does not skip this account's code.
    const other = await newAccount(app, 'admin');
    assert.equal((await challengeOf(other, cookie)).length > 0, true);
  });

  test('no password, token, TOTP secret or code in any log line of this run', () => {
    assertNoSecretsLogged();
  });
});
