/**
 * Shared pieces of the admin-access integration tests: the app in process on the real Postgres and Redis of the test
 * stack, accounts made through the CLI's own code, sign-in helpers, and a log sink that every test file searches for
 * the secrets it handled (passwords, tokens, TOTP secrets, codes).
 */
import { AUTH, AUTH_ROUTES, RUNTIME_ENV, type AdminRole } from '@scalefu/contracts';
import { createLogger } from '@scalefu/service-kit';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { startApp, type AppOverrides, type RunningApp } from '../src/app';
import { createAccount } from '../src/admin-cli/commands';
import type { UserConfig } from '../src/config';
import { sealSecret } from '../src/domain/auth/secret-seal';
import { TOTP_PERIOD_MS, codeAt, newTotpSecret } from '../src/domain/auth/totp';
import { acceptTotpStep, setPendingTotp } from '../src/store/admin-accounts';
import { config } from './helpers';

/** Every log line the apps of this test process wrote, and every secret the tests handled. */
export const logLines: string[] = [];
export const secrets = new Set<string>();
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  },
});
export const capturingLogger = createLogger({ service: 'user-auth-test', level: 'debug', destination: sink });

/** Admin origin the cookie endpoints accept in these tests. */
export const ORIGIN = 'https://admin.test.example';

export type AuthConfig = Partial<Pick<UserConfig, `AUTH_${string}` & keyof UserConfig>>;

export function startAuthApp(overrides: AuthConfig = {}, app: AppOverrides = {}): Promise<RunningApp> {
  return startApp(
    { ...config, CORS_ALLOWED_ORIGINS: ORIGIN, AUTH_COOKIE_SECURE: true, ...overrides },
    { logger: capturingLogger, port: 0, host: '127.0.0.1', consumers: false, relay: false, ...app },
  );
}

export interface TestAccount {
  readonly accountId: string;
  readonly email: string;
  readonly password: string;
  readonly role: AdminRole;
  readonly totpSecret?: string;
  /** Highest TOTP step this test used, so the next code is never a replay. */
  lastStep: number;
}

/** An account made by the CLI's code path; with `mfa`, a TOTP factor already active. */
export async function newAccount(
  app: Pick<RunningApp, 'pool'>,
  role: AdminRole,
  mfa = role === 'admin',
): Promise<TestAccount> {
  const email = `auth-${randomUUID().slice(0, 12)}@example.com`;
  const password = `pw ${randomBytes(12).toString('base64url')}`;
  secrets.add(password);
  const account = await createAccount(app.pool, capturingLogger, { email, role, password });
  let totpSecret: string | undefined;
  if (mfa) {
    totpSecret = newTotpSecret();
    secrets.add(totpSecret);
    const key = Buffer.from(config[RUNTIME_ENV.mfaEncryptionKey], 'hex');
    await setPendingTotp(app.pool, account.accountId, sealSecret(totpSecret, key, account.accountId));
    assert.equal(await acceptTotpStep(app.pool, account.accountId, 0, true), true);
  }
  return { accountId: account.accountId, email, password, role, ...(totpSecret ? { totpSecret } : {}), lastStep: 0 };
}

/** A code the server has not seen yet: the current step, or the next one (still within ±1) if this one was used. */
export async function freshCode(account: TestAccount): Promise<string> {
  for (;;) {
    const current = Math.floor(Date.now() / TOTP_PERIOD_MS);
    const step = Math.max(current, account.lastStep + 1);
    if (step <= current + 1) {
      account.lastStep = step;
      const code = codeAt(account.totpSecret!, step * TOTP_PERIOD_MS);
      secrets.add(code);
      return code;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

export interface Reply {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface CallOptions {
  readonly token?: string;
  readonly body?: unknown;
  readonly cookie?: string;
  readonly origin?: string;
  readonly headers?: Record<string, string>;
}

export async function call(
  app: Pick<RunningApp, 'url'>,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  if (options.cookie) headers['cookie'] = options.cookie;
  if (options.origin) headers['origin'] = options.origin;
  const response = await fetch(`${app.url}${path}`, {
    method,
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/** The value of a Set-Cookie of this name ('' when it is being cleared), or undefined. */
export function setCookieValue(reply: Reply, name: string): string | undefined {
  for (const line of reply.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const [key, ...value] = pair!.split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

export interface Session {
  readonly accessToken: string;
  /** `scalefu_refresh=<token>` ready for a Cookie header. */
  readonly refreshCookie: string;
  readonly login: Reply;
}

/** Password, then (for an account with MFA) a fresh TOTP code: the two-step sign-in the web does. */
export async function signIn(app: Pick<RunningApp, 'url'>, account: TestAccount): Promise<Session> {
  const login = await call(app, 'POST', AUTH_ROUTES.login, {
    body: { email: account.email, password: account.password },
  });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  let final = login;
  if (login.body.data.next === 'mfa') {
    secrets.add(login.body.data.challengeToken);
    final = await call(app, 'POST', AUTH_ROUTES.mfaVerify, {
      body: { challengeToken: login.body.data.challengeToken, code: await freshCode(account) },
    });
    assert.equal(final.status, 200, JSON.stringify(final.body));
  }
  const accessToken = final.body.data.accessToken as string;
  const refresh = setCookieValue(final, AUTH.refreshCookie)!;
  secrets.add(accessToken);
  secrets.add(refresh);
  return { accessToken, refreshCookie: `${AUTH.refreshCookie}=${refresh}`, login: final };
}

/** The error envelope every refusal carries. */
export function assertEnvelope(reply: Reply, status: number, code: string): void {
  assert.equal(reply.status, status, JSON.stringify(reply.body));
  assert.equal(reply.body?.status, 'error');
  assert.equal(reply.body?.code, code, JSON.stringify(reply.body));
  assert.equal(typeof reply.body?.message, 'string');
}

/** Fails naming the first log line that contains a secret this test process handled. */
export function assertNoSecretsLogged(): void {
  assert.ok(logLines.length > 0, 'no log line was captured: the sink is not wired');
  for (const secret of secrets) {
    // A 6-digit code could occur inside a number or an id by chance; it counts only as a token of its own.
    const standalone = new RegExp(`(?<![0-9A-Za-z.])${secret}(?![0-9A-Za-z.])`);
    const found = /^\d{6}$/.test(secret) ? (l: string) => standalone.test(l) : (l: string) => l.includes(secret);
    const line = logLines.find(found);
    assert.equal(line, undefined, `a secret appeared in a log line: ${line?.slice(0, 200)}`);
  }
}
