import { UserResource } from '@scalefu/contracts';
import { Type } from 'typebox';
import {
  DEFAULT_SORT,
  PAGE_SIZE,
  SORT_VALUES,
  checkFreeText,
  clampPageSize,
  decodeCursor,
  encodeCursor,
  formatSort,
  parseSort,
  type ListFilter,
} from '../domain/list-query';
import { toMaskedResource } from '../domain/user';
import { USER_STATUSES } from '../domain/user-status';
import { listUsers } from '../store/user-list';
import { TAGS, USERS_PATH, errorResponses, type AdminApp, type RouteDeps } from './shared';

const ListQuery = Type.Object(
  {
    status: Type.Optional(Type.Enum([...USER_STATUSES])),
    createdFrom: Type.Optional(Type.String({ format: 'date-time', description: 'inclusive lower bound of createdAt' })),
    createdTo: Type.Optional(Type.String({ format: 'date-time', description: 'exclusive upper bound of createdAt' })),
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        pattern: '^\\P{Cc}*$',
        description: 'case-insensitive prefix of name or e-mail; no control characters',
      }),
    ),
    sort: Type.Optional(
      Type.Enum([...SORT_VALUES], { description: `field, or -field for descending; default ${DEFAULT_SORT}` }),
    ),
    limit: Type.Optional(
      Type.Integer({
        description: `page size, default ${PAGE_SIZE.default}, clamped to ${PAGE_SIZE.min}..${PAGE_SIZE.max}`,
      }),
    ),
    cursor: Type.Optional(
      Type.String({
        maxLength: 2048,
        pattern: '^[A-Za-z0-9_-]+$',
        description:
          'opaque: the nextCursor of the previous page of the same query (same filter and sort); any other value is 400',
      }),
    ),
  },
  { additionalProperties: false },
);

const ListResponse = Type.Object({
  status: Type.Literal('success'),
  data: Type.Object({
    users: Type.Array(UserResource, { description: 'e-mail and phone masked' }),
    page: Type.Object({
      limit: Type.Integer(),
      sort: Type.String(),
      nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'null on the last page' }),
    }),
  }),
});

/** `GET /api/v1/users`: filter, prefix search, allowlisted sort, keyset pagination; contact data masked. */
export function listUsersRoute(app: AdminApp, deps: RouteDeps): void {
  app.get(
    USERS_PATH,
    {
      schema: {
        tags: TAGS,
        summary: 'List users (filter, search, sort, cursor pagination)',
        querystring: ListQuery,
        response: { 200: ListResponse, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const query = request.query;
      const sort = parseSort(query.sort ?? DEFAULT_SORT);
      const filter: ListFilter = {
        status: query.status,
        createdFrom: query.createdFrom,
        createdTo: query.createdTo,
        q: checkFreeText('q', query.q),
      };
      const limit = clampPageSize(query.limit);
      const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, filter, sort);
      const page = await listUsers(deps.pool, filter, sort, after, limit);
      return {
        status: 'success' as const,
        data: {
          users: page.users.map(toMaskedResource),
          page: {
            limit,
            sort: formatSort(sort),
            nextCursor: page.next ? encodeCursor(page.next, filter, sort) : null,
          },
        },
      };
    },
  );
}
