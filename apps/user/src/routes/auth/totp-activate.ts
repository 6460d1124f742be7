import { AMR, AUTH, AUTH_ROUTES } from '@scalefu/contracts';
import { AppError, UnauthorizedError, inTransaction } from '@scalefu/service-kit';
import { Type } from 'typebox';
import { backupCodeHash, newBackupCodes } from '../../domain/auth/backup-codes';
import { openSecret } from '../../domain/auth/secret-seal';
import { matchingStep } from '../../domain/auth/totp';
import { acceptTotpStep, findAccount } from '../../store/admin-accounts';
import { replaceBackupCodes } from '../../store/backup-codes';
import { revokeAccountFamilies, startFamilyIn } from '../../store/refresh-tokens';
import type { AdminApp } from '../shared';
import { AUTH_TAGS, errorResponses, principalOf, record, sessionBody, setCookie, type AuthDeps } from './shared';

const ActivateEnvelope = Type.Object({
  status: Type.Literal('success'),
  data: Type.Object({
    backupCodes: Type.Array(Type.String(), { description: 'ten single-use codes, shown this once' }),
    accessToken: Type.String({ description: 'a token with MFA, so the admin API opens without signing in again' }),
    tokenType: Type.Literal('Bearer'),
    expiresIn: Type.Integer(),
  }),
});

/**
 * `POST /api/v1/auth/mfa/totp/activate`: the first correct code activates the factor and returns the backup codes.
 * The code just proved the factor, so the session becomes a full MFA session at once (ADR 0111): every password-only
 * refresh family of the account ends (the one in this browser's cookie included) and a new family with
 * `amr` pwd+otp is set in the refresh cookie, so a reload or a new tab stays signed in.
 */
export function totpActivateRoute(app: AdminApp, deps: AuthDeps): void {
  app.post(
    AUTH_ROUTES.totpActivate,
    {
      schema: {
        tags: AUTH_TAGS,
        summary: 'Finish TOTP enrolment with a correct code: 10 backup codes once, a new refresh cookie (MFA session)',
        security: [{ bearer: [] }],
        body: Type.Object({ code: Type.String({ pattern: '^[0-9]{6}$' }) }, { additionalProperties: false }),
        response: { 200: ActivateEnvelope, ...errorResponses(400, 401, 409, 413, 415, 429, 503) },
      },
    },
    async (request, reply) => {
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
      const amr = [AMR.password, AMR.otp];
      const authTime = new Date();
      const refresh =
        step === undefined
          ? undefined
          : await inTransaction(deps.pool, async (tx) => {
              if (!(await acceptTotpStep(tx, account.accountId, step, true))) return undefined;
              await replaceBackupCodes(tx, account.accountId, codes.map(backupCodeHash));
              await revokeAccountFamilies(tx, account.accountId, 'mfa_activated');
              return startFamilyIn(tx, { accountId: account.accountId, authTime, amr }, deps.refresh);
            });
      if (refresh === undefined) {
        await deps.throttle.fail('mfaAccount', account.accountId);
        await record(deps, request, { action: 'auth.mfa_activate', outcome: 'failure', actorId: account.accountId });
        throw new UnauthorizedError('Invalid code');
      }
      await record(deps, request, { action: 'auth.mfa_activate', outcome: 'success', actorId: account.accountId });
      setCookie(deps, reply, AUTH.refreshCookie, refresh, deps.refresh.absolute);
      const session = await sessionBody(deps, account, amr, Math.floor(authTime.getTime() / 1000));
      const { accessToken, tokenType, expiresIn } = session.data;
      return { status: 'success' as const, data: { backupCodes: codes, accessToken, tokenType, expiresIn } };
    },
  );
}
