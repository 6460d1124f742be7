import { AMR, AUTH, AUTH_ROUTES } from '@scalefu/contracts';
import { RateLimitedError, UnauthorizedError } from '@scalefu/service-kit';
import { Type } from 'typebox';
import { dummyPasswordHashFor, hashPassword, needsRehash, verifyPassword } from '../../domain/auth/password';
import { findAccountByEmail, normaliseAdminEmail } from '../../store/admin-accounts';
import { subjectOfEmail } from '../../store/auth-throttle';
import { isDeviceTrusted } from '../../store/trusted-devices';
import type { AdminApp } from '../shared';
import { AUTH_TAGS, SessionEnvelope, completeSignIn, cookieOf, errorResponses, record, type AuthDeps } from './shared';

const LoginBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254 }),
    // No policy at sign-in (accounts made before a policy change must still get in); the cap bounds hashing work.
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);

/** The one answer to an unknown e-mail, a wrong password and a disabled account alike. */
const INVALID = 'Invalid e-mail or password';

/**
 * `POST /api/v1/auth/login`: e-mail + password. An account with TOTP gets a challenge for `mfa/verify` (unless this
 * device is trusted); one without gets tokens at once (an admin's can only enrol). Unknown e-mail and wrong password
 * cost the same: the password is checked against a per-e-mail dummy hash, and both count against the e-mail's and the IP's
 * lockouts.
 */
export function loginRoute(app: AdminApp, deps: AuthDeps): void {
  app.post(
    AUTH_ROUTES.login,
    {
      schema: {
        tags: AUTH_TAGS,
        security: [],
        summary: 'Sign in with e-mail and password',
        body: LoginBody,
        response: { 200: SessionEnvelope, ...errorResponses(400, 401, 413, 415, 429, 503) },
      },
    },
    async (request, reply) => {
      const email = normaliseAdminEmail(request.body.email);
      const subject = subjectOfEmail(email);
      const retryAfter = await deps.throttle.retryAfter([
        ['loginAccount', subject],
        ['loginIp', request.ip],
      ]);
      if (retryAfter > 0) {
        await record(deps, request, { action: 'auth.login', outcome: 'failure', details: { reason: 'locked' } });
        throw new RateLimitedError(retryAfter);
      }
      const account = await findAccountByEmail(deps.pool, email);
      const passwordOk = await verifyPassword(
        account?.passwordHash ?? dummyPasswordHashFor(email, deps.dummySaltKey),
        request.body.password,
      );
      if (!account || !passwordOk || account.disabled) {
        const [accountLock, ipLock] = await Promise.all([
          deps.throttle.fail('loginAccount', subject),
          deps.throttle.fail('loginIp', request.ip),
        ]);
        const reason = !account ? 'unknown_email' : !passwordOk ? 'wrong_password' : 'disabled';
        await record(deps, request, {
          action: 'auth.login',
          outcome: 'failure',
          target: account?.accountId,
          details: { reason },
        });
        if (accountLock > 0 || ipLock > 0) {
          await record(deps, request, {
            action: 'auth.lockout',
            outcome: 'success',
            target: account?.accountId,
            details: { scope: accountLock > 0 ? 'account' : 'ip', seconds: Math.max(accountLock, ipLock) },
          });
        }
        throw new UnauthorizedError(INVALID);
      }
      await deps.throttle.clear('loginAccount', subject);
      const rehashed = needsRehash(account.passwordHash) ? await hashPassword(request.body.password) : undefined;
      await record(deps, request, { action: 'auth.login', outcome: 'success', actorId: account.accountId });

      if (account.totpActive) {
        const device = cookieOf(request, AUTH.deviceCookie);
        const trusted = device ? await deps.tokens.verifyDeviceToken(device) : undefined;
        if (
          trusted?.accountId === account.accountId &&
          (await isDeviceTrusted(deps.pool, account.accountId, trusted.deviceId))
        ) {
          return completeSignIn(deps, reply, account, [AMR.password, AMR.device], rehashed);
        }
        return {
          status: 'success' as const,
          data: {
            next: 'mfa' as const,
            challengeToken: await deps.tokens.issueChallenge(account.accountId),
            expiresIn: deps.tokens.lifetimes.challenge,
          },
        };
      }
      return completeSignIn(deps, reply, account, [AMR.password], rehashed);
    },
  );
}
