import { AMR, AUTH_ROUTES } from '@scalefu/contracts';
import { UnauthorizedError } from '@scalefu/service-kit';
import { Type } from 'typebox';
import { findAccount } from '../../store/admin-accounts';
import type { AdminApp } from '../shared';
import {
  AUTH_TAGS,
  CodeField,
  SessionEnvelope,
  checkSecondFactor,
  errorResponses,
  principalOf,
  sessionBody,
  type AuthDeps,
} from './shared';

/**
 * `POST /api/v1/auth/mfa/step-up`: a signed-in account re-enters a code and gets an access token whose `auth_time` is
 * now, which the step-up routes (delete a user, change a role) require to be recent.
 */
export function stepUpRoute(app: AdminApp, deps: AuthDeps): void {
  app.post(
    AUTH_ROUTES.stepUp,
    {
      schema: {
        tags: AUTH_TAGS,
        summary: 'Re-enter a code for a fresh access token (step-up)',
        security: [{ bearer: [] }],
        body: Type.Object({ code: CodeField }, { additionalProperties: false }),
        response: { 200: SessionEnvelope, ...errorResponses(400, 401, 413, 415, 429, 503) },
      },
    },
    async (request) => {
      const principal = await principalOf(deps, request);
      const account = await findAccount(deps.pool, principal.accountId);
      if (!account || !account.totpActive) throw new UnauthorizedError('No second factor enrolled');
      await checkSecondFactor(deps, request, account, request.body.code, 'auth.step_up');
      return sessionBody(deps, account, [AMR.password, AMR.otp], Math.floor(Date.now() / 1000));
    },
  );
}
