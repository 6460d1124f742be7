import { AUTH_ROUTES } from '@scalefu/contracts';
import { ValidationError } from '@scalefu/service-kit';
import { Type } from 'typebox';
import { listAuditEvents } from '../../store/audit';
import { errorResponses, type AdminApp } from '../shared';
import type { AuthDeps } from '../auth/shared';

const PAGE = { default: 50, max: 200 } as const;

const AuditEvent = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  action: Type.String({ description: 'e.g. auth.login, auth.mfa, auth.refresh_reuse, users.delete' }),
  outcome: Type.Union([Type.Literal('success'), Type.Literal('failure')]),
  actorId: Type.Optional(Type.String()),
  target: Type.Optional(Type.String()),
  clientIp: Type.Optional(Type.String()),
  requestId: Type.Optional(Type.String()),
  details: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()])),
});

/** `GET /api/v1/audit` (admin): the audit trail, newest first, keyset pagination by id. */
export function listAuditRoute(app: AdminApp, deps: AuthDeps): void {
  app.get(
    AUTH_ROUTES.audit,
    {
      config: { auth: { roles: ['admin'] } },
      schema: {
        tags: ['audit'],
        summary: 'Audit trail of admin writes and auth events (admin)',
        security: [{ bearer: [] }],
        querystring: Type.Object(
          {
            limit: Type.Optional(
              Type.Integer({ minimum: 1, maximum: PAGE.max, description: `default ${PAGE.default}` }),
            ),
            cursor: Type.Optional(
              Type.String({ pattern: '^[0-9]{1,18}$', description: 'nextCursor of the previous page' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            status: Type.Literal('success'),
            data: Type.Object({
              events: Type.Array(AuditEvent),
              page: Type.Object({ limit: Type.Integer(), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
            }),
          }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? PAGE.default;
      const cursor = request.query.cursor === undefined ? undefined : Number(request.query.cursor);
      if (cursor !== undefined && !Number.isSafeInteger(cursor)) {
        throw new ValidationError([{ field: 'cursor', message: 'is not a cursor of this list' }]);
      }
      const events = await listAuditEvents(deps.pool, limit + 1, cursor);
      const page = events.slice(0, limit);
      const nextCursor = events.length > limit ? String(page[page.length - 1]!.id) : null;
      return {
        status: 'success' as const,
        data: {
          events: page.map((e) => ({ ...e, at: e.at.toISOString(), details: { ...e.details } })),
          page: { limit, nextCursor },
        },
      };
    },
  );
}
