import { identityFieldErrors } from '@scalefu/identity';
import { reportDomainErrorsToo } from '@scalefu/service-kit';
import { Type } from 'typebox';
import { changeUser } from './change-user';
import {
  EditableFields,
  IfMatchHeaders,
  TAGS,
  USERS_PATH,
  UserEnvelope,
  UserParams,
  errorResponses,
  sendUser,
  type AdminApp,
  type RouteDeps,
} from './shared';

/** Every editable field, and nothing else: status, version, ids and the national ID are not writable here. */
const ReplaceBody = Type.Object(EditableFields, { additionalProperties: false });

/** `PUT /api/v1/users/:userID`: replace the editable fields; If-Match required. */
export function replaceUserRoute(app: AdminApp, deps: RouteDeps): void {
  app.put(
    `${USERS_PATH}/:userID`,
    {
      preValidation: reportDomainErrorsToo(identityFieldErrors),
      schema: {
        tags: TAGS,
        summary: 'Replace the editable fields of a user (If-Match required)',
        params: UserParams,
        headers: IfMatchHeaders,
        body: ReplaceBody,
        response: { 200: UserEnvelope, ...errorResponses(400, 401, 403, 404, 409, 412, 413, 415, 428) },
      },
    },
    async (request, reply) => {
      const user = await changeUser(deps, request.params.userID, request.headers['if-match'], request.body);
      return sendUser(reply, user);
    },
  );
}
