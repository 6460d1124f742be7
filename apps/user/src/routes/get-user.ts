import { NotFoundError } from '@scalefu/service-kit';
import { Type } from 'typebox';
import { etagMatches, etagOf } from '../domain/etag';
import { findUser } from '../store/users';
import {
  TAGS,
  USERS_PATH,
  UserEnvelope,
  UserParams,
  errorResponses,
  sendUser,
  type AdminApp,
  type RouteDeps,
} from './shared';

/** `GET /api/v1/users/:userID` with `ETag`; `If-None-Match` naming the current version gets 304. */
export function getUserRoute(app: AdminApp, deps: RouteDeps): void {
  app.get(
    `${USERS_PATH}/:userID`,
    {
      schema: {
        tags: TAGS,
        summary: 'Get one user (ETag; If-None-Match → 304)',
        params: UserParams,
        headers: Type.Object({ 'if-none-match': Type.Optional(Type.String()) }),
        response: {
          200: UserEnvelope,
          304: Type.Null({ description: 'Not Modified (no body)' }),
          ...errorResponses(404),
        },
      },
    },
    async (request, reply) => {
      const user = await findUser(deps.pool, request.params.userID);
      if (!user) throw new NotFoundError('User');
      const ifNoneMatch = request.headers['if-none-match'];
      if (ifNoneMatch && etagMatches(ifNoneMatch, user.version)) {
        return reply.code(304).header('etag', etagOf(user.version)).send(null);
      }
      return sendUser(reply, user);
    },
  );
}
