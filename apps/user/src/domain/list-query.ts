/**
 * Rules of the admin list: which columns may be sorted on, how a page size is clamped, and the opaque cursor
 * (base64url JSON over the sort key and user_id) that keyset pagination resumes from.
 */
import { createHash } from 'node:crypto';
import { ValidationError } from '@scalefu/service-kit';
import type { UserStatus } from './user-status';

/** Sortable API fields and the column (and SQL type) behind each; nothing outside this table reaches SQL. */
export const SORT_FIELDS = {
  createdAt: { column: 'created_at', sqlType: 'timestamptz' },
  updatedAt: { column: 'updated_at', sqlType: 'timestamptz' },
  name: { column: 'name', sqlType: 'text' },
  email: { column: 'email_canonical', sqlType: 'text' },
} as const;

export type SortField = keyof typeof SORT_FIELDS;
export type SortDirection = 'asc' | 'desc';

export interface SortSpec {
  readonly field: SortField;
  readonly direction: SortDirection;
}

/** Every accepted `sort` value: `field` ascending, `-field` descending. */
export const SORT_VALUES: readonly string[] = Object.keys(SORT_FIELDS).flatMap((f) => [f, `-${f}`]);
export const DEFAULT_SORT = '-createdAt';

export const PAGE_SIZE = { default: 20, min: 1, max: 100 } as const;

export function parseSort(raw: string = DEFAULT_SORT): SortSpec {
  const direction: SortDirection = raw.startsWith('-') ? 'desc' : 'asc';
  const field = direction === 'desc' ? raw.slice(1) : raw;
  if (!Object.hasOwn(SORT_FIELDS, field)) {
    throw new ValidationError([{ field: 'sort', message: `must be one of ${SORT_VALUES.join(', ')}` }]);
  }
  return { field: field as SortField, direction };
}

export function formatSort(sort: SortSpec): string {
  return `${sort.direction === 'desc' ? '-' : ''}${sort.field}`;
}

/** Out-of-range page sizes are clamped, not refused, so a client asking for 10 000 simply gets the maximum. */
export function clampPageSize(requested: number | undefined): number {
  if (requested === undefined || !Number.isFinite(requested)) return PAGE_SIZE.default;
  return Math.min(PAGE_SIZE.max, Math.max(PAGE_SIZE.min, Math.trunc(requested)));
}

export interface ListFilter {
  readonly status?: UserStatus | undefined;
  readonly createdFrom?: string | undefined;
  readonly createdTo?: string | undefined;
  /** Case-insensitive prefix of the name or the e-mail. */
  readonly q?: string | undefined;
}

/** Position after the last row of a page: its sort key (as Postgres text, exact to the microsecond) and id. */
export interface CursorPosition {
  readonly key: string;
  readonly userID: string;
}

interface CursorBody {
  readonly v: 1;
  readonly s: string;
  readonly f: string;
  readonly k: string;
  readonly id: string;
}

/** `timestamptz::text` output, e.g. `2025-01-31 09:15:02.123456+00`; the parts are checked by `isTimestamptzText`. */
const PG_TIMESTAMPTZ =
  /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?[+-](\d{2})(?::(\d{2}))?(?::(\d{2}))?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** C0/C1 controls, NUL among them: Postgres refuses NUL in text (22021) and no name or e-mail contains one. */
const CONTROL = /\p{Cc}/u;

/** A real date and time, not just the shape of one: `2025-13-45 99:99:99+00` would fail `::timestamptz` (22008). */
function isTimestamptzText(key: string): boolean {
  const m = PG_TIMESTAMPTZ.exec(key);
  if (!m) return false;
  const [, year, month, day, hour, minute, second, offsetH = '0', offsetM = '0', offsetS = '0'] = m;
  const iso = `${year}-${month}-${day}T${hour}:${minute}:${second}Z`;
  const ms = Date.parse(iso);
  // Round-trip: Date.parse rolls some impossible dates over (Feb 30 → Mar 2); the printed form exposes that.
  if (!Number.isFinite(ms) || new Date(ms).toISOString() !== iso.replace('Z', '.000Z')) return false;
  return Number(year) >= 1 && Number(offsetH) <= 15 && Number(offsetM) < 60 && Number(offsetS) < 60;
}

/** How a cursor's sort-key value is checked, per SQL type of the sort column: a cursor is client input. */
const KEY_IS_VALID: Readonly<Record<(typeof SORT_FIELDS)[SortField]['sqlType'], (key: string) => boolean>> = {
  timestamptz: isTimestamptzText,
  text: (key) => !CONTROL.test(key),
};

/** Refuse control characters in a free-text filter with a 400 naming the field, before they reach SQL. */
export function checkFreeText(field: string, value: string | undefined): string | undefined {
  if (value !== undefined && CONTROL.test(value)) {
    throw new ValidationError([{ field, message: 'must not contain control characters' }]);
  }
  return value;
}

/**
 * Ties a cursor to the query that produced it, so it is not replayed by mistake against another filter or sort.
 * Unkeyed: it catches accidents, not forgery. A cursor is client input and `decodeCursor` checks every field.
 */
export function queryFingerprint(filter: ListFilter, sort: SortSpec): string {
  const canonical = JSON.stringify([
    formatSort(sort),
    filter.status ?? '',
    filter.createdFrom ?? '',
    filter.createdTo ?? '',
    filter.q ?? '',
  ]);
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 16);
}

export function encodeCursor(position: CursorPosition, filter: ListFilter, sort: SortSpec): string {
  const body: CursorBody = {
    v: 1,
    s: formatSort(sort),
    f: queryFingerprint(filter, sort),
    k: position.key,
    id: position.userID,
  };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

const badCursor = (message: string) => new ValidationError([{ field: 'cursor', message }]);

export function decodeCursor(raw: string, filter: ListFilter, sort: SortSpec): CursorPosition {
  let body: Partial<CursorBody>;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(raw)) throw new Error('not base64url');
    body = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<CursorBody>;
  } catch {
    throw badCursor('is not a cursor this API issued');
  }
  if (
    typeof body !== 'object' ||
    body === null ||
    body.v !== 1 ||
    typeof body.k !== 'string' ||
    typeof body.id !== 'string' ||
    !UUID.test(body.id)
  ) {
    throw badCursor('is not a cursor this API issued');
  }
  if (body.k.length > 1000 || !KEY_IS_VALID[SORT_FIELDS[sort.field].sqlType](body.k)) {
    throw badCursor('is not a cursor this API issued');
  }
  if (body.s !== formatSort(sort) || body.f !== queryFingerprint(filter, sort)) {
    throw badCursor('belongs to a different filter or sort; start again without a cursor');
  }
  return { key: body.k, userID: body.id };
}
