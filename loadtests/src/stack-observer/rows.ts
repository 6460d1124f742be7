import { TOPICS } from '@scalefu/contracts';
import pg from 'pg';

/** A run's registration as the user service stored it. */
export interface StoredRegistration {
  readonly userId: string;
  /** The address mail goes to (lower-cased here, to match the catcher's recipients). */
  readonly email: string;
  readonly status: string;
  readonly createdAtMs: number;
  /**
   * When SMTP accepted the confirmation mail, as the notifier reported it (`users.confirmed_at`, written with the status,
   * so only a CONFIRMED row has it).
   */
  readonly mailedAtMs?: number;
  /**
   * When the user service set the status CONFIRMED (`users.updated_at` of a CONFIRMED row: the start of its confirming
   * transaction, a few ms before the commit after which `scalefu_registration_e2e_duration_seconds` is observed): the
   * end of accept→CONFIRMED. Nothing changes a run's users after that.
   */
  readonly confirmedAtMs?: number;
  /** When the outbox relay published its user.created event (ms precision, unlike the mail's Date header). */
  readonly publishedAtMs?: number;
}

/** Accept time of a registration: the onboarder mints userIDs as UUIDv7, whose first 48 bits are its Unix ms. */
export function acceptedAtMs(userId: string): number {
  return parseInt(userId.replace(/-/g, '').slice(0, 12), 16);
}

/** Rows of the given users (ids not found are simply absent). */
export async function storedRegistrations(
  pool: pg.Pool,
  userIds: readonly string[],
): Promise<Map<string, StoredRegistration>> {
  const found = new Map<string, StoredRegistration>();
  for (let i = 0; i < userIds.length; i += 5000) {
    const { rows } = await pool.query<{
      user_id: string;
      email: string;
      status: string;
      created_at: Date;
      confirmed_at: Date | null;
      updated_at: Date;
      published_at: Date | null;
    }>(
      // One pass over the outbox per slice (grouped, then joined): a subquery per user would scan it once per row,
      // as the outbox has no index on its key.
      `SELECT u.user_id, u.email, u.status, u.created_at, u.confirmed_at, u.updated_at, p.published_at
         FROM users u
         LEFT JOIN (SELECT key, min(published_at) AS published_at FROM outbox
                     WHERE topic = $2 AND key = ANY($1::text[]) GROUP BY key) p ON p.key = u.user_id::text
        WHERE u.user_id = ANY($1::uuid[])`,
      [userIds.slice(i, i + 5000), TOPICS.userCreated.name],
    );
    for (const r of rows) {
      found.set(r.user_id, {
        userId: r.user_id,
        email: r.email.toLowerCase(),
        status: r.status,
        createdAtMs: r.created_at.getTime(),
        ...(r.confirmed_at ? { mailedAtMs: r.confirmed_at.getTime() } : {}),
        ...(r.status === 'CONFIRMED' ? { confirmedAtMs: r.updated_at.getTime() } : {}),
        ...(r.published_at ? { publishedAtMs: r.published_at.getTime() } : {}),
      });
    }
  }
  return found;
}

/** Users rejected as duplicates after they were acked (ARCHITECTURE §2: a duplicate that slipped past Redis). */
export async function rejectedRegistrations(pool: pg.Pool, userIds: readonly string[]): Promise<Set<string>> {
  const { rows } = await pool.query<{ user_id: string }>(
    'SELECT user_id FROM registration_rejections WHERE user_id = ANY($1::uuid[])',
    [userIds],
  );
  return new Set(rows.map((r) => r.user_id));
}

/** How many user rows hold an e-mail containing `marker`: a run's rows, acked or not. */
export async function rowsWithEmailMarker(pool: pg.Pool, marker: string): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(
    "SELECT count(*) AS n FROM users WHERE email_canonical LIKE '%' || $1 || '%'",
    [marker.toLowerCase()],
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * Poll until every given user is CONFIRMED (or rejected), or `timeoutMs` passes; bounded, so a stuck pipeline ends
 * the wait and shows up as unconfirmed in the report rather than hanging the run.
 */
export async function waitUntilSettled(
  pool: pg.Pool,
  userIds: readonly string[],
  timeoutMs: number,
): Promise<{ settledAfterMs: number; unsettled: number }> {
  const started = Date.now();
  for (;;) {
    const { rows } = await pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM unnest($1::uuid[]) AS id
        WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.user_id = id AND u.status = 'CONFIRMED')
          AND NOT EXISTS (SELECT 1 FROM registration_rejections r WHERE r.user_id = id)`,
      [userIds],
    );
    const unsettled = Number(rows[0]?.n ?? 0);
    if (unsettled === 0 || Date.now() - started > timeoutMs) return { settledAfterMs: Date.now() - started, unsettled };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
