import { AUTH_LIFETIMES, AUTH_ROUTES, RUNTIME_ENV } from '@scalefu/contracts';
import { createLogger, createPostgresPool, type PostgresPool } from '@scalefu/service-kit';
import { Redis } from 'ioredis';
import assert from 'node:assert/strict';
import { call, freshCode, newAccount, signIn, type TestAccount } from '../../apps/user/test/auth-helpers';
import { AuthThrottle } from '../../apps/user/src/store/auth-throttle';
import type { Operation } from './operations';

/** Addresses a loopback client shows up as in `request.ip`. */
const LOOPBACK_IPS = ['127.0.0.1', '::ffff:127.0.0.1', '::1'];

/**
 * Real admin accounts (made through the admin CLI's own code, MFA enrolled with a real TOTP secret) and their access
 * tokens, so the property test exercises the token-secured operations as a signed-in admin does. Each account has one
 * job, so what a generated request does to one (wrong codes lock it, a role change ends its sessions) never breaks the
 * operations the others serve:
 * - `main`: admin with MFA, for every admin route; its token is renewed through step-up before it ages past the
 *   step-up window, so delete-user and change-role see a recent MFA.
 * - `stepUp`: admin with MFA, for `mfa/step-up` itself: generated codes are wrong, so they lock only this account.
 * - `enrol`: admin without MFA, for `totp/enrol` (answered 200, a new pending secret) and `totp/activate` (wrong
 *   codes, then its lockout).
 * - `targets`: accounts the generated role changes land on (with the main account itself, which must get 409).
 */
export class AdminSessions {
  private constructor(
    private readonly pool: PostgresPool,
    private readonly redis: Redis,
    private readonly main: TokenHolder,
    private readonly stepUp: TokenHolder,
    private readonly enrol: TokenHolder,
    /** Ids the role-change operation's `accountId` is drawn from (besides random ones). */
    readonly roleTargets: readonly string[],
  ) {}

  static async open(userUrl: string): Promise<AdminSessions> {
    const logger = createLogger({ service: 'property-test', level: 'silent' });
    const pool = createPostgresPool(
      { url: requiredEnv(RUNTIME_ENV.databaseUrl), max: 2, applicationName: 'property-test' },
      logger,
    );
    const redis = new Redis(requiredEnv(RUNTIME_ENV.redisUrl), { lazyConnect: false });
    const throttle = new AuthThrottle(redis);
    // The generated login requests (wrong passwords, all from loopback) lock the client IP for sign-in, as they
    // should; the sessions' own sign-ins reset that counter first, as the login timing test does.
    const beforeSignIn = async () => {
      for (const ip of LOOPBACK_IPS) await throttle.clear('loginIp', ip);
    };
    const app = { pool, url: userUrl };
    const [main, stepUp, enrol, ...targets] = await Promise.all([
      newAccount(app, 'admin'),
      newAccount(app, 'admin'),
      newAccount(app, 'admin', false),
      newAccount(app, 'viewer'),
      newAccount(app, 'viewer', false),
      newAccount(app, 'admin'),
    ]);
    const sessions = new AdminSessions(
      pool,
      redis,
      new TokenHolder(app, main!, beforeSignIn),
      // Signed in afresh right before its run (`prepare`), and never renewed by step-up: its run locks it.
      new TokenHolder(app, stepUp!, beforeSignIn, AUTH_LIFETIMES.accessToken * 1000 * 0.9),
      new TokenHolder(app, enrol!, beforeSignIn),
      [main!.accountId, ...targets.map((t) => t.accountId)],
    );
    // Signed in before any generated request runs, so each token is there when its operation's turn comes.
    for (const holder of [sessions.main, sessions.stepUp, sessions.enrol]) await holder.signIn();
    return sessions;
  }

  /** Renew the token of whichever account serves `op` if it is getting old, before the operation's run starts. */
  async prepare(op: Operation): Promise<void> {
    const holder = this.holderOf(op);
    if (holder === this.stepUp) await holder.signIn();
    else await holder?.token();
  }

  /** The `authorization` header for one request of `op` (none for an open operation). */
  async headersFor(op: Operation): Promise<Record<string, string>> {
    const holder = this.holderOf(op);
    return holder ? { authorization: `Bearer ${await holder.token()}` } : {};
  }

  /** The main admin's `authorization` header. */
  async mainHeaders(): Promise<Record<string, string>> {
    return { authorization: `Bearer ${await this.main.token()}` };
  }

  async close(): Promise<void> {
    await this.pool.end();
    this.redis.disconnect();
  }

  private holderOf(op: Operation): TokenHolder | undefined {
    if (op.schemes.length === 0) return undefined;
    if (op.path === AUTH_ROUTES.stepUp) return this.stepUp;
    if (op.path === AUTH_ROUTES.totpEnrol || op.path === AUTH_ROUTES.totpActivate) return this.enrol;
    return this.main;
  }
}

/**
 * One account's access token, renewed before it is `RENEW_AFTER_MS` old: with MFA through step-up (a new token with a
 * recent `auth_time`, what delete-user and change-role demand within AUTH_LIFETIMES.stepUp seconds), without MFA by signing in.
 */
class TokenHolder {
  private accessToken: string | undefined;
  private issuedAt = 0;

  constructor(
    private readonly app: { url: string },
    private readonly account: TestAccount,
    private readonly beforeSignIn: () => Promise<void>,
    private readonly renewAfterMs: number = RENEW_AFTER_MS,
  ) {}

  async signIn(): Promise<void> {
    await this.beforeSignIn();
    this.accessToken = (await signIn(this.app, this.account)).accessToken;
    this.issuedAt = Date.now();
  }

  async token(): Promise<string> {
    if (!this.accessToken) await this.signIn();
    else if (Date.now() - this.issuedAt > this.renewAfterMs) await this.renew();
    return this.accessToken!;
  }

  private async renew(): Promise<void> {
    if (!this.account.totpSecret) return this.signIn();
    const reply = await call(this.app, 'POST', AUTH_ROUTES.stepUp, {
      token: this.accessToken!,
      body: { code: await freshCode(this.account) },
    });
    assert.equal(reply.status, 200, `step-up of the property test's admin: ${JSON.stringify(reply.body)}`);
    this.accessToken = reply.body.data.accessToken as string;
    this.issuedAt = Date.now();
  }
}

/** Well inside both the step-up window and the access token's lifetime. */
const RENEW_AFTER_MS = Math.min(AUTH_LIFETIMES.stepUp, AUTH_LIFETIMES.accessToken) * 1000 * 0.6;

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the property test through \`npm test\``);
  return value;
}
