import type { AdminRole } from '@scalefu/contracts';
import { randomUUID } from 'node:crypto';
import type { Queryable } from './db';

export interface AdminAccount {
  readonly accountId: string;
  readonly email: string;
  readonly role: AdminRole;
  readonly passwordHash: string;
  readonly totpSecret: string | null;
  readonly totpActive: boolean;
  readonly totpLastStep: number | null;
  readonly disabled: boolean;
  readonly tokenVersion: number;
  readonly createdAt: Date;
  readonly lastLoginAt: Date | null;
}

interface Row {
  account_id: string;
  email: string;
  role: AdminRole;
  password_hash: string;
  totp_secret: string | null;
  totp_active: boolean;
  totp_last_step: string | null;
  disabled: boolean;
  token_version: number;
  created_at: Date;
  last_login_at: Date | null;
}

const fromRow = (r: Row): AdminAccount => ({
  accountId: r.account_id,
  email: r.email,
  role: r.role,
  passwordHash: r.password_hash,
  totpSecret: r.totp_secret,
  totpActive: r.totp_active,
  totpLastStep: r.totp_last_step === null ? null : Number(r.totp_last_step),
  disabled: r.disabled,
  tokenVersion: r.token_version,
  createdAt: r.created_at,
  lastLoginAt: r.last_login_at,
});

/** Admin e-mails compare case-insensitively; stored lower-case. */
export const normaliseAdminEmail = (email: string): string => email.trim().toLowerCase();

export async function insertAccount(
  db: Queryable,
  account: { email: string; role: AdminRole; passwordHash: string },
): Promise<AdminAccount> {
  const { rows } = await db.query<Row>(
    `INSERT INTO admin_accounts (account_id, email, role, password_hash) VALUES ($1, $2, $3, $4) RETURNING *`,
    [randomUUID(), normaliseAdminEmail(account.email), account.role, account.passwordHash],
  );
  return fromRow(rows[0]!);
}

export async function findAccountByEmail(db: Queryable, email: string): Promise<AdminAccount | undefined> {
  const { rows } = await db.query<Row>(`SELECT * FROM admin_accounts WHERE email = $1`, [normaliseAdminEmail(email)]);
  return rows[0] ? fromRow(rows[0]) : undefined;
}

export async function findAccount(
  db: Queryable,
  accountId: string,
  forUpdate = false,
): Promise<AdminAccount | undefined> {
  const { rows } = await db.query<Row>(
    `SELECT * FROM admin_accounts WHERE account_id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [accountId],
  );
  return rows[0] ? fromRow(rows[0]) : undefined;
}

export async function listAccounts(db: Queryable): Promise<AdminAccount[]> {
  const { rows } = await db.query<Row>(`SELECT * FROM admin_accounts ORDER BY created_at, email`);
  return rows.map(fromRow);
}

/** The token version writes are checked against; undefined when the account is disabled or gone. */
export async function activeTokenVersion(db: Queryable, accountId: string): Promise<number | undefined> {
  const { rows } = await db.query<{ token_version: number }>(
    `SELECT token_version FROM admin_accounts WHERE account_id = $1 AND NOT disabled`,
    [accountId],
  );
  return rows[0]?.token_version;
}

export async function recordLogin(db: Queryable, accountId: string, newPasswordHash?: string): Promise<void> {
  await db.query(
    `UPDATE admin_accounts SET last_login_at = now(), password_hash = coalesce($2, password_hash) WHERE account_id = $1`,
    [accountId, newPasswordHash ?? null],
  );
}

/** Store a pending TOTP secret (enrolment not yet confirmed); refused once a factor is active. */
export async function setPendingTotp(db: Queryable, accountId: string, secret: string): Promise<boolean> {
  const result = await db.query(
    `UPDATE admin_accounts SET totp_secret = $2, totp_last_step = NULL, updated_at = now()
      WHERE account_id = $1 AND NOT totp_active`,
    [accountId, secret],
  );
  return result.rowCount === 1;
}

/**
 * Accept a TOTP step only if it is newer than the last accepted one, atomically, so a code replayed (even by two
 * parallel requests) counts once. Optionally activates a pending factor.
 */
export async function acceptTotpStep(
  db: Queryable,
  accountId: string,
  step: number,
  activate = false,
): Promise<boolean> {
  const result = await db.query(
    `UPDATE admin_accounts SET totp_last_step = $2, totp_active = totp_active OR $3, updated_at = now()
      WHERE account_id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)`,
    [accountId, step, activate],
  );
  return result.rowCount === 1;
}

export type AccountChange = { disabled: boolean } | { role: AdminRole } | { resetMfa: true };

/** Disable/enable, change role or reset MFA; each bumps the token version so existing tokens stop writing. */
export async function changeAccount(
  db: Queryable,
  accountId: string,
  change: AccountChange,
): Promise<AdminAccount | undefined> {
  const set =
    'disabled' in change
      ? 'disabled = $2'
      : 'role' in change
        ? 'role = $2'
        : 'totp_secret = NULL, totp_active = false, totp_last_step = NULL';
  const value = 'disabled' in change ? change.disabled : 'role' in change ? change.role : null;
  const { rows } = await db.query<Row>(
    `UPDATE admin_accounts SET ${set}, token_version = token_version + 1, updated_at = now()
      WHERE account_id = $1 RETURNING *`,
    'resetMfa' in change ? [accountId] : [accountId, value],
  );
  if ('resetMfa' in change) await db.query(`DELETE FROM backup_codes WHERE account_id = $1`, [accountId]);
  return rows[0] ? fromRow(rows[0]) : undefined;
}
