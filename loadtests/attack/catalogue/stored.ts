/** Reads of stored state the cases and the runner use: a user's row, and a digest of what no case may change. */
import type pg from 'pg';
import { RUN_TAG } from '../../lib/people';
import { fail } from '../case';

export async function waitForStoredUser(
  db: pg.Pool,
  userID: string,
  timeoutMs = 15_000,
): Promise<{ name: string; email: string; status: string }> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { rows } = await db.query('SELECT name, email, status FROM users WHERE user_id = $1', [userID]);
    if (rows[0]) return rows[0];
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  fail(`registration ${userID} was not stored within ${timeoutMs} ms`);
}

/** When a digest was taken (the database's clock), so the next one looks at the same admin accounts. */
export interface StateDigest {
  readonly at: string;
  readonly value: string;
}

/**
 * A digest of the state no attack may change, limited to what this suite made, so tests running beside it do not
 * disturb it: every user of this run (by the run tag in their e-mails; status and version are left out, as earlier
 * registrations get confirmed by themselves) and every admin account of the suite that existed before the case
 * (role, disabled, MFA, token version) — accounts a case makes for itself to burn (lock-outs) are its own.
 */
export async function stateDigest(db: pg.Pool, since?: StateDigest): Promise<StateDigest> {
  const { rows } = await db.query(
    `SELECT now()::text AS at,
      (SELECT count(*) FROM users WHERE email_canonical LIKE $2) || ' users ' ||
      (SELECT md5(coalesce(string_agg(user_id || name || email_canonical || phone_e164, ',' ORDER BY user_id), ''))
         FROM users WHERE email_canonical LIKE $2)
      || ', accounts ' ||
      (SELECT md5(coalesce(string_agg(account_id || role || disabled || totp_active || token_version, ',' ORDER BY account_id), ''))
         FROM admin_accounts WHERE email LIKE 'attack-%' AND created_at <= coalesce($1::timestamptz, now())) AS value`,
    [since?.at ?? null, `%.${RUN_TAG.toLowerCase()}.%`],
  );
  return rows[0] as StateDigest;
}
