import type { PostgresClient, PostgresPool } from '@scalefu/service-kit';

/** Anything that runs a query: the pool (one statement) or a client inside `inTransaction`. */
export type Queryable = PostgresPool | PostgresClient;

/** SQLSTATE of a unique violation. */
export const UNIQUE_VIOLATION = '23505';

export function isUniqueViolation(error: unknown): error is Error & { constraint?: string } {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === UNIQUE_VIOLATION;
}
