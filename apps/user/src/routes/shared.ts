import { RegisterRequestBody, UserId, UserResource } from '@scalefu/contracts';
import type { Logger, PostgresPool } from '@scalefu/service-kit';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Type } from 'typebox';
import { etagOf } from '../domain/etag';
import { toMaskedResource, toResource, type StoredUser } from '../domain/user';

/** The Fastify instance admin routes are registered on (inside the admin plugin, behind its auth hook). */
export type AdminApp = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, Logger, TypeBoxTypeProvider>;

/** What admin handlers need. */
export interface RouteDeps {
  readonly pool: PostgresPool;
  /** Key of the national-ID HMAC (admin create). */
  readonly nationalIdHmacKey: string;
}

export const USERS_PATH = '/api/v1/users';
export const TAGS = ['users'];

export const UserParams = Type.Object({ userID: UserId });

export const UserEnvelope = Type.Object({ status: Type.Literal('success'), data: UserResource });

/** The fields PUT/PATCH may change, with the limits of registration's body so the two never drift apart. */
export const EditableFields = {
  name: RegisterRequestBody.properties.name,
  email: RegisterRequestBody.properties.email,
  phoneNumber: RegisterRequestBody.properties.phoneNumber,
};

export const IfMatchHeaders = Type.Object({
  'if-match': Type.Optional(Type.String({ description: 'ETag of the user as read (W/"<version>")' })),
});

/** Error responses a route documents (bodies are built by the kit's error handler, never by routes). */
export { errorResponses } from '@scalefu/contracts';

/** Reply with one user, its ETag and the success envelope; contact data masked for a viewer. */
export function sendUser(reply: FastifyReply, user: StoredUser, statusCode = 200, masked = false) {
  return reply
    .code(statusCode)
    .header('etag', etagOf(user.version))
    .send({ status: 'success' as const, data: masked ? toMaskedResource(user) : toResource(user) });
}
