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

/** Any non-empty subset of the editable fields; unknown fields (status, version, userID, ...) are a 400. */
const PatchBody = Type.Object(
  {
    name: Type.Optional(EditableFields.name),
    email: Type.Optional(EditableFields.email),
    phoneNumber: Type.Optional(EditableFields.phoneNumber),
  },
  { additionalProperties: false, minProperties: 1 },
);

/** `PATCH /api/v1/users/:userID`: change some editable fields; If-Match required. */
export function patchUserRoute(app: AdminApp, deps: RouteDeps): void {
  app.patch(
    `${USERS_PATH}/:userID`,
    {
      preValidation: reportDomainErrorsToo(identityFieldErrors),
      schema: {
        tags: TAGS,
        summary: 'Change some editable fields of a user (If-Match required)',
        params: UserParams,
        headers: IfMatchHeaders,
        body: PatchBody,
        response: { 200: UserEnvelope, ...errorResponses(400, 401, 403, 404, 409, 412, 413, 415, 428) },
      },
    },
    async (request, reply) => {
      const user = await changeUser(deps, request.params.userID, request.headers['if-match'], request.body);
      return sendUser(reply, user);
    },
  );
}
