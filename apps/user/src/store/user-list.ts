import { SORT_FIELDS, type CursorPosition, type ListFilter, type SortSpec } from '../domain/list-query';
import type { StoredUser } from '../domain/user';
import { ValidationError } from '@scalefu/service-kit';
import { isDataException, type Queryable } from './db';
import { COLUMNS, fromRow, type UserRow } from './users';

export interface UserPage {
  readonly users: StoredUser[];
  /** Position after the last user when more follow. */
  readonly next?: CursorPosition;
}

/** `LIKE` prefix with the pattern characters escaped, so `q=%` finds names starting with a percent sign. */
function prefixPattern(q: string): string {
  return `${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * One page of users by keyset pagination: `(sort column, user_id)` strictly after the cursor, in the sort
 * direction. The column comes from the allowlist only; every value is a bind parameter. The route checks those
 * values first; a value Postgres still refuses (SQLSTATE class 22) is the client's, so it is a 400, never a 500.
 */
export async function listUsers(
  db: Queryable,
  filter: ListFilter,
  sort: SortSpec,
  after: CursorPosition | undefined,
  limit: number,
): Promise<UserPage> {
  const { column, sqlType } = SORT_FIELDS[sort.field];
  const where: string[] = [];
  const params: unknown[] = [];
  const bind = (value: unknown) => `$${params.push(value)}`;
  if (filter.status) where.push(`status = ${bind(filter.status)}`);
  if (filter.createdFrom) where.push(`created_at >= ${bind(filter.createdFrom)}::timestamptz`);
  if (filter.createdTo) where.push(`created_at < ${bind(filter.createdTo)}::timestamptz`);
  if (filter.q) {
    const pattern = bind(prefixPattern(filter.q.toLowerCase()));
    where.push(`(lower(name) LIKE ${pattern} OR email_canonical LIKE ${pattern})`);
  }
  const desc = sort.direction === 'desc';
  if (after) {
    where.push(
      `(${column}, user_id) ${desc ? '<' : '>'} (${bind(after.key)}::${sqlType}, ${bind(after.userID)}::uuid)`,
    );
  }
  const order = desc ? 'DESC' : 'ASC';
  const { rows } = await db
    .query<UserRow & { sort_key: string }>(
      `SELECT ${COLUMNS}, ${column}::text AS sort_key
       FROM users
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY ${column} ${order}, user_id ${order}
      LIMIT ${bind(limit + 1)}`,
      params,
    )
    .catch((error: unknown) => {
      if (isDataException(error)) {
        throw new ValidationError([{ field: 'query', message: 'has a value the database cannot use' }]);
      }
      throw error;
    });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    users: page.map(fromRow),
    ...(rows.length > limit && last ? { next: { key: last.sort_key, userID: last.user_id } } : {}),
  };
}
