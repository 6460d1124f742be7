import { USERS_PATH } from './shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { listAuditRoute } from './audit/list-audit';
import { changeRoleRoute, listAccountsRoute } from './auth/accounts';
import { record, type AuthDeps } from './auth/shared';
import { createUserRoute } from './create-user';
import { deleteUserRoute } from './delete-user';
import { getUserRoute } from './get-user';
import { listUsersRoute } from './list-users';
import { patchUserRoute } from './patch-user';
import { replaceUserRoute } from './replace-user';
import type { AdminApp, RouteDeps } from './shared';

/**
 * Decides whether a request may use the admin API; throws an `AppError` (401/403) to refuse. The service plugs in the
 * kit's access guard (JWT, role, MFA, token version, step-up); tests of the API's own rules may pass `allowAll`.
 */
export type AdminGuard = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

export const allowAll: AdminGuard = async () => undefined;

const USER_WRITE_ACTIONS: Readonly<Record<string, string>> = {
  POST: 'users.create',
  PUT: 'users.update',
  PATCH: 'users.update',
  DELETE: 'users.delete',
};

/**
 * Every admin route, in one encapsulated plugin whose `onRequest` hook runs the guard before anything else
 * (before body validation, so an anonymous caller learns nothing about the API from 400s). With `auth`, the admin
 * accounts and audit routes join, and every successful user write lands in the audit trail.
 */
export async function registerAdminRoutes(
  app: AdminApp,
  deps: RouteDeps,
  guard: AdminGuard = allowAll,
  auth?: AuthDeps,
): Promise<void> {
  await app.register(async (admin: AdminApp) => {
    admin.addHook('onRequest', guard);
    listUsersRoute(admin, deps);
    getUserRoute(admin, deps);
    createUserRoute(admin, deps);
    replaceUserRoute(admin, deps);
    patchUserRoute(admin, deps);
    deleteUserRoute(admin, deps);
    if (!auth) return;
    listAccountsRoute(admin, auth);
    changeRoleRoute(admin, auth);
    listAuditRoute(admin, auth);
    admin.addHook('onResponse', async (request, reply) => {
      const action = USER_WRITE_ACTIONS[request.method];
      if (!action || reply.statusCode >= 300 || !request.routeOptions.url?.startsWith(USERS_PATH)) return;
      const params = request.params as { userID?: string };
      const location = reply.getHeader('location');
      const target = params.userID ?? (typeof location === 'string' ? location.split('/').pop() : undefined);
      try {
        await record(auth, request, { action, outcome: 'success', actorId: request.principal?.accountId, target });
      } catch (error) {
        request.log.error({ err: error, audit: action }, 'audit write failed');
      }
    });
  });
}
