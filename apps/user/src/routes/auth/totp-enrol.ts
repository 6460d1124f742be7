import { AUTH_ROUTES } from '@scalefu/contracts';
import { AppError, UnauthorizedError } from '@scalefu/service-kit';
import { Type } from 'typebox';
import { sealSecret } from '../../domain/auth/secret-seal';
import { enrolmentOf, newTotpSecret } from '../../domain/auth/totp';
import { findAccount, setPendingTotp } from '../../store/admin-accounts';
import type { AdminApp } from '../shared';
import { AUTH_TAGS, errorResponses, principalOf, record, type AuthDeps } from './shared';

const EnrolEnvelope = Type.Object({
  status: Type.Literal('success'),
  data: Type.Object({
    otpauthUri: Type.String({ description: 'otpauth://totp/… for authenticator apps' }),
    qrSvg: Type.String({ description: 'the same URI as an SVG QR code' }),
  }),
});

/**
 * `POST /api/v1/auth/mfa/totp/enrol`: a new pending TOTP secret (any earlier pending one is replaced). The factor is
 * active only after `totp/activate` with a correct code. The one admin-API call an admin without MFA may make.
 */
export function totpEnrolRoute(app: AdminApp, deps: AuthDeps): void {
  app.post(
    AUTH_ROUTES.totpEnrol,
    {
      schema: {
        tags: AUTH_TAGS,
        summary: 'Start TOTP enrolment: otpauth URI + QR code (SVG)',
        security: [{ bearer: [] }],
        response: { 200: EnrolEnvelope, ...errorResponses(401, 409) },
      },
    },
    async (request) => {
      const principal = await principalOf(deps, request);
      const account = await findAccount(deps.pool, principal.accountId);
      if (!account) throw new UnauthorizedError();
      const secret = newTotpSecret();
      if (!(await setPendingTotp(deps.pool, account.accountId, sealSecret(secret, deps.mfaKey, account.accountId)))) {
        throw new AppError(
          'CONFLICT',
          'A second factor is already active; an admin can reset it (npm run admin -- reset-mfa)',
        );
      }
      await record(deps, request, { action: 'auth.mfa_enrol', outcome: 'success', actorId: account.accountId });
      const { uri, qrSvg } = await enrolmentOf(secret, account.email);
      return { status: 'success' as const, data: { otpauthUri: uri, qrSvg } };
    },
  );
}
