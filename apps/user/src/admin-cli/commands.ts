import { ADMIN_ROLES, type AdminRole } from '@scalefu/contracts';
import { maskEmail } from '@scalefu/identity';
import { inTransaction, type Logger, type PostgresPool } from '@scalefu/service-kit';
import { randomBytes } from 'node:crypto';
import { hashPassword, passwordProblems } from '../domain/auth/password';
import {
  changeAccount,
  findAccountByEmail,
  insertAccount,
  listAccounts,
  type AccountChange,
  type AdminAccount,
} from '../store/admin-accounts';
import { audit } from '../store/audit';
import { isUniqueViolation } from '../store/db';
import { revokeAccountFamilies } from '../store/refresh-tokens';

/** A failure the CLI prints as one line and exits 1 on. */
export class CliError extends Error {}

/** 24 random characters (~140 bits) from an alphabet without look-alikes; shown once. */
export function generatePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return [...randomBytes(24)].map((b) => alphabet[b % alphabet.length]).join('');
}

export function parseRole(value: string | undefined): AdminRole {
  if (!ADMIN_ROLES.includes(value as AdminRole)) throw new CliError(`--role must be one of ${ADMIN_ROLES.join(', ')}`);
  return value as AdminRole;
}

/** Create an account; the password is checked against the policy (length, common list) before hashing. */
export async function createAccount(
  pool: PostgresPool,
  logger: Logger,
  input: { email: string; role: AdminRole; password: string },
): Promise<AdminAccount> {
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(input.email)) throw new CliError('--email is not an e-mail address');
  const problems = passwordProblems(input.password);
  if (problems.length) throw new CliError(`password ${problems[0]!.message}`);
  try {
    const account = await insertAccount(pool, { ...input, passwordHash: await hashPassword(input.password) });
    await audit(pool, logger, {
      action: 'accounts.create',
      outcome: 'success',
      target: account.accountId,
      details: { role: input.role, via: 'cli' },
    });
    return account;
  } catch (error) {
    if (isUniqueViolation(error)) throw new CliError('an account with this e-mail already exists');
    throw error;
  }
}

/** Disable/enable or reset MFA by e-mail; every change ends the account's sessions and stops its tokens' writes. */
export async function changeByEmail(
  pool: PostgresPool,
  logger: Logger,
  email: string,
  change: AccountChange,
  action: string,
): Promise<AdminAccount> {
  const account = await findAccountByEmail(pool, email);
  if (!account) throw new CliError('no account with this e-mail (npm run admin -- list)');
  const changed = await inTransaction(pool, async (tx) => {
    const after = await changeAccount(tx, account.accountId, change);
    await revokeAccountFamilies(tx, account.accountId, action);
    return after!;
  });
  await audit(pool, logger, { action, outcome: 'success', target: account.accountId, details: { via: 'cli' } });
  return changed;
}

export async function listLines(pool: PostgresPool): Promise<string[]> {
  return (await listAccounts(pool)).map(
    (a) =>
      `${a.accountId}  ${a.role.padEnd(6)}  mfa:${a.totpActive ? 'on ' : 'off'}  ${a.disabled ? 'DISABLED' : 'active  '}  ${maskEmail(a.email)}`,
  );
}

/** End every session (all accounts, or one): each must sign in again. Returns how many sessions ended. */
export async function revokeSessions(pool: PostgresPool, logger: Logger, email?: string): Promise<number> {
  const account = email ? await findAccountByEmail(pool, email) : undefined;
  if (email && !account) throw new CliError('no account with this e-mail (npm run admin -- list)');
  const { rowCount } = await pool.query(
    `UPDATE refresh_families SET revoked_at = now(), revoke_reason = 'cli'
      WHERE revoked_at IS NULL AND ($1::uuid IS NULL OR account_id = $1)`,
    [account?.accountId ?? null],
  );
  await audit(pool, logger, {
    action: 'accounts.revoke_sessions',
    outcome: 'success',
    target: account?.accountId ?? 'all',
    details: { via: 'cli', sessions: rowCount ?? 0 },
  });
  return rowCount ?? 0;
}
