import { AUTH_ROUTES } from '@scalefu/contracts';
import { maskEmail, maskPhone } from '@scalefu/identity';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunningApp } from '../src/app';
import {
  assertEnvelope,
  assertNoSecretsLogged,
  call,
  freshCode,
  newAccount,
  signIn,
  startAuthApp,
  type Reply,
  type TestAccount,
} from './auth-helpers';
import { newPerson } from './helpers';

const STEP_UP_SECONDS = 3;
let app: RunningApp;
let admin: TestAccount;
let adminToken: string;
let viewerToken: string;
let noMfaAdminToken: string;

before(async () => {
  app = await startAuthApp({ AUTH_STEP_UP_SECONDS: STEP_UP_SECONDS });
  admin = await newAccount(app, 'admin');
  adminToken = (await signIn(app, admin)).accessToken;
  viewerToken = (await signIn(app, await newAccount(app, 'viewer'))).accessToken;
  const noMfa = await signIn(app, await newAccount(app, 'admin', false));
  assert.equal(noMfa.login.body.data.next, 'enrol');
  noMfaAdminToken = noMfa.accessToken;
});

after(async () => {
  await app?.stop();
});

/** A fresh user to act on, made by the admin; returns its id, ETag and the person. */
async function userToActOn() {
  const person = newPerson('Matrix');
  const created = await call(app, 'POST', '/api/v1/users', { token: adminToken, body: person });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return { id: created.body.data.userID as string, etag: created.headers.get('etag')!, person };
}

interface Operation {
  readonly name: string;
  readonly write: boolean;
  readonly adminOnly?: boolean;
  readonly run: (token: string | undefined) => Promise<Reply>;
}

let target: Awaited<ReturnType<typeof userToActOn>>;
let otherAccount: TestAccount;

const operations: Operation[] = [
  { name: 'GET /api/v1/users', write: false, run: (token) => call(app, 'GET', '/api/v1/users?limit=5', { token }) },
  {
    name: 'GET /api/v1/users/{id}',
    write: false,
    run: (token) => call(app, 'GET', `/api/v1/users/${target.id}`, { token }),
  },
  {
    name: 'POST /api/v1/users',
    write: true,
    run: (token) => call(app, 'POST', '/api/v1/users', { token, body: newPerson('M') }),
  },
  {
    name: 'PUT /api/v1/users/{id}',
    write: true,
    run: (token) =>
      call(app, 'PUT', `/api/v1/users/${target.id}`, {
        token,
        body: { name: 'Put Name', email: target.person.email, phoneNumber: target.person.phoneNumber },
        headers: { 'if-match': target.etag },
      }),
  },
  {
    name: 'PATCH /api/v1/users/{id}',
    write: true,
    run: (token) =>
      call(app, 'PATCH', `/api/v1/users/${target.id}`, {
        token,
        body: { name: 'Patched' },
        headers: { 'if-match': target.etag },
      }),
  },
  {
    name: 'DELETE /api/v1/users/{id}',
    write: true,
    run: (token) => call(app, 'DELETE', `/api/v1/users/${target.id}`, { token }),
  },
  {
    name: 'GET /api/v1/auth/accounts',
    write: false,
    adminOnly: true,
    run: (token) => call(app, 'GET', AUTH_ROUTES.accounts, { token }),
  },
  {
    name: 'PUT /api/v1/auth/accounts/{id}/role',
    write: true,
    run: (token) =>
      call(app, 'PUT', `${AUTH_ROUTES.accounts}/${otherAccount.accountId}/role`, { token, body: { role: 'viewer' } }),
  },
  {
    name: 'GET /api/v1/audit',
    write: false,
    adminOnly: true,
    run: (token) => call(app, 'GET', AUTH_ROUTES.audit, { token }),
  },
];

describe('role × verb matrix over every admin and audit route', () => {
  before(async () => {
    target = await userToActOn();
    otherAccount = await newAccount(app, 'admin');
  });

  for (const op of operations) {
    test(`anonymous: ${op.name} → 401 UNAUTHORIZED with WWW-Authenticate`, async () => {
      const reply = await op.run(undefined);
      assertEnvelope(reply, 401, 'UNAUTHORIZED');
      assert.match(reply.headers.get('www-authenticate') ?? '', /^Bearer/);
    });

    test(`admin without MFA: ${op.name} → 403 MFA_ENROLMENT_REQUIRED`, async () => {
      assertEnvelope(await op.run(noMfaAdminToken), 403, 'MFA_ENROLMENT_REQUIRED');
    });

    test(`viewer: ${op.name} → ${op.write || op.adminOnly ? '403 FORBIDDEN' : '200'}`, async () => {
      const reply = await op.run(viewerToken);
      if (op.write || op.adminOnly) assertEnvelope(reply, 403, 'FORBIDDEN');
      else assert.equal(reply.status, 200, JSON.stringify(reply.body));
    });
  }

  test('viewer reads e-mail and phone masked, in the list and in one user', async () => {
    const one = await call(app, 'GET', `/api/v1/users/${target.id}`, { token: viewerToken });
    const asAdmin = await call(app, 'GET', `/api/v1/users/${target.id}`, { token: adminToken });
    assert.equal(asAdmin.body.data.phoneNumber, target.person.phoneNumber);
    assert.equal(one.body.data.email, maskEmail(asAdmin.body.data.email));
    assert.equal(one.body.data.phoneNumber, maskPhone(target.person.phoneNumber));
    const list = await call(app, 'GET', '/api/v1/users?limit=100', { token: viewerToken });
    for (const user of list.body.data.users) assert.match(user.email, /\*\*\*/);
  });

  test('admin without MFA may enrol TOTP (and nothing else)', async () => {
    const reply = await call(app, 'POST', AUTH_ROUTES.totpEnrol, { token: noMfaAdminToken });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.match(reply.body.data.otpauthUri, /^otpauth:\/\/totp\//);
    assert.match(reply.body.data.qrSvg, /^<svg/);
  });

  test('admin with MFA: every operation succeeds (deletes right after sign-in: the MFA is recent)', async () => {
    // A sign-in of its own: the suite's token is older than the short step-up window by now.
    adminToken = (await signIn(app, await newAccount(app, 'admin'))).accessToken;
    for (const op of operations) {
      if (op.name.startsWith('PUT /api/v1/users') || op.name.startsWith('PATCH')) target = await userToActOn();
      if (op.name.startsWith('DELETE')) target = await userToActOn();
      const reply = await op.run(adminToken);
      assert.ok(reply.status >= 200 && reply.status < 300, `${op.name}: ${reply.status} ${JSON.stringify(reply.body)}`);
    }
  });
});

describe('step-up: deleting a user and changing a role need a code within the window', () => {
  test('an MFA older than the window → 401 STEP_UP_REQUIRED; after mfa/step-up the same call succeeds', async () => {
    const stepper = await newAccount(app, 'admin'); // its own TOTP steps, so no wait for an unused code
    const stale = (await signIn(app, stepper)).accessToken;
    await new Promise((resolve) => setTimeout(resolve, (STEP_UP_SECONDS + 1.5) * 1000));
    const victim = await userToActOn();
    const other = await newAccount(app, 'viewer');
    assertEnvelope(await call(app, 'DELETE', `/api/v1/users/${victim.id}`, { token: stale }), 401, 'STEP_UP_REQUIRED');
    const roleChange = (token: string) =>
      call(app, 'PUT', `${AUTH_ROUTES.accounts}/${other.accountId}/role`, { token, body: { role: 'admin' } });
    assertEnvelope(await roleChange(stale), 401, 'STEP_UP_REQUIRED');
    // Ordinary writes are not step-up routes.
    assert.equal((await call(app, 'POST', '/api/v1/users', { token: stale, body: newPerson('Stale') })).status, 201);

    const stepUp = await call(app, 'POST', AUTH_ROUTES.stepUp, {
      token: stale,
      body: { code: await freshCode(stepper) },
    });
    assert.equal(stepUp.status, 200, JSON.stringify(stepUp.body));
    const fresh = stepUp.body.data.accessToken as string;
    assert.equal((await call(app, 'DELETE', `/api/v1/users/${victim.id}`, { token: fresh })).status, 200);
    const changed = await roleChange(fresh);
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.equal(changed.body.data.role, 'admin');
  });

  test('every admin write is in the audit trail, newest first, with cursor pagination', async () => {
    const first = await call(app, 'GET', `${AUTH_ROUTES.audit}?limit=2`, { token: adminToken });
    assert.equal(first.status, 200);
    assert.equal(first.body.data.events.length, 2);
    const next = await call(app, 'GET', `${AUTH_ROUTES.audit}?limit=2&cursor=${first.body.data.page.nextCursor}`, {
      token: adminToken,
    });
    assert.ok(next.body.data.events[0].id < first.body.data.events[1].id);
    const { rows } = await app.pool.query<{ action: string }>(
      `SELECT DISTINCT action FROM audit_events WHERE action IN ('users.create','users.update','users.delete','accounts.role_change')`,
    );
    assert.deepEqual(rows.map((r) => r.action).sort(), [
      'accounts.role_change',
      'users.create',
      'users.delete',
      'users.update',
    ]);
    await assert.rejects(app.pool.query(`DELETE FROM audit_events`), /append-only/);
    await assert.rejects(app.pool.query(`UPDATE audit_events SET outcome = 'success'`), /append-only/);
  });

  test('no password, token, TOTP secret or code in any log line of this run', () => {
    assertNoSecretsLogged();
  });
});
