import {
  PUBLIC_ROUTE_TEMPLATES,
  RegisterAcceptedResponse,
  RegisterRequestBody,
  TOPICS,
  errorResponses,
} from '@scalefu/contracts';
import { checkIdentity, identityFieldErrors } from '@scalefu/identity';
import {
  DependencyUnavailableError,
  DuplicateError,
  ValidationError,
  tagActiveSpan,
  USER_ID_ATTRIBUTE,
  reportDomainErrorsToo,
  type EventProducer,
  type ScaleFuHttpServer,
} from '@scalefu/service-kit';
import type { FastifyRequest } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import { identityClaims, registrationRequested } from '../domain/registration-command';
import { OnboarderMetrics } from '../metrics';
import type { Reservations } from '../store/reservations';

export const REGISTER_PATH = PUBLIC_ROUTE_TEMPLATES.register;
export const registrationLocation = (userID: string) => `/api/v1/registrations/${userID}`;

export interface RegisterRouteDeps {
  readonly reservations: Pick<Reservations, 'reserve' | 'release'>;
  readonly producer: Pick<EventProducer, 'publish'>;
  readonly nationalIdHmacKey: string;
  readonly rateLimit: (request: FastifyRequest) => Promise<void>;
  readonly metrics: OnboarderMetrics;
}

const registerErrors = errorResponses(409, 413, 415, 429);

/**
 * `POST /api/v1/register`: validate → reserve every identity key in Redis (one atomic script) → publish the
 * command → 201 only after the broker's acks=all. A failed publish releases the reservation and answers 503,
 * so a client retry can succeed and nothing stays reserved for a registration that does not exist.
 */
export function registerRoute(app: ScaleFuHttpServer, deps: RegisterRouteDeps): void {
  app.post(
    REGISTER_PATH,
    {
      schema: {
        summary: 'Register a member',
        description:
          'Validates, reserves the identity (e-mail, phone, national ID) and answers 201 once the registration command is durable in Kafka.',
        tags: ['registration'],
        body: RegisterRequestBody,
        response: { 201: RegisterAcceptedResponse, ...registerErrors },
      },
      onRequest: async (request) => deps.rateLimit(request),
      preValidation: reportDomainErrorsToo(identityFieldErrors),
      onResponse: async (_request, reply) => {
        deps.metrics.registrations.inc({ outcome: OnboarderMetrics.outcomeOf(reply.statusCode) });
      },
    },
    async (request, reply) => {
      const checked = checkIdentity(request.body, deps.nationalIdHmacKey);
      if (!checked.ok) throw new ValidationError(checked.errors);
      const person = checked.value;

      const userID = uuidv7();
      tagActiveSpan({ [USER_ID_ATTRIBUTE]: userID }); // the registration's trace is searchable by its id
      const now = new Date();
      const claims = identityClaims(person.identity);
      const conflicts = await deps.reservations.reserve(userID, claims, now);
      if (conflicts.length > 0) {
        for (const c of conflicts) deps.metrics.duplicates.inc({ field: c.field, stage: 'redis' });
        // Name the fields, never the registration that holds them.
        throw new DuplicateError(conflicts.map((c) => ({ field: c.field, message: 'is already registered' })));
      }

      const command = registrationRequested({ userID, eventId: uuidv7() }, person, now);
      try {
        await deps.producer.publish(TOPICS.registrationRequest.name, person.identity.email, command);
      } catch (error) {
        request.log.warn({ err: error, user_id: userID }, 'registration command not acknowledged; releasing');
        await deps.reservations.release(userID, claims).catch((releaseError: unknown) => {
          // The reservation then expires by its TTL; the client still gets its 503.
          request.log.error({ err: releaseError, user_id: userID }, 'reservation release failed');
        });
        throw new DependencyUnavailableError('kafka');
      }
      deps.metrics.ingestDuration.observe(reply.elapsedTime / 1000);

      return reply
        .code(201)
        .header('location', registrationLocation(userID))
        .send({ status: 'success', message: 'Registration successful', data: { userID } });
    },
  );
}
