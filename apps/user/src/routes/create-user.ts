import { identityFieldErrors } from '@scalefu/identity';
import { RegisterRequestBody, TOPICS } from '@scalefu/contracts';
import { DuplicateError, ValidationError, inTransaction, reportDomainErrorsToo } from '@scalefu/service-kit';
import { v7 as uuidv7 } from 'uuid';
import { checkNewPerson } from '../domain/person';
import { identityOf, toResource } from '../domain/user';
import { enqueueEvent } from '../store/outbox';
import { IdentityTakenError, insertUser } from '../store/users';
import { TAGS, USERS_PATH, UserEnvelope, errorResponses, sendUser, type AdminApp, type RouteDeps } from './shared';

/** `POST /api/v1/users`: an admin registers a person directly, with the public registration's rules. */
export function createUserRoute(app: AdminApp, deps: RouteDeps): void {
  app.post(
    USERS_PATH,
    {
      preValidation: reportDomainErrorsToo(identityFieldErrors),
      schema: {
        tags: TAGS,
        summary: 'Create a user (same validation and dedup as registration); emits user.created',
        body: RegisterRequestBody,
        response: { 201: UserEnvelope, ...errorResponses(400, 401, 403, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const person = checkNewPerson(request.body, deps.nationalIdHmacKey);
      if (!person.ok) throw new ValidationError(person.errors);
      const user = await inTransaction(deps.pool, async (tx) => {
        try {
          const created = await insertUser(tx, uuidv7(), person.value);
          await enqueueEvent(tx, TOPICS.userCreated, created.userID, {
            user: toResource(created),
            identity: identityOf(created),
          });
          return created;
        } catch (error) {
          if (error instanceof IdentityTakenError) {
            throw new DuplicateError([{ field: error.field ?? 'email', message: 'is already registered' }]);
          }
          throw error;
        }
      });
      reply.header('location', `${USERS_PATH}/${user.userID}`);
      return sendUser(reply, user, 201);
    },
  );
}
