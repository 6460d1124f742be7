/**
 * What the admin cases need before they start: an `admin` (TOTP active) and a `viewer` account made through the
 * admin CLI's own code, both signed in over HTTP as the admin web does, and one stored user to aim at. Accounts get
 * random e-mails, so the suite can run again against the same database.
 */
import { AUTH, AUTH_ROUTES, type AdminRole } from '@scalefu/contracts';
import { createLogger } from '@scalefu/service-kit';
import { randomBytes, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { createAccount } from '../../apps/user/src/admin-cli/commands';
import { sealSecret } from '../../apps/user/src/domain/auth/secret-seal';
import { TOTP_PERIOD_MS, codeAt, newTotpSecret } from '../../apps/user/src/domain/auth/totp';
import { acceptTotpStep, setPendingTotp } from '../../apps/user/src/store/admin-accounts';
import type { AttackResponse, Endpoint } from './http';
import { send } from './http';

const silent = createLogger({ service: 'attack-suite', level: 'silent' });

export interface Account {
  readonly accountId: string;
  readonly email: string;
  readonly password: string;
  readonly role: AdminRole;
  readonly totpSecret?: string;
  /** Highest TOTP step used, so the next code is never a replay. */
  lastStep: number;
}

export interface Session {
  readonly accessToken: string;
  /** `scalefu_refresh=<token>`, ready for a Cookie header. */
  readonly refreshCookie: string;
}

export interface Fixtures {
  readonly admin: Account;
  readonly viewer: Account;
  readonly adminSession: Session;
  readonly viewerSession: Session;
  /** A stored user the admin cases aim at. */
  readonly userID: string;
  /** A fresh account of a role, for cases that burn one (lock-outs, revoked families). */
  newAccount(role: AdminRole): Promise<Account>;
  /** The two-step sign-in (password, then a fresh code for TOTP accounts). */
  signIn(account: Account): Promise<Session>;
  /** A TOTP code the server has not seen yet for this account (waits for the next step when needed). */
  freshCode(account: Account): Promise<string>;
}

export function cookieValue(response: AttackResponse, name: string): string | undefined {
  const lines = response.headers['set-cookie'] ?? [];
  for (const line of lines) {
    const [pair] = line.split(';');
    const at = pair!.indexOf('=');
    if (pair!.slice(0, at) === name) return pair!.slice(at + 1);
  }
  return undefined;
}

export async function makeFixtures(options: {
  readonly db: pg.Pool;
  readonly admin: Endpoint;
  /** The user service's MFA_ENCRYPTION_KEY (hex), to seal the TOTP secret as enrolment would. */
  readonly mfaEncryptionKey: string;
  /** A stored user's id. */
  readonly userID: string;
}): Promise<Fixtures> {
  const { db } = options;
  const key = Buffer.from(options.mfaEncryptionKey, 'hex');

  async function newAccount(role: AdminRole): Promise<Account> {
    const email = `attack-${randomUUID().slice(0, 12)}@example.com`;
    const password = `pw ${randomBytes(12).toString('base64url')}`;
    const created = await createAccount(db, silent, { email, role, password });
    if (role !== 'admin') return { accountId: created.accountId, email, password, role, lastStep: 0 };
    const totpSecret = newTotpSecret();
    await setPendingTotp(db, created.accountId, sealSecret(totpSecret, key, created.accountId));
    if (!(await acceptTotpStep(db, created.accountId, 0, true))) throw new Error('could not activate TOTP');
    return { accountId: created.accountId, email, password, role, totpSecret, lastStep: 0 };
  }

  async function freshCode(account: Account): Promise<string> {
    for (;;) {
      const current = Math.floor(Date.now() / TOTP_PERIOD_MS);
      const step = Math.max(current, account.lastStep + 1);
      if (step <= current + 1) {
        account.lastStep = step;
        return codeAt(account.totpSecret!, step * TOTP_PERIOD_MS);
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  async function signIn(account: Account): Promise<Session> {
    const login = await send(options.admin, {
      method: 'POST',
      path: AUTH_ROUTES.login,
      body: { email: account.email, password: account.password },
    });
    if (login.status !== 200) throw new Error(`sign-in of the fixture failed: ${login.status} ${login.text}`);
    let final = login;
    if (login.json.data.next === 'mfa') {
      final = await send(options.admin, {
        method: 'POST',
        path: AUTH_ROUTES.mfaVerify,
        body: { challengeToken: login.json.data.challengeToken, code: await freshCode(account) },
      });
      if (final.status !== 200) throw new Error(`MFA of the fixture failed: ${final.status} ${final.text}`);
    }
    const refresh = cookieValue(final, AUTH.refreshCookie);
    return { accessToken: final.json.data.accessToken, refreshCookie: `${AUTH.refreshCookie}=${refresh}` };
  }

  const [admin, viewer] = [await newAccount('admin'), await newAccount('viewer')];
  return {
    admin,
    viewer,
    adminSession: await signIn(admin),
    viewerSession: await signIn(viewer),
    userID: options.userID,
    newAccount,
    signIn,
    freshCode,
  };
}
