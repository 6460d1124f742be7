import { AMR, AUTH_ROUTES } from '@scalefu/contracts';
import { AppError, UnauthorizedError, inTransaction } from '@scalefu/service-kit';
import { Type } from 'typebox';
import { backupCodeHash, newBackupCodes } from '../../domain/auth/backup-codes';
import { openSecret } from '../../domain/auth/secret-seal';
import { matchingStep } from '../../domain/auth/totp';
import { acceptTotpStep, findAccount } from '../../store/admin-accounts';
import { replaceBackupCodes } from '../../store/backup-codes';
import type { AdminApp } from '../shared';
import { AUTH_TAGS, errorResponses, principalOf, record, sessionBody, type AuthDeps } from './shared';

const ActivateEnvelope = Type.Object({
  status: Type.Literal('success'),
  data: Type.Object({
    backupCodes: Type.Array(Type.String(), { description: 'ten single-use codes, shown this once' }),
    accessToken: Type.String({ description: 'a token with MFA, so the admin API opens without signing in again' }),
    tokenType: Type.Literal('Bearer'),
    expiresIn: Type.Integer(),
  }),
});

/** `POST /api/v1/auth/mfa/totp/activate`: the first correct code activates the factor and returns the backup codes. */
export function totpActivateRoute(app: AdminApp, deps: AuthDeps): void {
  app.post(
    AUTH_ROUTES.totpActivate,
    {
      schema: {
        tags: AUTH_TAGS,
        summary: 'Finish TOTP enrolment with a correct code; returns 10 backup codes once',
        security: [{ bearer: [] }],
        body: Type.Object({ code: Type.String({ pattern: '^[0-9]{6}$' }) }, { additionalProperties: false }),
        response: { 200: ActivateEnvelope, ...errorResponses(400, 401, 409, 413, 415, 429, 503) },
      },
    },
    async (request) => {
      const principal = await principalOf(deps, request);
      const account = await findAccount(deps.pool, principal.accountId);
      if (!account) throw new UnauthorizedError();
      if (account.totpActive) throw new AppError('CONFLICT', 'The second factor is already active');
      if (!account.totpSecret) throw new AppError('CONFLICT', 'Start with mfa/totp/enrol');
      const retryAfter = await deps.throttle.retryAfter([['mfaAccount', account.accountId]]);
      if (retryAfter > 0)
        throw new AppError('RATE_LIMITED', 'Too many wrong codes', [], { 'retry-after': String(retryAfter) });
      const secret = openSecret(account.totpSecret, deps.mfaKey, account.accountId);
      const step = secret === undefined ? undefined : matchingStep(secret, request.body.code);
      const codes = newBackupCodes();
      const activated =
        step !== undefined &&
        (await inTransaction(deps.pool, async (tx) => {
          if (!(await acceptTotpStep(tx, account.accountId, step, true))) return false;
          await replaceBackupCodes(tx, account.accountId, codes.map(backupCodeHash));
          return true;
        }));
      if (!activated) {
        await deps.throttle.fail('mfaAccount', account.accountId);
        await record(deps, request, { action: 'auth.mfa_activate', outcome: 'failure', actorId: account.accountId });
        throw new UnauthorizedError('Invalid code');
      }
      await record(deps, request, { action: 'auth.mfa_activate', outcome: 'success', actorId: account.accountId });
      const session = await sessionBody(deps, account, [AMR.password, AMR.otp], Math.floor(Date.now() / 1000));
      const { accessToken, tokenType, expiresIn } = session.data;
      return { status: 'success' as const, data: { backupCodes: codes, accessToken, tokenType, expiresIn } };
    },
  );
}
