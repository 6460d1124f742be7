import pg from 'pg';
import type { ReadinessCheck } from '../http/readiness';
import type { Logger } from '../logger';

export interface PostgresPoolSettings {
  /** `postgres://user:pass@host:port/db`. */
  readonly url: string;
  /** Pool size. @default 10 */
  readonly max?: number;
  /** Name shown in `pg_stat_activity`. */
  readonly applicationName: string;
}

/** A pg pool with bounded waits, so an unreachable database fails requests fast instead of queueing forever. */
export function createPostgresPool(settings: PostgresPoolSettings, logger: Logger): pg.Pool {
  const pool = new pg.Pool({
    connectionString: settings.url,
    max: settings.max ?? 10,
    application_name: settings.applicationName,
    connectionTimeoutMillis: 3000,
    idleTimeoutMillis: 30000,
    statement_timeout: 10000,
  });
  // An idle client losing its connection must not crash the process; the next checkout reconnects.
  pool.on('error', (error) => logger.warn({ err: error }, 'postgres idle client error'));
  return pool;
}

export function postgresReadiness(pool: pg.Pool): ReadinessCheck {
  return { name: 'postgres', check: async () => void (await pool.query('SELECT 1')) };
}

/** Run `fn` in one transaction; rolls back on any error. */
export async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // Postgres ending the connection (a restart: 57P01) arrives as an 'error' event. A checked-out client has no
  // pool listener, and an unhandled 'error' killed the whole service (the chaos suite's `postgres-restart`); the
  // query in progress rejects on its own, so here the event only marks the client as not to be reused.
  let broken: Error | undefined;
  const onError = (error: Error) => (broken = error);
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}

export type { Pool as PostgresPool, PoolClient as PostgresClient } from 'pg';
