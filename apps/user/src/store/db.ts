import type { PostgresClient, PostgresPool } from '@scalefu/service-kit';

/** Anything that runs a query: the pool (one statement) or a client inside `inTransaction`. */
export type Queryable = PostgresPool | PostgresClient;

/** SQLSTATE of a unique violation. */
export const UNIQUE_VIOLATION = '23505';

export function isUniqueViolation(error: unknown): error is Error & { constraint?: string } {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === UNIQUE_VIOLATION;
}

/**
 * SQLSTATE class 22, data exception: a bound value Postgres cannot use (NUL in text 22021, impossible date 22008,
 * out-of-range number 22003, ...). Only client input binds values into read queries, so it is the client's fault.
 */
export function isDataException(error: unknown): error is Error & { code: string } {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('22') && code.length === 5;
}
