import { PUBLIC_ROUTE_TEMPLATES, RegistrationStatusResponse, UserId, errorResponses } from '@scalefu/contracts';
import { NotFoundError, type ScaleFuHttpServer } from '@scalefu/service-kit';
import type { FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import type { Reservations } from '../store/reservations';

export const REGISTRATION_STATUS_PATH = PUBLIC_ROUTE_TEMPLATES.registrationStatus;

export interface RegistrationStatusRouteDeps {
  readonly reservations: Pick<Reservations, 'status'>;
  readonly rateLimit: (request: FastifyRequest) => Promise<void>;
}

type Status = Static<typeof RegistrationStatusResponse>['data']['registrationStatus'];

/** `GET /api/v1/registrations/{userID}`: where a registration is (ACCEPTED → CREATED → CONFIRMED, or DUPLICATE/REJECTED). */
export function registrationStatusRoute(app: ScaleFuHttpServer, deps: RegistrationStatusRouteDeps): void {
  app.get(
    REGISTRATION_STATUS_PATH,
    {
      schema: {
        summary: 'Status of a registration',
        tags: ['registration'],
        params: Type.Object({ userID: UserId }),
        response: {
          200: RegistrationStatusResponse,
          ...errorResponses(404, 429),
        },
      },
      onRequest: async (request) => deps.rateLimit(request),
    },
    async (request) => {
      const { userID } = request.params;
      const record = await deps.reservations.status(userID);
      if (!record) throw new NotFoundError('Registration');
      return {
        status: 'success' as const,
        message: 'Registration status',
        data: {
          userID,
          registrationStatus: record.status as Status,
          ...(record.updatedAt ? { updatedAt: record.updatedAt } : {}),
        },
      };
    },
  );
}
