import type { FastifyReply, FastifyRequest } from 'fastify';
import { createUserRoute } from './create-user';
import { deleteUserRoute } from './delete-user';
import { getUserRoute } from './get-user';
import { listUsersRoute } from './list-users';
import { patchUserRoute } from './patch-user';
import { replaceUserRoute } from './replace-user';
import type { AdminApp, RouteDeps } from './shared';

/**
 * Decides whether a request may use the admin API; throws an `AppError` (401/403) to refuse. The auth issue
 * plugs its JWT check in here; until then every request is let through.
 */
export type AdminGuard = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

export const allowAll: AdminGuard = async () => undefined;

/**
 * Every admin route, in one encapsulated plugin whose `onRequest` hook runs the guard before anything else
 * (before body validation, so an anonymous caller learns nothing about the API from 400s).
 */
export async function registerAdminRoutes(app: AdminApp, deps: RouteDeps, guard: AdminGuard = allowAll): Promise<void> {
  await app.register(async (admin: AdminApp) => {
    admin.addHook('onRequest', guard);
    listUsersRoute(admin, deps);
    getUserRoute(admin, deps);
    createUserRoute(admin, deps);
    replaceUserRoute(admin, deps);
    patchUserRoute(admin, deps);
    deleteUserRoute(admin, deps);
  });
}
