import { AUTH, AUTH_ROUTES } from '@scalefu/contracts';
import { Type } from 'typebox';
import { revokeFamilyOfToken } from '../../store/refresh-tokens';
import type { AdminApp } from '../shared';
import { AUTH_TAGS, assertAllowedOrigin, clearCookie, cookieOf, errorResponses, record, type AuthDeps } from './shared';

/** `POST /api/v1/auth/logout`: revokes the refresh family of the cookie and clears it (Origin checked). */
export function logoutRoute(app: AdminApp, deps: AuthDeps): void {
  app.post(
    AUTH_ROUTES.logout,
    {
      schema: {
        tags: AUTH_TAGS,
        security: [],
        summary: 'Sign out: revoke the refresh family',
        response: {
          204: Type.Null({ description: 'signed out (also when there was no session)' }),
          ...errorResponses(403),
        },
      },
    },
    async (request, reply) => {
      assertAllowedOrigin(deps, request);
      const token = cookieOf(request, AUTH.refreshCookie);
      const accountId = token ? await revokeFamilyOfToken(deps.pool, token) : undefined;
      if (accountId) await record(deps, request, { action: 'auth.logout', outcome: 'success', actorId: accountId });
      clearCookie(deps, reply, AUTH.refreshCookie);
      return reply.code(204).send(null);
    },
  );
}
