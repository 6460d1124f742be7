import { AUTH, AUTH_ROUTES } from '@scalefu/contracts';
import { UnauthorizedError } from '@scalefu/service-kit';
import { findAccount } from '../../store/admin-accounts';
import { revokeFamily, rotateRefreshToken } from '../../store/refresh-tokens';
import type { AdminApp } from '../shared';
import {
  AUTH_TAGS,
  SessionEnvelope,
  assertAllowedOrigin,
  clearCookie,
  cookieOf,
  errorResponses,
  record,
  sessionBody,
  setCookie,
  type AuthDeps,
} from './shared';

/**
 * `POST /api/v1/auth/refresh`: rotates the refresh cookie and returns a new access token. A token that was already
 * rotated revokes its whole family (someone else holds a copy); so of two parallel refreshes with one token, one
 * succeeds and the other ends the session for both.
 */
export function refreshRoute(app: AdminApp, deps: AuthDeps): void {
  app.post(
    AUTH_ROUTES.refresh,
    {
      schema: {
        tags: AUTH_TAGS,
        security: [],
        summary: 'Rotate the refresh cookie; new access token (Origin checked)',
        response: { 200: SessionEnvelope, ...errorResponses(401, 403) },
      },
    },
    async (request, reply) => {
      assertAllowedOrigin(deps, request);
      const token = cookieOf(request, AUTH.refreshCookie);
      if (!token) throw new UnauthorizedError('No refresh cookie; sign in');
      const result = await rotateRefreshToken(deps.pool, token, deps.refresh.idle);
      if (result.kind !== 'rotated') {
        clearCookie(deps, reply, AUTH.refreshCookie);
        if (result.kind === 'reused') {
          await record(deps, request, {
            action: 'auth.refresh_reuse',
            outcome: 'failure',
            target: result.family.accountId,
            details: { family: result.family.familyId },
          });
        }
        throw new UnauthorizedError('Session ended; sign in again');
      }
      const account = await findAccount(deps.pool, result.family.accountId);
      if (!account || account.disabled) {
        await revokeFamily(deps.pool, result.family.familyId, 'disabled');
        clearCookie(deps, reply, AUTH.refreshCookie);
        throw new UnauthorizedError('Session ended; sign in again');
      }
      setCookie(deps, reply, AUTH.refreshCookie, result.token, deps.refresh.absolute);
      const authTime = Math.floor(result.family.authTime.getTime() / 1000);
      const hasFactor = result.family.amr.some((m) => m !== 'pwd');
      return sessionBody(deps, account, result.family.amr, authTime, account.role === 'admin' && !hasFactor);
    },
  );
}
