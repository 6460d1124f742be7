import { TOPICS, UserId } from '@scalefu/contracts';
import { NotFoundError, inTransaction } from '@scalefu/service-kit';
import { Type } from 'typebox';
import { assertIfMatch } from '../domain/preconditions';
import { identityOf, toResource } from '../domain/user';
import { enqueueEvent } from '../store/outbox';
import { deleteUser, findUser } from '../store/users';
import { IfMatchHeaders, TAGS, USERS_PATH, UserParams, errorResponses, type AdminApp, type RouteDeps } from './shared';

const DeletedEnvelope = Type.Object({
  status: Type.Literal('success'),
  data: Type.Object({ userID: UserId, deletedAt: Type.String({ format: 'date-time' }) }),
});

/** `DELETE /api/v1/users/:userID`: If-Match optional (412 when stale); emits `user.deleted` with the last state. */
export function deleteUserRoute(app: AdminApp, deps: RouteDeps): void {
  app.delete(
    `${USERS_PATH}/:userID`,
    {
      config: { auth: { stepUp: true } },
      schema: {
        tags: TAGS,
        summary: 'Delete a user (If-Match optional; admin with a code entered within 5 min); emits user.deleted',
        params: UserParams,
        headers: IfMatchHeaders,
        response: { 200: DeletedEnvelope, ...errorResponses(400, 401, 403, 404, 412) },
      },
    },
    async (request) => {
      const { userID } = request.params;
      const deletedAt = await inTransaction(deps.pool, async (tx) => {
        const user = await findUser(tx, userID, true);
        if (!user) throw new NotFoundError('User');
        assertIfMatch(request.headers['if-match'], user.version, false);
        const at = await deleteUser(tx, userID);
        await enqueueEvent(tx, TOPICS.userDeleted, userID, {
          user: toResource(user),
          identity: identityOf(user),
          deletedAt: at.toISOString(),
        });
        return at;
      });
      return { status: 'success' as const, data: { userID, deletedAt: deletedAt.toISOString() } };
    },
  );
}
