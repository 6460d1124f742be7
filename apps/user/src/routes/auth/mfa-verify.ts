import { AMR, AUTH, AUTH_ROUTES } from '@scalefu/contracts';
import { UnauthorizedError } from '@scalefu/service-kit';
import { Type } from 'typebox';
import { findAccount } from '../../store/admin-accounts';
import { addTrustedDevice } from '../../store/trusted-devices';
import type { AdminApp } from '../shared';
import {
  AUTH_TAGS,
  CodeField,
  SessionEnvelope,
  checkSecondFactor,
  completeSignIn,
  errorResponses,
  setCookie,
  type AuthDeps,
} from './shared';

const VerifyBody = Type.Object(
  {
    challengeToken: Type.String({ minLength: 1, maxLength: 4096 }),
    code: CodeField,
    trustDevice: Type.Optional(Type.Boolean({ description: 'skip the code on this browser for 30 days' })),
  },
  { additionalProperties: false },
);

/** `POST /api/v1/auth/mfa/verify`: the challenge from `login` plus a TOTP or backup code → tokens. */
export function mfaVerifyRoute(app: AdminApp, deps: AuthDeps): void {
  app.post(
    AUTH_ROUTES.mfaVerify,
    {
      schema: {
        tags: AUTH_TAGS,
        security: [],
        summary: 'Second factor: TOTP or backup code → access token + refresh cookie',
        body: VerifyBody,
        response: { 200: SessionEnvelope, ...errorResponses(400, 401, 413, 415, 429, 503) },
      },
    },
    async (request, reply) => {
      const challenge = await deps.tokens.verifyChallenge(request.body.challengeToken);
      const account = await findAccount(deps.pool, challenge.accountId);
      if (!account || account.disabled || !account.totpActive) throw new UnauthorizedError('Sign in again');
      await checkSecondFactor(deps, request, account, request.body.code, 'auth.mfa');
      const ttl = challenge.expiresAt - Math.floor(Date.now() / 1000) + AUTH.clockSkewSeconds;
      if (!(await deps.throttle.spendChallenge(challenge.jti, ttl))) {
        throw new UnauthorizedError('MFA challenge already used; sign in again');
      }
      if (request.body.trustDevice) {
        const label = String(request.headers['user-agent'] ?? 'unknown device');
        const deviceId = await addTrustedDevice(deps.pool, account.accountId, label, deps.trustedDeviceSeconds);
        const token = await deps.tokens.issueDeviceToken(account.accountId, deviceId);
        setCookie(deps, reply, AUTH.deviceCookie, token, deps.trustedDeviceSeconds, AUTH_ROUTES.login);
      }
      return completeSignIn(deps, reply, account, [AMR.password, AMR.otp]);
    },
  );
}
