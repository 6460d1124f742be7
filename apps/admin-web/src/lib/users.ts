/** The user resource as the admin API answers it (contracts' `UserResource`; masked for a viewer). */
export interface User {
  readonly userID: string;
  readonly name: string;
  readonly email: string;
  readonly phoneNumber: string;
  readonly nationalIdMasked?: string;
  readonly status: 'CREATED' | 'CONFIRMED';
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly confirmedAt?: string;
}

export interface UserPage {
  readonly users: User[];
  readonly page: { readonly limit: number; readonly sort: string; readonly nextCursor: string | null };
}

/** The list query the URL carries (`?q=&status=&sort=`), so a link reproduces the view. */
export interface ListQuery {
  readonly q: string;
  readonly status: '' | 'CREATED' | 'CONFIRMED';
  readonly sort: string;
}

export const SORTS = ['-createdAt', 'createdAt', 'name', '-name', 'email', '-email', '-updatedAt'] as const;
export const DEFAULT_SORT = '-createdAt';
export const PAGE_LIMIT = 100;

export function readListQuery(search: string): ListQuery {
  const params = new URLSearchParams(search);
  const status = params.get('status');
  const sort = params.get('sort') ?? DEFAULT_SORT;
  return {
    q: params.get('q') ?? '',
    status: status === 'CREATED' || status === 'CONFIRMED' ? status : '',
    sort: (SORTS as readonly string[]).includes(sort) ? sort : DEFAULT_SORT,
  };
}

/** The query string of a view: only what differs from the defaults. */
export function listQueryString(query: ListQuery): string {
  const params = new URLSearchParams();
  if (query.q.trim()) params.set('q', query.q.trim());
  if (query.status) params.set('status', query.status);
  if (query.sort !== DEFAULT_SORT) params.set('sort', query.sort);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The API path of one page of a view. */
export function listPath(query: ListQuery, cursor: string | null): string {
  const params = new URLSearchParams({ limit: String(PAGE_LIMIT), sort: query.sort });
  if (query.q.trim()) params.set('q', query.q.trim());
  if (query.status) params.set('status', query.status);
  if (cursor) params.set('cursor', cursor);
  return `/api/v1/users?${params.toString()}`;
}

/** `If-Match` value for a version (the API's weak ETag). */
export const etagOf = (version: number) => `W/"${version}"`;
